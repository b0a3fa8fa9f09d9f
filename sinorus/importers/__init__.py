"""Import trade tables people download: UN Comtrade+ CSV/JSON, legacy UN Comtrade CSV, and
sinorus's own observation table.

    result = read(path)                      # or read(data_bytes, "file name.csv")
    result.ok, result.kept, result.skipped, result.problems, result.summary()
    merged = merge(ds, result)               # a new validated Dataset; ds untouched
    merged, result = load_upload(ds, data_bytes, name)   # both steps; DataError if rejected
    write_package([result, ...], "out-dir")  # what `sinorus import FILE... --into DIR` does

Rows go into the package's `trade_flows` table (not `observations`, which holds the documents'
figures) under a new `sources` row of kind `dataset` per file.
"""

from sinorus.importers.common import (
    FORMATS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    ImportResult,
)
from sinorus.importers.merge import check_tables, load_upload, merge, write_package
from sinorus.importers.reader import read

__all__ = [
    "FORMATS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MB",
    "ImportResult",
    "check_tables",
    "load_upload",
    "merge",
    "read",
    "write_package",
]
