import shutil
from pathlib import Path

import pytest

from sinorus.load import DEFAULT_DATA_DIR, load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """Each test session keeps its validation verdicts and roll-ups in a folder of its own, not
    in the reader's ~/.cache/sinorus: a verdict kept by an earlier run (of other code, e.g. under
    `make mutate`) must never let a package skip the checks a test is about."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SINORUS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def ds():
    return load(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def merged(ds, tmp_path_factory):
    """The embedded package with the SYNTHETIC Comtrade+ download and observation table
    imported (read-only: built once for the session)."""
    from sinorus.importers import combine, read

    fixtures = ROOT / "tests" / "fixtures"
    results = [read(fixtures / "comtrade-plus-synthetic.csv"), read(fixtures / "observations-synthetic.csv")]  # fmt: skip
    return combine(ds, results, tmp_path_factory.mktemp("merged"))


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A folder for the parquet files of `read`, one per test module."""
    return tmp_path_factory.mktemp("work")


@pytest.fixture
def pkg(tmp_path) -> Path:
    """A fresh, writable copy of the embedded data package."""
    dest = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, dest)
    return dest


@pytest.fixture(scope="module")
def server():
    """A `streamlit run app.py` on the embedded package, one per test module (browser tests;
    a module may define its own `server`)."""
    from tests.browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (browser tests)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser import CHROMIUM_ARGS, chromium_path

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def uploads():
    """One reader's uploads (`sinorus.importers.session.Uploads`), closed after the test."""
    from sinorus.importers import session

    u = session.Uploads()
    yield u
    u.close()
