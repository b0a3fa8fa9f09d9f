"""`sinorus import FILE... --into DIR [--data SRC]`: a new data package with the files' rows."""

from __future__ import annotations

import sys

from sinorus.importers.merge import write_package
from sinorus.importers.reader import read
from sinorus.load import DataError, data_dir


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


def run(args) -> int:
    results = [read(path) for path in args.files]
    for result in results:
        for line in result.summary(max_problems=200):
            print(line)
    rejected = [r for r in results if r.problems]
    if rejected:
        print(
            f"error: {len(rejected)} file(s) rejected; nothing written to {args.into}",
            file=sys.stderr,
        )
        return 1
    try:
        ds = write_package(results, args.into, args.data_dir)
    except DataError as err:
        print(
            f"error: cannot import into {args.into} from {data_dir(args.data_dir)}:",
            file=sys.stderr,
        )
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    kept = sum(r.kept for r in results)
    print(
        f"wrote {ds.root}: valid data package; {kept} imported row(s) from {len(results)} "
        f"file(s) ({len(ds.trade_flows)} trade_flows rows, {len(ds.sources)} sources)"
    )
    return 0
