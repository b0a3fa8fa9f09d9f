"""Import trade tables people download: UN Comtrade+ CSV/JSON, legacy UN Comtrade CSV, and
sinorus's own observation table. Any size the disk holds: files are streamed through DuckDB.

    result = read(path)                      # or read(data_bytes, "file name.csv")
    result.ok, result.kept, result.skipped, result.problems, result.summary()
    merged = combine(ds, [result], workdir)  # a new Dataset (ds untouched): Parquet in workdir
    write_package([result, ...], "out-dir")  # what `sinorus import FILE... --into DIR` does
    uploads = Uploads()                      # one reader's files, in a private temporary dir

Rows go into the package's `trade_flows` table (Parquet; not `observations`, which holds the
documents' figures) under a new `sources` row of kind `dataset` per file.
"""

from sinorus.importers.combine import combine, write_package
from sinorus.importers.common import FORMATS, ImportResult
from sinorus.importers.reader import read
from sinorus.importers.session import Uploads

__all__ = ["FORMATS", "ImportResult", "Uploads", "combine", "read", "write_package"]
