"""Publish the data as static files, for Streamlit to serve at stable URLs.

`publish()` writes, into `static/sinorus/` beside app.py (served at `/app/static/sinorus/...`
because `.streamlit/config.toml` sets `server.enableStaticServing = true`):

    datapackage.json            the package descriptor (the tables this package has)
    observations.csv, ...       every table, byte for byte as in data/
    sinorus-data.zip            the whole-package bundle (tables, descriptor, texts, README)
    charts/<slug>.csv           each chart's frame over its full span (export.to_csv)
    charts/datapackage.json     a data package describing the chart files

Files are produced from data/, never copied by hand. Each is written atomically (a temporary
file in the same directory, then a rename) and only when its bytes change, so concurrent
processes and repeated calls are safe; a repeat call in the same process with unchanged data
files returns at once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sinorus import __version__, bundle, export, paths
from sinorus.checks import confined
from sinorus.load import Dataset, listed_before_loading, load, package_files
from sinorus.views import VIEWS

ROOT = paths.ROOT
#: Where the embedded package's files go, served at URL_PATH (other packages: paths.slot).
DEFAULT_DEST = paths.static_dir(None)
URL_PATH = paths.url_path(None)
CHARTS_DIR = paths.CHARTS_DIR
_MEMO: dict[tuple, list[Path]] = {}


def publish(source: Dataset | str | os.PathLike | None = None, dest=None) -> list[Path]:
    """Write every published file into `dest` (default: the package's own directory under
    static/, see `sinorus.paths`); return their paths.

    `source` is a loaded Dataset, or a package directory (default $SINORUS_DATA or data/).
    """
    root = source.root if isinstance(source, Dataset) else None
    if root is None:
        from sinorus.load import data_dir

        root = data_dir(source)
    dest = Path(dest) if dest is not None else paths.static_dir(root)
    signature = _signature(Path(root))
    key = (str(dest.resolve()), str(Path(root).resolve()), signature)
    cached = _MEMO.get(key) if signature is not None else None
    if cached is not None and all(p.is_file() for p in cached):
        return list(cached)
    ds = source if isinstance(source, Dataset) else load(root)
    written = [_write(confined(dest, name), data) for name, data in files(ds).items()]
    if signature is not None:
        _MEMO[key] = written
    return list(written)


def files(ds: Dataset) -> dict[str, bytes]:
    """Relative path -> bytes of every published file."""
    out = bundle.package_bytes(ds, include_texts=False)
    out[bundle.DATASET_BUNDLE_NAME] = bundle.dataset_bundle(ds, made=_made(ds))
    resources = []
    for slug, view in VIEWS.items():
        if not (view.published and view.available(ds)):
            continue
        span = view.years(ds)  # its own full table: the documents' years, or the reports'
        frame = view.frame(ds, span)
        data = export.to_csv(frame)
        path = f"{slug}.csv"
        out[f"{CHARTS_DIR}/{path}"] = data
        resources.append(
            {
                "name": slug,
                "path": path,
                "title": f"{view.title}, {span[0]}–{span[1]}",
                "description": view.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": bundle.schema(frame),
            }
        )
    charts = {
        "name": "sinorus-charts",
        "title": "The frame behind each sinorus chart, over the full year span",
        "description": (
            "Each chart's download for the whole span, as export.to_csv writes it: text cells "
            "that would start a spreadsheet formula are prefixed with an apostrophe. Filter the "
            "years in code (see docs/data.md for each chart's year column)."
        ),
        "version": __version__,
        "licenses": bundle.licenses_for(ds.sources),
        "sources": bundle.sources_entries(ds.sources),
        "resources": resources,
    }
    out[f"{CHARTS_DIR}/datapackage.json"] = bundle.json_bytes(charts)
    return out


def urls(base_url: str, ds: Dataset | None = None) -> list[str]:
    """The URL of every published file under a server's `base_url`."""
    ds = ds or load()
    return [f"{base_url.rstrip('/')}{paths.url_path(ds.root)}/{name}" for name in files(ds)]


def _made(ds: Dataset) -> datetime:
    """The newest data file's time: the published bundle's bytes depend on the data alone."""
    newest = max(confined(ds.root, rel).stat().st_mtime for rel in package_files(ds))
    return datetime.fromtimestamp(int(newest), UTC)


def _signature(root: Path) -> tuple | None:
    """What the published files depend on: each file of the package's list (its path, time and
    size) and $SINORUS_DATA; None when the list cannot be read (then nothing is remembered)."""
    listed = listed_before_loading(root)
    if listed is None:
        return None
    try:
        stats = tuple((rel, *_stat(path)) for rel, path in listed.items())
    except OSError:
        return None
    return stats + (("$SINORUS_DATA", os.environ.get("SINORUS_DATA", "")),)


def _stat(path: Path) -> tuple[int, int]:
    if not path.exists():
        return (0, -1)
    info = path.stat()
    return (info.st_mtime_ns, info.st_size)


def _write(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically, and only if its bytes differ."""
    try:
        if path.read_bytes() == data:
            return path
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
