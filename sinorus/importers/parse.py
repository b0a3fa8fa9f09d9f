"""Parse one file into a DuckDB table `raw`: one VARCHAR column per record key and `_pos`, the
row (CSV, header = row 1) or record (JSON, from 1) each came from.

Regular CSV files are read by DuckDB itself (typed as text, never guessed: `cmdCode` 010121 stays
010121), with the rows it cannot read kept with their row numbers. JSON, and CSV that DuckDB's
strict reader refuses (mixed line endings, blank lines between rows), are streamed by Python in
bounded chunks. Either way the work is bounded: a row or record over `MAX_RECORD_BYTES`, a number
over `MAX_DIGITS` digits or JSON nested deeper than Python reads stops the reading with a located
problem, and a file whose records have none of the needed columns is given up after `HOPELESS`
of them.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sinorus.checks import LIMIT, Problem, Problems, shown
from sinorus.importers import common as c
from sinorus.importers import comtrade
from sinorus.importers import observations as obs

MAX_RECORD_BYTES = 1 << 20  # a UN Comtrade row is a few hundred bytes
MAX_DIGITS = 40
HOPELESS = 1000  # consecutive records without any needed column: stop reading
BATCH = 50_000
CHUNK = 1 << 22
EXPECTED = (
    "expected one of: a UN Comtrade+ CSV (columns typeCode, freqCode, refYear, reporterCode, "
    "flowCode, partnerCode, cmdCode, primaryValue, …), a UN Comtrade+ JSON file "
    '({"data": [records]}), a legacy UN Comtrade CSV (columns Classification, Year, Period, '
    "Trade Flow Code, Reporter Code, Partner Code, Commodity Code, Trade Value (US$), …) or a "
    "sinorus observation table (columns id, indicator, year, value, unit, qualifier, source_id, "
    "quote, …)"
)


@dataclass(frozen=True)
class Layout:
    """A file format: the record keys its rows give, the column each key is read from."""

    format: str
    columns: dict[str, str]  # record key -> column name as the format spells it
    required: tuple[str, ...]
    unit: str = "row"


LAYOUTS = {
    "comtrade_plus_csv": Layout("comtrade_plus_csv", comtrade.PLUS_MAP, comtrade.PLUS_REQUIRED),
    "comtrade_legacy_csv": Layout(
        "comtrade_legacy_csv", comtrade.LEGACY_MAP, comtrade.LEGACY_REQUIRED
    ),
    "observations_csv": Layout("observations_csv", obs.KEYS, obs.REQUIRED),
}
JSON_LAYOUT = Layout("comtrade_plus_json", comtrade.PLUS_MAP, comtrade.PLUS_REQUIRED, "record")
FULL_COLUMNS = {
    "comtrade_plus_csv": comtrade.PLUS_COLUMNS,
    "comtrade_legacy_csv": comtrade.LEGACY_COLUMNS,
}


class Stop(Exception):
    """Reading stops here: the file cannot be read further (the problem says why)."""

    def __init__(self, problem: Problem):
        self.problem = problem


# --- bytes: encoding, shape ------------------------------------------------------------------


@dataclass
class Shape:
    text_path: Path  # UTF-8 text (the file itself, or a UTF-8 copy of a UTF-16 file)
    json: bool
    regular: bool = True  # every row has the header's cells, no blank or over-long rows


def inspect(path: Path, file: str, workdir: Path) -> Shape:
    """Check the file decodes (UTF-8, or UTF-16 with its byte-order mark) and whether it is JSON,
    streaming: memory stays bounded whatever the size. Raises Stop."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        path = _utf16_to_utf8(path, file, workdir)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, first = 0, None
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as err:
                line = lines + block[: err.start].count(b"\n") + 1
                raise Stop(
                    Problem(
                        file,
                        line,
                        message=f"not UTF-8: byte {block[err.start]:#04x} (expected UTF-8 text, "
                        "as UN Comtrade downloads are; re-save the file as CSV UTF-8)",
                    )
                ) from None
            if first is None and block.strip():
                first = block.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
            lines += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Stop(Problem(file, lines + 1, message="not UTF-8: the file ends inside a character (expected UTF-8 text; the file may be truncated)")) from None  # fmt: skip
    if first is None:
        raise Stop(Problem(file, message="file is empty (expected a header row and data rows)"))
    return Shape(path, first in (b"{", b"["))


def regular_csv(path: Path, delimiter: str, width: int) -> bool:
    """Whether every row of the CSV has `width` cells, no row is blank or over
    `MAX_RECORD_BYTES`, and one kind of line ending is used: the shape DuckDB's strict reader
    reads exactly. Quotes are followed as CSV does (a delimiter or line break inside quotes is
    part of a cell), vectorised with numpy over bounded chunks."""
    parity, cells, length, endings = 0, 0, 0, set()
    first, last_byte = True, 0
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            a = np.frombuffer(block, np.uint8)
            if parity or b'"' in block:
                quoted = (np.cumsum(a == 34, dtype=np.int32) + parity) & 1
                outside = quoted == 0
                ends = np.flatnonzero((a == 10) & outside)
                seps = np.cumsum((a == ord(delimiter)) & outside, dtype=np.int32)
                parity = int(quoted[-1])
            else:
                ends = np.flatnonzero(a == 10)
                seps = np.cumsum(a == ord(delimiter), dtype=np.int32)
            if len(ends):
                per_row = np.diff(np.concatenate(([0], seps[ends]))) + 1
                per_row[0] += cells
                starts = np.concatenate(([-1], ends[:-1]))
                sizes = ends - starts - 1
                sizes[0] += length
                crlf = a[np.maximum(ends - 1, 0)] == 13
                if ends[0] == 0:  # the line's \r, if any, ended the previous chunk
                    crlf[0] = last_byte == 13
                if first:  # the header row
                    if sizes[0] - crlf[0] <= 0:
                        return False  # a blank line before it: read row by row
                    per_row, sizes, crlf, first = per_row[1:], sizes[1:], crlf[1:], False
                blank = sizes - crlf <= 0
                if (
                    (per_row[~blank] != width).any()
                    or blank.any()
                    or (sizes > MAX_RECORD_BYTES).any()
                ):
                    return False
                endings.update(set(crlf.tolist()))
                cells = int(seps[-1] - seps[ends[-1]])
                length = len(a) - ends[-1] - 1
            else:
                cells += int(seps[-1]) if len(seps) else 0
                length += len(a)
            if length > MAX_RECORD_BYTES or len(endings) > 1:
                return False
            last_byte = int(a[-1])
    return not parity  # an open quote at the end: truncated


def _utf16_to_utf8(path: Path, file: str, workdir: Path) -> Path:
    out = workdir / "utf8-copy.txt"
    try:
        with open(path, encoding="utf-16") as src, open(out, "w", encoding="utf-8") as dst:
            while text := src.read(CHUNK):
                dst.write(text)
    except UnicodeError as err:
        raise Stop(Problem(file, message=f"not UTF-16 although it starts like it ({err.reason}; expected UTF-8 or UTF-16 text)")) from None  # fmt: skip
    return out


# --- CSV -----------------------------------------------------------------------------------------


def read_header(path: Path, file: str) -> tuple[list[str], str]:
    """The header's cells and the delimiter (`,`, `;` or tab, whichever the header uses most)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        line = fh.readline(MAX_RECORD_BYTES)
        while line and not line.strip():
            line = fh.readline(MAX_RECORD_BYTES)
    if len(line) >= MAX_RECORD_BYTES:
        raise Stop(Problem(file, 1, message=f"the header row is over {MAX_RECORD_BYTES // c.MB} MB (expected a header of column names)"))  # fmt: skip
    delimiter = max((",", ";", "\t"), key=line.count)
    try:
        header = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error as err:
        raise Stop(Problem(file, 1, message=f"cannot be read as CSV: {err}")) from None
    return [h.strip().lstrip("\ufeff") for h in header], delimiter


def detect(header: list[str], file: str) -> tuple[Layout, dict[str, int], list[str]]:
    """(layout, {record key: column index}, notes) of a CSV header; Stop if no format fits."""
    present = {h.lower(): i for i, h in enumerate(header) if h}
    best = None
    for layout in LAYOUTS.values():
        lacking = [col for col in layout.required if col.lower() not in present]
        if not lacking:
            index = {
                key: present[col.lower()]
                for key, col in layout.columns.items()
                if col.lower() in present
            }
            return layout, index, _layout_notes(layout, header)
        overlap = sum(1 for col in layout.columns.values() if col.lower() in present)
        if overlap >= 3 and (best is None or overlap > best[0]):
            best = (overlap, layout, lacking)
    if best:
        message = (
            f"looks like a {c.FORMATS[best[1].format]} but lacks column(s) "
            f"{', '.join(best[2])} (expected them in the header)"
        )
    else:
        cells = ", ".join(shown(h, 40) for h in header[:12] if h) + (", …" if len(header) > 12 else "")  # fmt: skip
        message = f"not a recognised file: the header is '{cells}' ({EXPECTED})"
    raise Stop(Problem(file, 1, None, message))


def _layout_notes(layout: Layout, header: list[str]) -> list[str]:
    full = FULL_COLUMNS.get(layout.format)
    if full is None or header == full:
        return []
    lower = {h.lower() for h in header}
    gone = [col for col in full if col.lower() not in lower]
    extra = [shown(h, 40) for h in header if h and h.lower() not in {x.lower() for x in full}]
    if not (gone or extra):
        return []
    return [
        f"columns differ from the {c.FORMATS[layout.format]} layout"
        + (f"; missing: {', '.join(gone)}" if gone else "")
        + (f"; extra: {', '.join(extra[:10])}" if extra else "")
        + "; read by column name"
    ]


def create_raw(con, layout: Layout) -> None:
    cols = ", ".join(f'"{key}" VARCHAR' for key in layout.columns)
    con.execute(f"CREATE TABLE raw (_pos INTEGER, {cols})")


def csv_fast(con, path: Path, layout: Layout, index: dict[str, int], header, delimiter, file):
    """Read a regular CSV with DuckDB into `raw`; return (records read, problems of rows it
    could not read). Raises duckdb.Error when DuckDB's strict reader refuses the file."""
    names = {f"c{i}": "VARCHAR" for i in range(len(header))}
    struct = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    wanted = ", ".join(f'c{i} AS "{key}"' for key, i in index.items())
    missing = ", ".join(f'NULL::VARCHAR AS "{key}"' for key in layout.columns if key not in index)
    target = str(path).replace("'", "''")
    delim = delimiter.replace("'", "''")
    con.execute(
        f"""CREATE TABLE t AS SELECT {wanted} FROM read_csv('{target}', header = true,
            auto_detect = false, columns = {struct}, delim = '{delim}', quote = '"',
            escape = '"', store_rejects = true, strict_mode = true,
            max_line_size = {MAX_RECORD_BYTES}, encoding = 'utf-8')"""
    )
    con.execute(
        """CREATE TABLE rejected AS SELECT line, any_value(error_type) AS kind,
               any_value(error_message) AS message FROM reject_errors GROUP BY line"""
    )
    select = ", ".join(f'"{key}"' for key in index) + (f", {missing}" if missing else "")
    total = con.execute("SELECT count(*) FROM rejected").fetchone()[0]
    con.execute("DROP TABLE raw")
    if not total:
        con.execute(f"CREATE VIEW raw AS SELECT (rowid + 2)::INTEGER AS _pos, {select} FROM t")
    else:
        # rowid counts the rows DuckDB kept; the rows it could not read shift the rest down
        # (consecutive ones share a `t`: the rows after them are shifted by the last's `j`).
        con.execute(
            """CREATE TABLE gaps AS SELECT line - j - 1 AS t, max(j) AS j FROM (
                   SELECT line, row_number() OVER (ORDER BY line) AS j FROM rejected)
               GROUP BY t"""
        )
        con.execute(
            f"""CREATE TABLE raw AS SELECT (t._idx + 2 + coalesce(g.j, 0))::INTEGER AS _pos, {select}
                FROM (SELECT rowid AS _idx, * FROM t) t ASOF LEFT JOIN gaps g ON t._idx >= g.t"""
        )
    kept = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    found = Problems()
    first = con.execute(f"SELECT * FROM rejected ORDER BY line LIMIT {LIMIT}").fetchall()
    found.extend((_reject_problem(file, *row, len(header)) for row in first), total)
    return kept + total, found


def _reject_problem(file: str, line: int, kind: str, message: str, width: int) -> Problem:
    found = re.search(r"Found: (\d+)", message or "")
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS") and found:
        text = (
            f"row has {found.group(1)} cell(s), the header {width} (expected one cell per column)"
        )
    elif kind == "LINE SIZE OVER MAXIMUM":
        text = f"row is over {MAX_RECORD_BYTES // c.MB} MB (expected a row of a few hundred bytes)"
    else:
        text = f"cannot be read as CSV: {shown(message, 120)} (the file may be truncated)"
    return Problem(file, int(line), message=text)


def csv_streamed(con, path: Path, layout: Layout, index: dict[str, int], width, delimiter, file):
    """Read an irregular CSV into `raw` in bounded batches; (records read, problems)."""
    csv.field_size_limit(MAX_RECORD_BYTES)
    problems = Problems()
    read = 0

    def records():
        nonlocal read
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            pos, header = 0, False
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as err:
                    why = (
                        f"a cell is over {MAX_RECORD_BYTES // c.MB} MB (expected cells of a few hundred bytes)"
                        if "field larger" in str(err)
                        else f"cannot be read as CSV: {shown(err, 120)} (the file may be truncated)"
                    )
                    problems.add(Problem(file, pos + 1, message=why))
                    return
                pos += 1
                if not any(cell.strip() for cell in cells):
                    continue  # a blank line
                if not header:
                    header = True  # the first line that is not blank, as read_header reads it
                    continue
                read += 1
                if len(cells) != width:
                    problems.add(Problem(file, pos, message=f"row has {len(cells)} cell(s), the header {width} (expected one cell per column)"))  # fmt: skip
                    continue
                yield pos, {key: cells[i] for key, i in index.items()}

    insert(con, layout, records())
    return read, problems


# --- JSON ----------------------------------------------------------------------------------------


class _Refused(ValueError):
    pass


def _int(text: str):
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _Refused(f"a number of {digits:,} digits (expected at most {MAX_DIGITS})")
    return int(text)


def _float(text: str):
    if len(text) > MAX_DIGITS + 10:
        raise _Refused(f"a number of {len(text):,} characters (expected at most {MAX_DIGITS})")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"{shown(text, 20)} is beyond any number (expected a value in US$)")
    return value


def _constant(text: str):
    raise _Refused(f"{text} (expected a number; NaN and Infinity are not JSON values)")


_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


class JsonStream:
    """A JSON document read in chunks: values decoded one at a time, so a file of any size is
    read in bounded memory (one record at a time, at most `MAX_RECORD_BYTES` each)."""

    def __init__(self, fh, file: str):
        self.fh, self.file = fh, file
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.line += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def where(self) -> int:
        return self.line + self.buf.count("\n", 0, self.pos)

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self.fill():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, chars: str, what: str) -> str:
        ch = self.peek()
        if not ch or ch not in chars:
            self.stop(f"not valid JSON: found {shown(ch, 10)!r} where {what} should be (expected {{\"data\": [...]}} as the UN Comtrade API returns it)")  # fmt: skip
        self.pos += 1
        return ch

    def value(self, record: int | None = None):
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as err:
                near_end = err.pos >= len(self.buf) - 64 or "Unterminated" in err.msg
                if near_end and len(self.buf) - self.pos < MAX_RECORD_BYTES and self.fill():
                    continue
                if len(self.buf) - self.pos >= MAX_RECORD_BYTES:
                    self.stop(f"a value over {MAX_RECORD_BYTES // c.MB} MB" + (f" in record {record}" if record else "") + " (expected records of a few hundred bytes)")  # fmt: skip
                self.pos = min(err.pos, len(self.buf))
                self.stop(f"not valid JSON: {err.msg} (expected {{\"data\": [...]}} as the UN Comtrade API returns it; the file may be truncated)")  # fmt: skip
            except RecursionError:
                self.stop("not valid JSON for a table: nested deeper than a record can be (expected records of plain values)")  # fmt: skip
            except _Refused as err:
                self.stop(f"not a readable value: {err}" + (f" in record {record}" if record else ""))  # fmt: skip
            if end - self.pos > MAX_RECORD_BYTES:
                self.stop(f"a value over {MAX_RECORD_BYTES // c.MB} MB" + (f" in record {record}" if record else "") + " (expected records of a few hundred bytes)")  # fmt: skip
            self.pos = end
            return value

    def stop(self, message: str):
        raise Stop(Problem(self.file, self.where(), message=message))


def json_records(stream: JsonStream, info: dict):
    """Yield (record number, record) of `{"data": [records]}` (or a bare list of records);
    other top-level keys go into `info` (e.g. the API's `error`)."""
    if stream.peek() == "[":
        yield from _array(stream)
        return
    stream.expect("{", "an object")
    if stream.peek() == "}":
        stream.pos += 1
        return
    while True:
        key = stream.value()
        if not isinstance(key, str):
            stream.stop("not valid JSON: an object key is not a string")
        stream.expect(":", "':'")
        if key == "data" and stream.peek() == "[":
            info["data"] = True
            yield from _array(stream)
        else:
            value = stream.value()
            info[key] = value if isinstance(value, str | int | float | bool) else type(value).__name__  # fmt: skip
        if stream.expect(",}", "',' or '}'") == "}":
            return


def _array(stream: JsonStream):
    stream.expect("[", "'['")
    if stream.peek() == "]":
        stream.pos += 1
        return
    n = 0
    while True:
        n += 1
        yield n, stream.value(record=n)
        if stream.expect(",]", "',' or ']'") == "]":
            return


def json_file(con, path: Path, file: str, result) -> Problems:
    """Stream a UN Comtrade+ JSON file into `raw`; problems of records that are not objects."""
    layout = JSON_LAYOUT
    by_lower = {col.lower(): key for key, col in layout.columns.items()}
    need = {col.lower() for col in layout.required}
    problems = Problems()
    info: dict = {}

    def records():
        hopeless = 0
        with open(path, encoding="utf-8-sig") as fh:
            for n, rec in json_records(JsonStream(fh, file), info):
                result.read += 1
                if not isinstance(rec, dict):
                    problems.add(Problem(file, n, message=f"record is {type(rec).__name__} (expected an object)"))  # fmt: skip
                    continue
                lower = {k.lower(): k for k in rec if isinstance(k, str)}
                if n == 1 and need - set(lower):
                    lacking = [col for col in layout.required if col.lower() not in lower]
                    raise Stop(Problem(file, 1, message=f"records are not UN Comtrade+ records: they lack {', '.join(lacking)} ({EXPECTED})"))  # fmt: skip
                hopeless = hopeless + 1 if not need & set(lower) else 0
                if hopeless >= HOPELESS:
                    raise Stop(Problem(file, n, message=f"records {n - HOPELESS + 1:,}–{n:,} have none of the fields a UN Comtrade+ record needs; reading stopped (expected records like record 1)"))  # fmt: skip
                yield n, {by_lower[k]: rec[orig] for k, orig in lower.items() if k in by_lower}

    create_raw(con, layout)
    insert(con, layout, records())
    if result.read == 0:
        if info.get("error"):
            raise Stop(Problem(file, message=f"the file is a UN Comtrade API error response: '{shown(info['error'], 200)}' (expected data records)"))  # fmt: skip
        if info and info.get("data") is not True:  # True: a list of records was read
            keys = ", ".join(shown(k, 30) for k in list(info)[:8])
            raise Stop(Problem(file, field="data", message=f"no list of records (found: {keys}; expected {{\"data\": [...]}} as the UN Comtrade API returns it)"))  # fmt: skip
    return problems


def insert(con, layout: Layout, records) -> None:
    """Insert (position, record) pairs into `raw` in batches of `BATCH` rows, cells as text."""
    keys = list(layout.columns)
    batch: dict[str, list] = {"_pos": [], **{k: [] for k in keys}}
    for pos, rec in records:
        batch["_pos"].append(pos)
        for k in keys:
            value = rec.get(k)
            batch[k].append(None if value is None else _text(value))
        if len(batch["_pos"]) >= BATCH:
            _flush(con, batch)
    _flush(con, batch)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


def _flush(con, batch: dict[str, list]) -> None:
    if not batch["_pos"]:
        return
    frame = pd.DataFrame(batch, dtype=object).astype({"_pos": "int64"})
    con.register("batch_frame", frame)
    con.execute("INSERT INTO raw SELECT * FROM batch_frame")
    con.unregister("batch_frame")
    for values in batch.values():
        values.clear()
