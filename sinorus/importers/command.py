"""`sinorus import FILE... --into DIR [--data SRC]`: a new data package with the files' rows.

Files of any size are streamed through DuckDB (memory capped: $SINORUS_DUCKDB_MEMORY); on a
terminal each file says when it starts and how long it took. The package is written into a
temporary directory beside DIR and renamed into place only once it validates: a failed import
leaves nothing behind.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sinorus import engine
from sinorus.checks import DataError
from sinorus.importers.combine import write_package
from sinorus.importers.reader import read
from sinorus.load import data_dir


def register(subparsers) -> None:
    """Add `import` to the `sinorus` command's subparsers."""
    p = subparsers.add_parser(
        "import",
        help="read UN Comtrade (CSV/JSON, new or legacy) or observation CSV files into a new "
        "data package; prints what was kept, skipped and why",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    p.add_argument("--into", required=True, metavar="DIR", help="new package directory to write")
    p.add_argument(
        "--data",
        dest="data_dir",
        help="package to start from (default: $SINORUS_DATA or the embedded data/)",
    )
    p.set_defaults(handler=run)


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def _print_summaries(results) -> None:
    for result in results:
        for line in result.summary():
            print(line)


def write_or_say(results, into: Path, data, **options):
    """`write_package`, or None after saying on stderr why nothing was written (one line for an
    OS error, the located problems for an invalid result)."""
    try:
        return write_package(results, into, data, **options)
    except DataError as err:
        print(
            f"error: cannot write {into} from {data_dir(data)}; nothing written:", file=sys.stderr
        )
        for line in err.lines():
            print(f"  {line}", file=sys.stderr)
    except OSError as err:
        print(
            f"error: {into}: {err.strerror or err}; nothing written (check the path and free space)",
            file=sys.stderr,
        )
    return None


def run(args) -> int:
    """The import; a full disk is one line and exit 1, Ctrl-C exit 130 (the package untouched
    either way: nothing is moved into place before the end)."""
    try:
        return _run(args)
    except engine.FileError as err:
        what = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"error: {what}; nothing written to {args.into} (check free space)", file=sys.stderr)
        return 1
    except RuntimeError as err:
        if "interrupted" not in str(err).lower():
            raise
        raise KeyboardInterrupt from None  # DuckDB's words for Ctrl-C during a query


def _run(args) -> int:
    into = Path(args.into)
    parent = into.resolve().parent
    if not parent.is_dir():
        print(
            f"error: {into}: its parent {parent} does not exist (create it first)", file=sys.stderr
        )
        return 1
    with tempfile.TemporaryDirectory(prefix=".sinorus-import-", dir=parent) as work:
        results = []
        for path in args.files:
            started = time.perf_counter()
            _progress(f"reading {path} …")
            results.append(read(path, workdir=work))
            _progress(f"  {results[-1].read:,} row(s) in {time.perf_counter() - started:.1f} s")
        rejected = [r for r in results if not r.ok]
        if rejected:
            _print_summaries(results)
            print(
                f"error: {len(rejected)} file(s) rejected; nothing written to {into}",
                file=sys.stderr,
            )
            return 1
        ds = write_or_say(results, into, args.data_dir)
        _print_summaries(results)  # after the merge: it counts the rows two files both give
        if ds is None:
            return 1
    kept = sum(r.kept for r in results)
    print(
        f"wrote {ds.root}: valid data package; {kept:,} imported row(s) from {len(results)} "
        f"file(s) ({len(ds.trade_flows):,} trade_flows rows, {len(ds.sources)} sources)"
    )
    return 0
