"""Parse one file into a DuckDB table `raw`: one VARCHAR column per record key and `_pos`, the
row (CSV, header = row 1) or record (JSON, from 1) each came from.

One reader per kind of file, each a library's: CSV is read by DuckDB's `read_csv` (cells as
text, never guessed: `cmdCode` 010121 stays 010121; rows it cannot read kept with their numbers
in its rejects table), JSON is streamed by `ijson`, one record at a time. Before either, one pass
over the bytes finds the encoding (UTF-8 with or without BOM, UTF-16 with its BOM; otherwise
ISO-8859-1 or Windows-1252, said in a note with the reason) and whether the lines are regular;
a file DuckDB cannot read as it is (UTF-16, Windows-1252, mixed line endings, empty lines) is
read from a normalised UTF-8 copy. The work is bounded: a row or record over
`MAX_RECORD_BYTES` or a line of over `MAX_CELLS` cells is a located problem, a ragged row costs
one problem (never one DuckDB error per cell), and a file whose records have none of the needed
columns is given up after `HOPELESS` of them.

The UN Comtrade+ website's CSV download is read as it is: every cell quoted, ISO-8859-1, and a
comma after the last cell of every row (48 cells under 47 names): that empty cell is allowed
when it is empty on every row.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import ijson
import pandas as pd

from sinorus.checks import LIMIT, Problem, Problems, shown
from sinorus.importers import common, comtrade
from sinorus.importers import observations as obs

MAX_RECORD_BYTES = 1 << 20  # a UN Comtrade row is a few hundred bytes
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
JSON_SHAPE = 'expected {"data": [...]} as the UN Comtrade API returns it'


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


# --- bytes: encoding, lines ----------------------------------------------------------------------

_C1 = re.compile(rb"[\x80-\x9f]")  # printable in Windows-1252, control codes in ISO-8859-1
_EMPTY_LINE = re.compile(rb"\n\r?\n")
ISO = "ISO-8859-1"
WINDOWS = "Windows-1252"


# --- the messages, named once --------------------------------------------------------------------


def not_encoded(name: str, reason: str) -> str:
    return f"not {name} ({reason}; expected UTF-8, UTF-16 with its byte-order mark, {ISO} or {WINDOWS} text)"


def header_too_long() -> str:
    return f"the header row is over {MAX_RECORD_BYTES // common.MB} MB (expected a header of column names)"


def too_many_cells(width: int) -> str:
    return f"line has over {MAX_CELLS:,} cells (expected a row of {width} cells)"


def record_too_long(number: int) -> str:
    return f"record {number:,} has over {MAX_RECORD_BYTES // common.MB} MB of text (expected records of a few hundred bytes)"


def not_json(where: str, reason) -> str:
    return f"not valid JSON{where}: {reason} ({JSON_SHAPE}; the file may be truncated)"


def value_too_long() -> str:
    return f"a value has over {MAX_RECORD_BYTES // common.MB} MB of text (expected records of a few hundred bytes)"


def not_comtrade_records(lacking: list[str]) -> str:
    return f"records are not UN Comtrade+ records: they lack {', '.join(lacking)} ({EXPECTED})"


def hopeless_records(last: int) -> str:
    return f"records {last - HOPELESS + 1:,}–{last:,} have none of the fields a UN Comtrade+ record needs; reading stopped (expected records like record 1)"


def api_error(error) -> str:
    return f"the file is a UN Comtrade API error response: '{shown(error, 200)}' (expected data records)"


@dataclass
class Text:
    """What DuckDB or ijson reads: `path` in `encoding` (DuckDB's name), and what was found."""

    path: Path
    encoding: str  # "utf-8" or "latin-1"
    json: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class _Scan:
    first: bytes = b""  # the first character that is not blank
    bad: tuple[int, int] | None = None  # (byte, line) of the first byte that is not UTF-8
    c1: tuple[int, int] | None = None  # (byte, line) of the first byte in 0x80-0x9F
    lf: int = 0
    cr: int = 0
    crlf: int = 0
    empty_line: bool = False  # an empty line with data after it (DuckDB skips those)


def _scan(path: Path) -> _Scan:
    """One streaming pass over the bytes (memory bounded whatever the size)."""
    scan, lines, last, pending = _Scan(), 0, b"\n", False
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            if not scan.first and block.strip():
                scan.first = block.lstrip().removeprefix(codecs.BOM_UTF8).lstrip()[:1]
            if scan.bad is None:
                data = decoder.getstate()[0] + block  # a character cut by the last block, and this
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as err:
                    scan.bad = (data[err.start], lines + data[: err.start].count(b"\n") + 1)
            if scan.c1 is None and (hit := _C1.search(block)):
                scan.c1 = (block[hit.start()], lines + block[: hit.start()].count(b"\n") + 1)
            window = last[-2:] + block
            scan.crlf += block.count(b"\r\n") + (last[-1:] == b"\r" and block[:1] == b"\n")
            scan.lf += block.count(b"\n")
            scan.cr += block.count(b"\r")
            if not scan.empty_line:
                if pending and block.strip():
                    scan.empty_line = True
                empties = list(_EMPTY_LINE.finditer(window))
                if empties or (lines == 0 and block[:1] in (b"\n", b"\r")):
                    pending = True
                    after = window[empties[-1].end() :] if empties else block
                    scan.empty_line = scan.empty_line or bool(after.strip())
            lines += block.count(b"\n")
            last = block
    if scan.bad is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.bad = (last[-1], lines + 1)
    return scan


def inspect(path: Path, file: str, workdir: Path) -> Text:
    """The file's encoding and kind (JSON or CSV), and the path to read: the file itself when
    DuckDB reads it as it is, else a normalised UTF-8 copy in `workdir`. Raises Stop."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        copy = _utf8_copy(path, "utf-16", file, workdir)
        first = copy.read_bytes()[:4096].lstrip().removeprefix(codecs.BOM_UTF8).lstrip()[:1]
        if not first:
            raise Stop(Problem(file, message="file is empty (expected a header row and data rows)"))
        return Text(copy, "utf-8", first in (b"{", b"["))
    scan = _scan(path)
    if not scan.first:
        raise Stop(Problem(file, message="file is empty (expected a header row and data rows)"))
    is_json = scan.first in (b"{", b"[")
    notes, encoding = [], "utf-8"
    if scan.bad is not None:
        encoding, note = _single_byte(scan)
        notes.append(note)
    mixed = (scan.crlf and (scan.crlf != scan.lf or scan.cr != scan.crlf)) or (
        not scan.crlf and scan.cr
    )
    if encoding == "cp1252" or mixed or scan.empty_line or (is_json and encoding != "utf-8"):
        python = "utf-8-sig" if encoding == "utf-8" else encoding
        return Text(_utf8_copy(path, python, file, workdir), "utf-8", is_json, notes)
    return Text(path, encoding, is_json, notes)


def _single_byte(scan: _Scan) -> tuple[str, str]:
    """The encoding a file that is not UTF-8 is read in, and the note saying so and why."""
    byte, line = scan.bad
    why = f"not UTF-8 (byte {byte:#04x} on line {line:,} is not UTF-8 text)"
    if scan.c1 is not None:
        c1, at = scan.c1
        return "cp1252", (
            f"{why}; read as {WINDOWS} because it has bytes in 0x80–0x9F (the first {c1:#04x} "
            f"on line {at:,}), characters in {WINDOWS} and control codes in {ISO}; if a name "
            "reads wrong, re-save the file as CSV UTF-8"
        )
    return "latin-1", (
        f"{why}; read as {ISO} (Latin-1), the encoding of the UN Comtrade+ website's CSV "
        f"download: it has no byte in 0x80–0x9F, where {WINDOWS} would differ; if a name reads "
        "wrong, re-save the file as CSV UTF-8"
    )


def _utf8_copy(path: Path, encoding: str, file: str, workdir: Path) -> Path:
    """A UTF-8 copy with one kind of line ending and no empty line (each becomes one space, a
    row of one blank cell: DuckDB skips empty lines, and the rows after them would be numbered
    wrong)."""
    out = workdir / "utf8-copy.txt"
    ended = True  # the start of the file is the start of a line
    try:
        with (
            open(path, encoding=encoding, newline=None) as src,
            open(out, "w", encoding="utf-8", newline="") as dst,
        ):
            while text := src.read(CHUNK):
                text = re.sub("\n(?=\n)", "\n ", text)
                dst.write((" " if ended and text[0] == "\n" else "") + text)
                ended = text[-1] == "\n"
    except UnicodeError as err:
        name = {"utf-16": "UTF-16 although it starts like it", "cp1252": WINDOWS}.get(
            encoding, encoding
        )
        raise Stop(Problem(file, message=not_encoded(name, err.reason))) from None
    return out


# --- CSV -----------------------------------------------------------------------------------------


@dataclass
class Header:
    cells: list[str]
    delimiter: str
    row: int  # its row in the file (after any blank lines)


def read_header(text: Text, file: str) -> Header:
    """The header's cells, the delimiter (`,`, `;` or tab, whichever the header uses most) and
    its row."""
    encoding = "utf-8-sig" if text.encoding == "utf-8" else text.encoding
    row = 1
    with open(text.path, encoding=encoding, newline="") as fh:
        line = fh.readline(MAX_RECORD_BYTES)
        while line and not line.strip():
            line, row = fh.readline(MAX_RECORD_BYTES), row + 1
    if len(line) >= MAX_RECORD_BYTES:
        raise Stop(Problem(file, row, message=header_too_long()))
    delimiter = max((",", ";", "\t"), key=line.count)
    try:
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error as err:
        raise Stop(Problem(file, row, message=f"cannot be read as CSV: {err}")) from None
    return Header([h.strip().lstrip("\ufeff") for h in cells], delimiter, row)


def detect(header: list[str], file: str, row: int = 1) -> tuple[Layout, dict[str, int], list[str]]:
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
            f"looks like a {common.FORMATS[best[1].format]} but lacks column(s) "
            f"{', '.join(best[2])} (expected them in the header)"
        )
    else:
        cells = ", ".join(shown(h, 40) for h in header[:12] if h) + (
            ", …" if len(header) > 12 else ""
        )
        message = f"not a recognised file: the header is '{cells}' ({EXPECTED})"
    raise Stop(Problem(file, row, None, message))


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
        f"columns differ from the {common.FORMATS[layout.format]} layout"
        + (f"; missing: {', '.join(gone)}" if gone else "")
        + (f"; extra: {', '.join(extra[:10])}" if extra else "")
        + "; read by column name"
    ]


_NULL = "\x01"  # DuckDB's null text: no cell is that, so an empty cell reads '' and NULL is padding
#: Cells a row may have (the header's and a few more are expected): a file with a line of more
#: delimiters than that is refused before DuckDB reads it.
MAX_CELLS = 1000


def _widest(text: Text, header: Header, file: str) -> int:
    """The most cells a line can have (its delimiters + 1, quotes not followed: an upper bound),
    so that DuckDB is given at least as many columns as any row has: a row with more would cost
    it one error per extra cell. Raises Stop past `MAX_CELLS`."""
    most, carry, lines = 0, b"", 0
    delimiter = header.delimiter.encode()
    with open(text.path, "rb") as fh:
        while block := fh.read(CHUNK):
            rows = (carry + block).split(b"\n")
            carry = rows.pop()
            counts = [row.count(delimiter) for row in rows] or [0]
            if max(counts) + 1 > MAX_CELLS:
                at = lines + next(i for i, n in enumerate(counts) if n + 1 > MAX_CELLS) + 1
                raise Stop(Problem(file, at, message=too_many_cells(len(header.cells))))
            most, lines = max(most, *counts), lines + len(rows)
    if carry.count(delimiter) + 1 > MAX_CELLS:
        raise Stop(Problem(file, lines + 1, message=too_many_cells(len(header.cells))))
    return max(most, carry.count(delimiter)) + 1


def read_csv(con, text: Text, header: Header, layout: Layout, index: dict[str, int], file: str):
    """Read the CSV with DuckDB into `raw` (its rows numbered as the file counts them); return
    (data rows read, problems of the rows DuckDB could not read or of another shape, notes).

    DuckDB is given more columns than the header (`null_padding` fills a shorter row with
    NULL, while an empty cell reads ''), so each row's cells are counted exactly (and read by
    one thread: DuckDB pads rows only so when a quoted cell may hold a line break). The empty
    cell after a trailing comma (the UN Comtrade+ website's download ends every row so) is
    allowed when it is empty on every row that has it."""
    width = len(header.cells)
    names = [f"c{i}" for i in range(max(width + 1, _widest(text, header, file)))]
    struct = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    target = str(text.path).replace("'", "''")
    delim = header.delimiter.replace("'", "''")
    blank = "" if header.delimiter == "\t" else header.delimiter  # a row of blank cells
    wanted = ", ".join(f'c{i} AS "{key}"' for key, i in index.items())
    cells = " + ".join(f"({n} IS NOT NULL)::INTEGER" for n in names)
    short_blank = f"c{width - 1} IS NULL AND regexp_full_match(concat({', '.join(names)}), '\\s*')"
    con.execute(
        f"""CREATE TABLE t AS SELECT {wanted}, c{width} AS _extra, {cells} AS _cells,
            {short_blank} AS _blank FROM read_csv('{target}', header = false,
            auto_detect = false, columns = {struct}, delim = '{delim}', quote = '"',
            escape = '"', null_padding = true, parallel = false, nullstr = '{_NULL}',
            store_rejects = true, strict_mode = true, max_line_size = {MAX_RECORD_BYTES},
            encoding = '{text.encoding}')"""
    )
    con.execute(
        f"""CREATE TABLE rejected AS SELECT line AS _pos, any_value(error_type) AS kind,
               any_value(error_message) AS message,
               regexp_full_match(any_value(csv_line), '[\\s{blank}]*') AS _blank
           FROM reject_errors GROUP BY line"""
    )
    _number_rows(con, con.execute("SELECT count(*) FROM rejected").fetchone()[0])
    data = f"_pos > {header.row} AND NOT _blank"
    trailing, filled = con.execute(
        f"SELECT count(*), count(*) FILTER (trim(_extra) <> '') FROM tp WHERE {data} AND _cells = {width + 1}"
    ).fetchone()
    right = f"_cells = {width}" + (f" OR _cells = {width + 1}" if not filled else "")
    missing = ", ".join(f'NULL::VARCHAR AS "{key}"' for key in layout.columns if key not in index)
    select = ", ".join(f'"{key}"' for key in index) + (f", {missing}" if missing else "")
    con.execute(f"CREATE VIEW raw AS SELECT _pos, {select} FROM tp WHERE {data} AND ({right})")
    con.execute(
        f"""CREATE VIEW misshapen AS
            SELECT _pos, 'CELLS' AS kind, 'Found: ' || _cells AS message FROM tp
            WHERE {data} AND NOT ({right})
            UNION ALL SELECT _pos, kind, message FROM rejected WHERE {data}"""
    )
    total = con.execute("SELECT count(*) FROM misshapen").fetchone()[0]
    first = con.execute(f"SELECT * FROM misshapen ORDER BY _pos LIMIT {LIMIT}").fetchall()
    found = Problems()
    found.extend((_reject_problem(file, *row, width) for row in first), total)
    read = con.execute(
        f"SELECT (SELECT count(*) FROM tp WHERE {data}) + (SELECT count(*) FROM rejected WHERE {data})"
    ).fetchone()[0]
    notes = []
    if trailing and not filled:
        rows = "every row ends" if trailing == read else f"{trailing:,} row(s) end"
        notes.append(
            f"{rows} with a comma after the header's {width} columns, as the UN Comtrade+ "
            "website's CSV download does: the empty cell after it is not read"
        )
    return read, found, notes


def _number_rows(con, rejected: int) -> None:
    """`tp`: `t` with `_pos`, each row's number in the file. DuckDB keeps the rows in order
    (rowid 0 is row 1) but leaves out those it rejects, so each row moves down by the number of
    rejects before it (found with an ASOF join; consecutive rejects share one gap). Empty lines,
    which DuckDB skips without a trace, never reach it: `inspect` reads those files from a copy."""
    if not rejected:
        con.execute("CREATE VIEW tp AS SELECT (rowid + 1)::INTEGER AS _pos, * FROM t")
        return
    con.execute(
        """CREATE TABLE gaps AS SELECT _pos - j AS gap_at, max(j) AS j FROM (
               SELECT _pos, row_number() OVER (ORDER BY _pos) AS j FROM rejected) GROUP BY gap_at"""
    )
    con.execute(
        """CREATE TABLE tp AS SELECT t.* EXCLUDE (_idx),
               (t._idx + 1 + coalesce(g.j, 0))::INTEGER AS _pos
           FROM (SELECT rowid AS _idx, * FROM t) t ASOF LEFT JOIN gaps g ON t._idx >= g.gap_at"""
    )


def _reject_problem(file: str, line: int, kind: str, message: str, width: int) -> Problem:
    found = re.search(r"Found: (\d+)", message or "")
    if kind in ("CELLS", "MISSING COLUMNS", "TOO MANY COLUMNS") and found:
        cells = int(found.group(1))
        text = f"row has {cells} cell(s), the header {width} (expected one cell per column)"
    elif kind == "LINE SIZE OVER MAXIMUM":
        text = f"row is over {MAX_RECORD_BYTES // common.MB} MB (expected a row of a few hundred bytes)"
    else:
        text = f"cannot be read as CSV: {shown(message, 120)} (the file may be truncated)"
    return Problem(file, int(line), message=text)


# --- JSON ----------------------------------------------------------------------------------------

_SCALARS = {"string", "number", "boolean", "null"}
_ERRORS = (ijson.JSONError, ValueError, UnicodeError)
_TYPE = {"start_map": "dict", "start_array": "list"}


class _Events:
    """ijson's events of a JSON document, with the record being read (to locate a problem)."""

    def __init__(self, fh, file: str):
        self.events = ijson.basic_parse(fh, use_float=True)
        self.file, self.number = file, 0  # the record being read

    def next(self) -> tuple[str, object]:
        try:
            return next(self.events)
        except (StopIteration, *_ERRORS) as err:
            self.fail(err)

    def fail(self, err: Exception):
        if isinstance(err, StopIteration):
            self.stop("the file ends early")
        self.stop(shown(str(err).splitlines()[0] if str(err) else type(err).__name__, 120))

    def record(self) -> dict:
        """The keys and values of the object just started (the loop every cell of a file goes
        through, kept tight): a list or an object in it is named by its type."""
        record, size, advance = {}, 0, self.events.__next__
        try:
            event, key = advance()
            while event != "end_map":
                event, value = advance()
                if event in _SCALARS:
                    size += len(value) if value.__class__ is str else 0
                    record[key] = value
                else:
                    record[key] = self.value(event, value)
                event, key = advance()
        except (StopIteration, *_ERRORS) as err:
            self.fail(err)
        if size > MAX_RECORD_BYTES:
            raise Stop(Problem(self.file, self.number, message=record_too_long(self.number)))
        return record

    def stop(self, reason: str):
        where = f" in or after record {self.number:,}" if self.number else ""
        raise Stop(Problem(self.file, self.number or None, message=not_json(where, reason)))

    def value(self, event: str, value):
        """A scalar as it is (text up to `MAX_RECORD_BYTES`); a list or an object skipped,
        named by its type."""
        if event in _SCALARS:
            if isinstance(value, str) and len(value) > MAX_RECORD_BYTES:
                raise Stop(Problem(self.file, message=value_too_long()))
            return value
        depth = 1
        while depth:
            ev, _ = self.next()
            depth += ev in _TYPE
            depth -= ev in ("end_map", "end_array")
        return _TYPE.get(event, event)


def json_records(events: _Events, info: dict):
    """Yield (record number, record) of `{"data": [records]}` (or a bare list of records);
    other top-level keys go into `info` (e.g. the API's `error`)."""
    event, _ = events.next()
    if event == "start_array":
        yield from _array(events)
        return
    if event != "start_map":
        events.stop(f"a {event} where an object or a list should be")
    while True:
        event, key = events.next()
        if event == "end_map":
            return
        event, value = events.next()
        if key == "data" and event == "start_array":
            info["data"] = True
            yield from _array(events)
        else:
            value = events.value(event, value)
            info[key] = value if isinstance(value, str | int | float | bool) else "NoneType"


def _array(events: _Events):
    while True:
        event, value = events.next()
        if event == "end_array":
            return
        events.number += 1
        if event != "start_map":
            kind = _TYPE.get(event) or type(value).__name__
            events.value(event, value)
            yield events.number, kind
            continue
        yield events.number, events.record()


def _open_json(path: Path):
    fh = open(path, "rb")
    if fh.read(3) != codecs.BOM_UTF8:
        fh.seek(0)
    return fh


def create_raw(con, layout: Layout) -> None:
    cols = ", ".join(f'"{key}" VARCHAR' for key in layout.columns)
    con.execute(f"CREATE TABLE raw (_pos INTEGER, {cols})")


def json_file(con, path: Path, file: str, result) -> Problems:
    """Stream a UN Comtrade+ JSON file into `raw`; problems of records that are not objects."""
    layout = JSON_LAYOUT
    by_lower = {col.lower(): key for key, col in layout.columns.items()}
    need = {col.lower() for col in layout.required}
    problems = Problems()
    info: dict = {}

    def records():
        hopeless = 0
        with _open_json(path) as fh:
            for n, rec in json_records(_Events(fh, file), info):
                result.read += 1
                if not isinstance(rec, dict):
                    problems.add(Problem(file, n, message=f"record is {rec} (expected an object)"))
                    continue
                lower = {k.lower(): k for k in rec}
                if n == 1 and need - set(lower):
                    lacking = [col for col in layout.required if col.lower() not in lower]
                    raise Stop(Problem(file, 1, message=not_comtrade_records(lacking)))
                hopeless = hopeless + 1 if not need & set(lower) else 0
                if hopeless >= HOPELESS:
                    raise Stop(Problem(file, n, message=hopeless_records(n)))
                yield n, {by_lower[k]: rec[orig] for k, orig in lower.items() if k in by_lower}

    create_raw(con, layout)
    insert(con, layout, records())
    if result.read == 0:
        if info.get("error"):
            raise Stop(Problem(file, message=api_error(info["error"])))
        if info and info.get("data") is not True:  # True: a list of records was read
            keys = ", ".join(shown(k, 30) for k in list(info)[:8])
            raise Stop(
                Problem(
                    file, field="data", message=f"no list of records (found: {keys}; {JSON_SHAPE})"
                )
            )
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
