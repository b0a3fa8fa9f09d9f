"""Where published files live and the URLs they are served at: a leaf module, so that the
snippets, the app and `publish` agree without importing one another.

Streamlit serves `static/` beside app.py at `/app/static/`. Each data package gets its own
directory there, so two servers started from one checkout with different `SINORUS_DATA` never
overwrite each other's files: the embedded package at `static/sinorus/` (the stable URLs the
docs list), any other at `static/sinorus-<10 hex digits of its resolved path>/`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED = ROOT / "data"
STATIC = ROOT / "static"
CHARTS_DIR = "charts"
DEFAULT_SLOT = "sinorus"


def slot(root: str | Path | None) -> str:
    """The static directory name of the package at `root`."""
    if root is None:
        return DEFAULT_SLOT
    resolved = Path(root).resolve()
    if resolved == EMBEDDED.resolve():
        return DEFAULT_SLOT
    return f"{DEFAULT_SLOT}-{hashlib.sha256(str(resolved).encode()).hexdigest()[:10]}"


def static_dir(root: str | Path | None) -> Path:
    return STATIC / slot(root)


def cache_dir() -> Path | None:
    """Where results that depend only on file contents are kept between runs (validation
    verdicts, roll-ups of imported trade): $SINORUS_CACHE_DIR, else ~/.cache/sinorus; None when
    $SINORUS_CACHE_DIR is `off`."""
    import os

    setting = os.environ.get("SINORUS_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "none"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sinorus"


def url_path(root: str | Path | None = None) -> str:
    """The URL path the package's files are served under, e.g. `/app/static/sinorus`."""
    return f"/app/static/{slot(root)}"
