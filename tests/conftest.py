import shutil
from pathlib import Path

import pytest

from sinorus.load import DEFAULT_DATA_DIR, load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ds():
    return load(DEFAULT_DATA_DIR)


@pytest.fixture
def pkg(tmp_path) -> Path:
    """A fresh, writable copy of the embedded data package."""
    dest = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, dest)
    return dest
