"""`python -m sinorus` / `sinorus`: the same functions the app uses, from a shell."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from sinorus import bundle, export, paths, views
from sinorus import extract as extract_cmd
from sinorus.importers import command as import_cmd
from sinorus.importers import fetch as fetch_cmd
from sinorus.load import DataError, data_dir, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sinorus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p_validate = sub.add_parser(
        "validate", help="check a data package; exit 1 with a report if invalid"
    )
    p_validate.add_argument(
        "data_dir", nargs="?", help="package directory (default: $SINORUS_DATA or data/)"
    )

    p_export = sub.add_parser(
        "export",
        help="write a layer's figures in a year range (the documents' observations, with "
        "sources and quotes; or the later reports')",
    )
    p_export.add_argument(
        "--data", dest="data_dir", help="package directory (default: $SINORUS_DATA or data/)"
    )
    p_export.add_argument(
        "--from", dest="year_from", type=int, help="first year (default: the data's first)"
    )
    p_export.add_argument(
        "--to", dest="year_to", type=int, help="last year (default: the data's last)"
    )
    p_export.add_argument("--format", choices=sorted(export.FORMATS), default="csv")
    p_export.add_argument(
        "--layer",
        choices=sorted(LAYERS),
        default="documents",
        help="documents: every figure the two 2007 documents state (default); reports: what "
        "later reports give each year (US$ trade totals, as the trade chart's grey squares)",
    )
    p_export.add_argument("-o", "--output", help="file to write (default: standard output)")

    extract_cmd.register(sub)
    import_cmd.register(sub)
    fetch_cmd.register(sub)

    p_publish = sub.add_parser(
        "publish", help="write the static data files the app serves at /app/static/sinorus/"
    )
    p_publish.add_argument(
        "--data", dest="data_dir", help="package directory (default: $SINORUS_DATA or data/)"
    )
    p_publish.add_argument("--into", help="directory to write (default: static/sinorus/)")

    args = parser.parse_args(argv)
    try:
        if args.command in ("extract", "import", "fetch"):
            return args.handler(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "publish":
            return _publish(args)
        return _export(args)
    except OSError as err:  # a path that cannot be read or written: one line, never a traceback
        where = err.filename or "sinorus"
        print(
            f"error: {where}: {err.strerror or err} (check the path, its permissions and free space)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was left half-written", file=sys.stderr)
        return 130


def write_file(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file beside it, then a rename.
    A path that is not a regular file (a device such as /dev/stdout) is written directly."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            path.write_bytes(data)
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(err.errno, err.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load_or_report(path):
    try:
        return load(path)
    except DataError as err:
        print(
            f"{data_dir(path)}: invalid data package, {len(err.problems)} problem(s):",
            file=sys.stderr,
        )
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def _validate(args) -> int:
    ds = _load_or_report(args.data_dir)
    if ds is None:
        return 1
    for notice in ds.notices:
        print(f"note: {notice}", file=sys.stderr)
    counts = ", ".join(
        f"{len(getattr(ds, name))} {name}"
        for name in ("observations", "sources", "events", "trade_makeup")
    )
    print(f"{ds.root}: valid ({counts})")
    return 0


#: `export --layer`: the registered view each layer writes (`sinorus.views`).
LAYERS = {"documents": "observations", "reports": "later-reports"}


def _export(args) -> int:
    ds = _load_or_report(args.data_dir)
    if ds is None:
        return 1
    v = views.view(LAYERS[args.layer])
    if not v.available(ds):
        print(f"error: {ds.root} has no later reports (reports.csv)", file=sys.stderr)
        return 1
    first, last = v.years(ds)  # the layer's own years: 1992–2007 documents, 1993–2024 reports
    year_range = (
        args.year_from if args.year_from is not None else first,
        args.year_to if args.year_to is not None else last,
    )
    if year_range[0] > year_range[1]:
        print(f"error: --from {year_range[0]} is after --to {year_range[1]}", file=sys.stderr)
        return 2
    frame = v.frame(ds, year_range)
    data = bundle.render(
        args.format,
        frame,
        ds.sources,
        v.title,
        year_range,
        slug=v.slug,  # zip: the same bundle as the app's download of that view
        observations=ds.observations,
    )
    if args.output:
        write_file(args.output, data)
        what = "observation(s)" if args.layer == "documents" else "later report figure(s)"
        print(f"wrote {len(frame)} {what} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _publish(args) -> int:
    from sinorus import publish

    ds = _load_or_report(args.data_dir)
    if ds is None:
        return 1
    written = publish.publish(ds, args.into)
    where = args.into or paths.static_dir(ds.root)
    print(f"published {len(written)} file(s) in {where}", file=sys.stderr)
    return 0
