"""Helpers for the browser tests: a real `streamlit run` server and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

# The bench's Chromium flags, "script idle" selector and server: tests and bench alike.
from bench.common import CHROMIUM_ARGS, IDLE, App, server  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parent.parent


def chromium_path() -> str:
    path = os.environ.get("SINORUS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    return path


@contextmanager
def streamlit_server(
    app: Path = ROOT / "app.py", env: dict | None = None, timeout: float = 60, args: tuple = ()
):
    """Start `streamlit run app` on a free loopback port; yield its base URL; stop it.

    The same server the bench measures (bench.common.server), so tests and bench agree."""
    with server(App("under-test", app, "plotly"), env=env, timeout=timeout, args=args) as s:
        yield s.url


def download_button(page, label: str):
    """The download buttons labelled `label` ("CSV", "PNG"…): their icon is a Material one
    (`aria-hidden`), not part of the name; a picture's draw button has the same name."""
    return page.get_by_test_id("stDownloadButton").get_by_role("button", name=label, exact=True)


def picture_button(page, label: str):
    """The buttons that have a picture drawn ("PNG", "SVG"), before it is offered to save."""
    return page.get_by_test_id("stButton").get_by_role("button", name=label, exact=True)
