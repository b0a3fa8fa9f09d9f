"""`sinorus extract FILE... [--date] [-o] [--format csv|package] [--all]`: the command."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from sinorus.extract.candidate import COLUMNS, Candidate
from sinorus.extract.pipeline import Note, extract

PACKAGE_COLUMNS = [
    "id",
    "indicator",
    "year",
    "year_start",
    "value",
    "unit",
    "qualifier",
    "reported_as",
    "year_basis",
    "year_note",
    "flag",
    "flag_note",
    "source_id",
    "quote",
    "review",
]
_FLOW_INDICATOR = {
    "total": "trade_total",
    "china_exports": "trade_china_exports",
    "china_imports": "trade_china_imports",
    "border": "trade_border",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _source_ids(paths: list[Path]) -> dict[Path, str]:
    """Map each file to its source id in the data package's sources.csv, when it is there."""
    from sinorus.load import data_dir

    root = data_dir()
    try:
        with open(root / "sources.csv", newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error):
        rows = []  # no readable package: every file is named by its own name
    known = {(root / r["path"]).resolve(): r.get("id") for r in rows if r.get("path")}
    return {p: known.get(p.resolve()) or _slug(p.stem) for p in paths}


def package_row(c: Candidate, source_id: str) -> dict:
    """One observations.csv row (plus review=pending) for a curator to check."""
    notes = []
    if c.year_note:
        notes.append(c.year_note)
    qualifier = c.qualifier
    if qualifier == "over":
        qualifier = "at_least"
        notes.append("qualifier 'over' (more than) recorded as at_least")
    if c.kind != "observation":
        notes.append(f"kind {c.kind}" + (f" ({c.period})" if c.period else ""))
    if c.value_high is not None:
        notes.append(f"a range: {c.value:g} to {c.value_high:g} {c.unit}")
    if c.equivalent:
        notes.append(f"the text gives the equivalent {c.equivalent}")
    if c.unit != "USD bn":
        notes.append(f"in {c.unit}: convert to USD bn before accepting")
    indicator = _FLOW_INDICATOR[c.flow] + ("" if c.kind == "observation" else f"_{c.kind}")
    return {
        "id": f"x-{_slug(source_id)}-{c.year}-{c.offset}",
        "indicator": indicator,
        "year": c.year,
        "year_start": "",
        "value": f"{c.value:g}",
        "unit": c.unit,
        "qualifier": qualifier,
        "reported_as": c.reported_as,
        "year_basis": "derived" if c.year_resolved else "stated",
        "year_note": "; ".join(notes),
        "flag": "",
        "flag_note": "",
        "source_id": source_id,
        "quote": c.quote,
        "review": "pending",
    }


def render(cands: list[Candidate], fmt: str, source_ids: dict[str, str] | None = None) -> str:
    buf = io.StringIO()
    if fmt == "package":
        writer = csv.DictWriter(buf, fieldnames=PACKAGE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for c in cands:
            writer.writerow(package_row(c, (source_ids or {}).get(c.source, _slug(c.source))))
    else:
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for c in cands:
            row = {k: v for k, v in asdict(c).items() if k in COLUMNS}
            row["value"] = f"{c.value:g}"
            row["value_high"] = "" if c.value_high is None else f"{c.value_high:g}"
            row["year"] = "" if c.year is None else c.year
            writer.writerow(row)
    return buf.getvalue()


def register(subparsers) -> None:
    """Add `extract` to the `sinorus` command's subparsers."""
    p = subparsers.add_parser(
        "extract", help="find China–Russia trade figures in plain-text documents"
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="plain-text documents (UTF-8)")
    p.add_argument(
        "--date",
        type=date.fromisoformat,
        help="document date YYYY-MM-DD for relative years (default: a date found in each text)",
    )
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument(
        "--format",
        choices=("csv", "package"),
        default="csv",
        help="csv: one row per figure; package: observations.csv rows with review=pending",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="also list figures that are not trade, with the reason in `indicator`",
    )
    p.set_defaults(handler=run)


class CommandError(Exception):
    """A file the command cannot read or write: one line saying which and what to do."""


def run(args) -> int:
    try:
        return _run(args)
    except CommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def _run(args) -> int:
    paths = [Path(f) for f in args.files]
    cands: list[Candidate] = []
    for p in paths:
        notes: list[Note] = []
        text = read_text(p)
        cands += extract(
            text, source=p.name, date=args.date, include_excluded=args.all, notes=notes
        )
        for note in notes:
            print(f"note: {p.name}:{note.offset}: {note.text}", file=sys.stderr)
    source_ids = None
    if args.format == "package":
        by_path = _source_ids(paths)
        source_ids = {p.name: by_path[p] for p in paths}
        cands = _package_figures(cands)
    data = render(cands, args.format, source_ids)
    if args.output:
        write_text(Path(args.output), data)
        print(f"wrote {len(cands)} figure(s) to {args.output}", file=sys.stderr)
    else:
        _write_stdout(data)
    return 0


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a byte-order mark dropped); `CommandError` saying why not."""
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        byte = err.object[err.start]
        raise CommandError(
            f"{path}: not UTF-8 text (byte 0x{byte:02x} at offset {err.start}); "
            "save or convert it as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)"
        ) from None
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory; give the text files in it") from None
    except PermissionError:
        raise CommandError(f"{path}: permission denied; make the file readable") from None
    except OSError as err:
        raise CommandError(f"{path}: cannot read ({err.strerror or err}); check the file") from None


def write_text(path: Path, data: str) -> None:
    """Write `data` to `path` as UTF-8; `CommandError` saying why not."""
    try:
        path.write_text(data, encoding="utf-8")
    except OSError as err:
        raise CommandError(f"{path}: cannot write, {_why(err, path)}") from None


def _write_stdout(data: str) -> None:
    try:
        sys.stdout.write(data)
        sys.stdout.flush()
    except OSError as err:
        # nothing more can go there: not even the flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise CommandError(f"standard output: cannot write, {_why(err, None)}") from None


def _why(err: OSError, path: Path | None) -> str:
    """What went wrong writing, and what to do about it."""
    if isinstance(err, FileNotFoundError) and path is not None:
        return f"no such directory {path.parent}; create it or choose another file"
    if isinstance(err, IsADirectoryError):
        return "it is a directory; give a file name"
    if isinstance(err, PermissionError):
        return "permission denied; choose a file you can write"
    if err.errno == errno.ENOSPC:
        return "no space left on the device; free some space or write elsewhere"
    if isinstance(err, BrokenPipeError):
        return "the reader has gone (broken pipe)"
    return f"{err.strerror or err}; choose another file"


def _package_figures(cands: list[Candidate]) -> list[Candidate]:
    """The trade figures with a year; a note on stderr for each one left out."""
    keep = []
    for c in cands:
        if c.indicator != "trade" or c.year is None:
            why = "not trade: " + c.indicator if c.indicator != "trade" else "no year"
            print(
                f"note: {c.source}:{c.offset}: {c.reported_as!r} left out ({why})", file=sys.stderr
            )
        else:
            keep.append(c)
    return keep
