"""`read(path or bytes, name)`: size check, decoding, format detection, then the format's reader."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from pathlib import Path

from sinorus.importers import common as c
from sinorus.importers import comtrade
from sinorus.importers import observations as obs
from sinorus.load import Problem

#: header column (lower-cased) -> the layout's own spelling, per CSV layout
_LAYOUTS = {
    "comtrade_plus_csv": (comtrade.PLUS_COLUMNS, comtrade.PLUS_REQUIRED),
    "comtrade_legacy_csv": (comtrade.LEGACY_COLUMNS, comtrade.LEGACY_REQUIRED),
    "observations_csv": (obs.COLUMNS + ["review"], obs.REQUIRED),
}
_EXPECTED = (
    "expected one of: a UN Comtrade+ CSV (columns typeCode, freqCode, refYear, reporterCode, "
    "flowCode, partnerCode, cmdCode, primaryValue, …), a UN Comtrade+ JSON file "
    '({"data": [records]}), a legacy UN Comtrade CSV (columns Classification, Year, Period, '
    "Trade Flow Code, Reporter Code, Partner Code, Commodity Code, Trade Value (US$), …) or a "
    "sinorus observation table (columns id, indicator, year, value, unit, qualifier, source_id, "
    "quote, …)"
)


def read(
    source: bytes | str | os.PathLike,
    name: str | None = None,
    *,
    today: date | None = None,
    max_bytes: int = c.MAX_UPLOAD_BYTES,
) -> c.ImportResult:
    """Read one file (a path, or its bytes plus its file name) into an `ImportResult`.

    Never raises for a bad file: everything wrong is in `result.problems` (and `result.rows` is
    then empty: the file is rejected whole).
    """
    if isinstance(source, bytes | bytearray):
        file = Path(name or "upload").name
        data = bytes(source)
        if len(data) > max_bytes:
            return _too_big(file, len(data), max_bytes)
    else:
        path = Path(source)
        file = Path(name).name if name else path.name
        try:
            size = path.stat().st_size
        except OSError as err:
            return c.ImportResult(file, problems=[Problem(file, message=f"cannot be read ({err.strerror or err})")])  # fmt: skip
        if size > max_bytes:
            return _too_big(file, size, max_bytes)
        data = path.read_bytes()
    result = c.ImportResult(file, checksum=c.checksum(data), size=len(data))
    if not data.strip():
        result.problems.append(Problem(file, message="file is empty (expected a header row and data rows)"))  # fmt: skip
        return result
    textual = _decode(data, result)
    if textual is None:
        return result
    today = today or date.today()
    if textual.lstrip().startswith(("{", "[")):
        _read_json(textual, result, today)
    else:
        _read_csv(textual, result, today)
    if result.problems:
        result.rows = c.empty_rows()
    elif result.format and not result.read:
        result.problems.append(Problem(file, message="no data rows (expected at least one row after the header)"))  # fmt: skip
    elif result.format and not result.kept:
        result.notes.append("no row is China–Russia trade in scope: nothing to show")
    return result


def _too_big(file: str, size: int, max_bytes: int) -> c.ImportResult:
    mb = 1024 * 1024
    return c.ImportResult(
        file,
        size=size,
        problems=[
            Problem(
                file,
                message=f"file is {size / mb:.1f} MB (expected at most {max_bytes / mb:g} MB; "
                "download fewer years, commodities or partners at a time)",
            )
        ],
    )


def _decode(data: bytes, result: c.ImportResult) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        result.problems.append(
            Problem(
                result.file,
                line,
                message=f"not UTF-8: byte {data[err.start]:#04x} (expected UTF-8 text, as UN "
                "Comtrade downloads are; re-save the file as CSV UTF-8)",
            )
        )
        return None


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(textual: str, result: c.ImportResult, today: date) -> None:
    file = result.file
    first_line = textual.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(textual, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        result.problems.append(Problem(file, message="file is empty (expected a header row)"))
        return
    except csv.Error as err:
        result.problems.append(Problem(file, 1, message=f"cannot be read as CSV: {err}"))
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    fmt, names, missing = _detect(header)
    if fmt is None:
        shown = ", ".join(h for h in header[:12] if h) + (", …" if len(header) > 12 else "")
        if missing:
            message = (
                f"looks like a {c.FORMATS[missing[0]]} but lacks column(s) "
                f"{', '.join(missing[1])} (expected them in the header)"
            )
        else:
            message = f"not a recognised file: the header is '{shown}' ({_EXPECTED})"
        result.problems.append(Problem(file, 1, None, message))
        return
    result.format = fmt
    layout_columns = _LAYOUTS[fmt][0]
    if fmt != "observations_csv" and header != layout_columns:
        gone = [col for col in layout_columns if col not in names.values()]
        extra = [h for h in header if h and h.lower() not in {x.lower() for x in layout_columns}]
        if gone or extra:
            result.notes.append(
                f"columns differ from the {c.FORMATS[fmt]} layout"
                + (f"; missing: {', '.join(gone)}" if gone else "")
                + (f"; extra: {', '.join(extra)}" if extra else "")
                + "; read by column name"
            )
    result.source = c.source_row(file, fmt, result.checksum, today)
    mapping = comtrade.PLUS_MAP if fmt == "comtrade_plus_csv" else comtrade.LEGACY_MAP
    keyed = {h: h for h in header} if fmt == "observations_csv" else _keys(mapping, names)

    wanted = [(i, keyed[h]) for i, h in enumerate(header) if h in keyed]

    def records():
        pos = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                result.problems.append(
                    Problem(
                        file,
                        pos + 1,
                        message=f"cannot be read as CSV: {err} (the file may be truncated)",
                    )  # fmt: skip
                )
                return
            pos += 1
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if len(cells) != len(header):
                result.read += 1
                result.problems.append(
                    Problem(
                        file,
                        pos,
                        message=f"row has {len(cells)} cell(s), the header {len(header)} "
                        "(expected one cell per column)",
                    )
                )
                continue
            yield pos, {key: cells[i] for i, key in wanted}

    sid = result.source["id"]
    if fmt == "observations_csv":
        rows = obs.read_records(records(), file=file, source_id=sid, result=result)
    else:
        layout = "plus" if fmt == "comtrade_plus_csv" else "legacy"
        rows = comtrade.read_records(
            records(), file=file, layout=layout, source_id=sid, result=result
        )
    result.rows = c.frame(rows)


def _detect(header: list[str]):
    """(format, {header spelling: layout column}, None), or (None, {}, (closest format, lacking))."""
    present = {h.lower(): h for h in header if h}
    best = None
    for fmt, (columns, required) in _LAYOUTS.items():
        lacking = [r for r in required if r.lower() not in present]
        if not lacking:
            names = {present[col.lower()]: col for col in columns if col.lower() in present}
            return fmt, names, None
        overlap = sum(1 for col in columns if col.lower() in present)
        if overlap >= 3 and (best is None or overlap > best[0]):
            best = (overlap, fmt, lacking)
    return None, {}, (best[1], best[2]) if best else None


def _keys(mapping: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """header spelling -> record key, for the columns the layout maps."""
    by_lower = {k.lower(): k for k in names}
    out = {}
    for key, column in mapping.items():
        spelled = by_lower.get(column.lower())
        if spelled is not None:
            out[spelled] = key
    return out


# --- JSON ---------------------------------------------------------------------------------------


def _read_json(textual: str, result: c.ImportResult, today: date) -> None:
    file = result.file
    try:
        doc = json.loads(textual)
    except json.JSONDecodeError as err:
        result.problems.append(
            Problem(
                file,
                err.lineno,
                message=f"not valid JSON: {err.msg} at column {err.colno} "
                '(expected {"data": [...]} as the UN Comtrade API returns it)',
            )  # fmt: skip
        )
        return
    records = doc.get("data") if isinstance(doc, dict) else doc
    if isinstance(doc, dict) and doc.get("error") and not records:
        result.problems.append(
            Problem(
                file,
                message=f"the file is a UN Comtrade API error response: '{doc['error']}' (expected data records)",
            )  # fmt: skip
        )
        return
    if not isinstance(records, list):
        keys = ", ".join(list(doc)[:8]) if isinstance(doc, dict) else type(doc).__name__
        result.problems.append(
            Problem(
                file,
                field="data",
                message=f"no list of records (found: {keys}; "
                'expected {"data": [...]} as the UN Comtrade API returns it)',
            )  # fmt: skip
        )
        return
    result.format = "comtrade_plus_json"
    if not records:
        return
    first = records[0]
    lower = {k.lower() for k in first} if isinstance(first, dict) else set()
    lacking = [r for r in comtrade.PLUS_REQUIRED if r.lower() not in lower]
    if not isinstance(first, dict) or lacking:
        result.format = None
        result.problems.append(
            Problem(
                file,
                1,
                field=None,
                message="records are not UN Comtrade+ records"
                + (f": they lack {', '.join(lacking)}" if isinstance(first, dict) else "")
                + f" ({_EXPECTED})",
            )
        )
        return
    result.source = c.source_row(file, "comtrade_plus_json", result.checksum, today)
    by_lower = {col.lower(): key for key, col in comtrade.PLUS_MAP.items()}

    def keyed():
        for n, rec in enumerate(records, start=1):
            if not isinstance(rec, dict):
                result.read += 1
                result.problems.append(Problem(file, n, message=f"record is {type(rec).__name__} (expected an object)"))  # fmt: skip
                continue
            yield n, {by_lower[k.lower()]: v for k, v in rec.items() if k.lower() in by_lower}

    rows = comtrade.read_records(
        keyed(), file=file, layout="plus", source_id=result.source["id"], result=result
    )
    result.rows = c.frame(rows)
