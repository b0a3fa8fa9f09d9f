"""The file parser (sinorus/importers/parse.py, through `read`): each branch of
format detection, encoding and delimiter, the exact words and rows of every refusal, the JSON
reader's limits at N and N+1, and rows numbered as the file counts them whether DuckDB reads the
file as it is or a normalised copy of it. Inputs are SYNTHETIC, written in the test."""

import codecs
import json

import pandas as pd
import pytest

from sinorus.checks import LIMIT
from sinorus.importers import parse, read
from sinorus.importers.comtrade import PLUS_COLUMNS
from tests.problem_lines import assert_located
from tests.trade_tables import RUS_CHN, legacy_csv, lines, plus_csv, table

F = "f-synthetic.csv"
J = "f-synthetic.json"
EXPECTED = parse.EXPECTED
JSON_SHAPE = 'expected {"data": [...]} as the UN Comtrade API returns it'


def rd(data, work, name=F):
    return read(data, name, workdir=work)


def summary(result):
    return (result.format, result.read, result.kept, dict(result.skipped), lines(result), result.problem_count, result.notes)  # fmt: skip


def same_rows(a, b):
    """The kept rows of two reads of the same table (their source ids differ with the bytes)."""
    cols = [c for c in a.rows.columns if c != "source_id"]
    pd.testing.assert_frame_equal(a.rows[cols], b.rows[cols])


GOOD = [{}, {"flowCode": "M", "primaryValue": "7.5"}, {**RUS_CHN, "cmdCode": "27", "cmdDesc": "SYNTHETIC, with a comma"},
        {"freqCode": "M"}]  # fmt: skip


@pytest.fixture(scope="module")
def plain(work):
    return rd(plus_csv(*GOOD), work)


# --- detection: formats, delimiters, encodings ---------------------------------------------------


def test_the_plain_file_reads_as_expected(plain):
    assert summary(plain) == ("comtrade_plus_csv", 4, 3, {"monthly or quarterly figures: only annual figures are used": 1}, [], 0, [])  # fmt: skip
    assert plain.rows.sort_values("row")["value_usd"].tolist() == [100.0, 7.5, 100.0]
    assert plain.rows.sort_values("row")["commodity"].tolist() == ["SYNTHETIC All", "SYNTHETIC All", "SYNTHETIC, with a comma"]  # fmt: skip


def quoted_trailing(data: bytes) -> bytes:
    """The UN Comtrade+ website's shape: header unquoted, every data cell quoted (an empty one
    left empty), a comma after the last cell of every data row."""
    import csv
    import io

    header, *rows = csv.reader(io.StringIO(data.decode()))
    body = "".join(",".join(f'"{c}"' if c else "" for c in row) + ",\n" for row in rows)
    return (",".join(header) + "\n" + body).encode()


def _variants():
    text = plus_csv(*GOOD).decode()
    return {
        "semicolon": plus_csv(*GOOD, delimiter=";"),
        "tab": plus_csv(*GOOD, delimiter="\t"),
        "crlf": plus_csv(*GOOD, newline="\r\n"),
        "mixed line endings": plus_csv(*GOOD, newline="\r\n").replace(b"\r\n", b"\n", 2),
        "old mac line endings": plus_csv(*GOOD, newline="\r"),
        "every cell quoted, trailing comma": quoted_trailing(plus_csv(*GOOD)),
        "bom": codecs.BOM_UTF8 + text.encode(),
        "two boms": codecs.BOM_UTF8 * 2 + text.encode(),
        "bom-crlf-semicolon": codecs.BOM_UTF8 + plus_csv(*GOOD, delimiter=";", newline="\r\n"),
        "utf-16-le": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "upper-case header": text.replace(
            text.split("\n")[0], text.split("\n")[0].upper(), 1
        ).encode(),  # fmt: skip
        "spaces around header cells": text.replace(",", " , ", len(PLUS_COLUMNS) - 1).encode(),
        "quoted header cells": "\n".join(
            ",".join(f'"{c}"' for c in row.split(",")) for row in text.split("\n")[:1]
        ).encode()  # fmt: skip
        + b"\n"
        + "\n".join(text.split("\n")[1:]).encode(),
    }


@pytest.mark.parametrize("variant", list(_variants()))
def test_each_delimiter_encoding_and_header_spelling_reads_like_the_plain_file(
    work, plain, variant
):
    result = rd(_variants()[variant], work)
    notes = [TRAILING] if "trailing" in variant else []
    assert summary(result) == (*summary(plain)[:-1], notes)
    same_rows(result, plain)


TRAILING = (
    "every row ends with a comma after the header's 47 columns, as the UN Comtrade+ website's "
    "CSV download does: the empty cell after it is not read"
)


def test_reordered_columns_are_read_by_name_without_a_note(work, plain):
    order = list(reversed(PLUS_COLUMNS))
    rows = [[dict(zip(PLUS_COLUMNS, r, strict=True))[c] for c in order] for r in _rows(GOOD)]
    result = rd(table(order, rows), work)
    assert summary(result) == summary(plain)
    same_rows(result, plain)


def _rows(cells):
    from tests.trade_tables import plus_row

    return [plus_row(**c) for c in cells]


def test_missing_and_extra_columns_are_noted_and_read_by_name(work):
    gone = ("typeCode", "cifvalue", "isReported")  # in the layout's order
    header = [c for c in PLUS_COLUMNS if c not in gone] + ["x" * 45] + [f"Extra{i}" for i in range(11)]  # fmt: skip
    full = dict(zip(PLUS_COLUMNS, _rows([{}])[0], strict=True))
    row = [full.get(c, "e") for c in header]
    result = rd(table(header, [row]), work)
    extra = ", ".join(["x" * 40 + "… (45 characters)"] + [f"Extra{i}" for i in range(9)])
    assert result.notes == [
        "columns differ from the UN Comtrade+ CSV (API v1 layout) layout; missing: typeCode, "
        f"cifvalue, isReported; extra: {extra}; read by column name"
    ]
    assert (result.ok, result.kept) == (True, 1)


def test_only_extra_or_only_missing_columns_say_only_that(work):
    extra = rd(table([*PLUS_COLUMNS, "mine"], [[*_rows([{}])[0], "1"]]), work)
    assert extra.notes == ["columns differ from the UN Comtrade+ CSV (API v1 layout) layout; extra: mine; read by column name"]  # fmt: skip
    header = [c for c in PLUS_COLUMNS if c != "isAggregate"]
    gone = rd(table(header, [_rows([{}])[0][:-1]]), work)
    assert gone.notes == ["columns differ from the UN Comtrade+ CSV (API v1 layout) layout; missing: isAggregate; read by column name"]  # fmt: skip


def test_the_required_columns_alone_are_a_comtrade_plus_file(work):
    header = ["freqCode", "refYear", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue"]  # fmt: skip
    result = rd(table(header, [["A", "2020", "156", "643", "X", "TOTAL", "5"]]), work)
    assert (result.format, result.ok, result.kept) == ("comtrade_plus_csv", True, 1)
    assert result.rows[["reporter", "flow", "value_usd", "classification", "commodity"]].values.tolist() == [["CHN", "china_exports", 5.0, "", ""]]  # fmt: skip


def test_a_legacy_header_is_the_legacy_format(work):
    assert rd(legacy_csv({}), work).format == "comtrade_legacy_csv"


def test_an_observation_table_is_its_own_format(work):
    header = ["id", "indicator", "year", "value", "unit", "qualifier", "source_id", "quote"]
    result = rd(table(header, [["t1", "trade_total", "2008", "56.8", "USD bn", "about", "s", "q"]]), work)  # fmt: skip
    assert (result.format, result.ok, result.kept, result.notes) == (
        "observations_csv",
        True,
        1,
        [],
    )
    assert result.family == "table-" + result.checksum.removeprefix("sha256:")[:12]


def not_recognised(cells: str) -> str:
    return f"not a recognised file: the header is '{cells}' ({EXPECTED})"


HEADERS = [  # (header line, a key phrase of the one problem of row 1: what it names)
    ("a,b,c", "'a, b, c'"),
    ("a,,b", "'a, b'"),
    (",".join(f"h{i}" for i in range(12)), "'" + ", ".join(f"h{i}" for i in range(12)) + "'"),
    (",".join(f"h{i}" for i in range(13)), "'" + ", ".join(f"h{i}" for i in range(12)) + ", …'"),
    ("x" * 41 + ",y", "'" + "x" * 40 + "… (41 characters), y'"),
    ("freqCode,refYear,x", "'freqCode, refYear, x'"),
    ("freqCode,refYear,reporterCode,x", "UN Comtrade+ CSV (API v1 layout) but lacks column(s) partnerCode, flowCode, cmdCode, primaryValue"),
    ("FREQCODE,REFYEAR,REPORTERCODE,PARTNERCODE,FLOWCODE,CMDCODE", "UN Comtrade+ CSV (API v1 layout) but lacks column(s) primaryValue"),
    ("Year,Period,Trade Flow Code,Reporter Code,refYear", "legacy UN Comtrade CSV but lacks column(s) Partner Code, Commodity Code, Trade Value (US$)"),
    ("Year,Trade Flow Code,Reporter Code,refYear,freqCode,reporterCode", "UN Comtrade+ CSV (API v1 layout) but lacks column(s) partnerCode, flowCode, cmdCode, primaryValue"),
    ("id,indicator,year,value,unit", "sinorus observation table (CSV) but lacks column(s) qualifier, source_id, quote"),
]  # fmt: skip


@pytest.mark.parametrize("header, said", HEADERS, ids=[str(i) for i in range(len(HEADERS))])
def test_an_unknown_or_incomplete_header_is_one_problem_on_row_1(work, header, said):
    """The whole lines are in tests/golden/problems/parse-headers.txt."""
    result = rd((header + "\n1,2,3\n").encode(), work)
    assert_located(result.problems, [(F, 1, None, said)])
    assert (result.format, result.read, result.problem_count, result.source) == (None, 0, 1, None)
    assert result.summary() == [f"{F}: unrecognised format, 0 data row(s) read", "  rejected: 1 problem(s); nothing from this file is used", f"  {result.problems[0]}"]  # fmt: skip


def test_the_delimiter_is_the_one_the_header_uses_most(work):
    header = ";".join(PLUS_COLUMNS[:-1]) + ";is,Aggregate"  # one comma, 46 semicolons
    assert rd((header + "\n").encode(), work).format == "comtrade_plus_csv"


# --- bytes and decoding --------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n "])
def test_empty_bytes_are_one_exact_problem(work, data):
    result = rd(data, work)
    assert (lines(result), result.format, result.read, result.problem_count) == (
        [f"{F}: file is empty (expected a header row and data rows)"],
        None,
        0,
        1,
    )
    assert result.size == len(data) and result.checksum.startswith("sha256:")


ISO_WHY = (
    "read as ISO-8859-1 (Latin-1), the encoding of the UN Comtrade+ website's CSV download: it "
    "has no byte in 0x80–0x9F, where Windows-1252 would differ; if a name reads wrong, re-save "
    "the file as CSV UTF-8"
)


def cp1252_why(byte: str, line: int) -> str:
    return (
        f"read as Windows-1252 because it has bytes in 0x80–0x9F (the first {byte} on line "
        f"{line}), characters in Windows-1252 and control codes in ISO-8859-1; if a name reads "
        "wrong, re-save the file as CSV UTF-8"
    )


ENCODINGS = [  # (bytes that are not UTF-8, the note)
    (b"a,b\n\xff\n", f"not UTF-8 (byte 0xff on line 2 is not UTF-8 text); {ISO_WHY}"),
    (b"\xe9,b\n", f"not UTF-8 (byte 0xe9 on line 1 is not UTF-8 text); {ISO_WHY}"),
    (b"a,b\n\xc3", f"not UTF-8 (byte 0xc3 on line 2 is not UTF-8 text); {ISO_WHY}"),  # cut short
    (b"a\nb\nc\n\x80", f"not UTF-8 (byte 0x80 on line 4 is not UTF-8 text); {cp1252_why('0x80', 4)}"),
    (b"a\n\x92b\n\xe9\n", f"not UTF-8 (byte 0x92 on line 2 is not UTF-8 text); {cp1252_why('0x92', 2)}"),
]  # fmt: skip


@pytest.mark.parametrize("data, note", ENCODINGS, ids=[str(i) for i in range(len(ENCODINGS))])
def test_bytes_that_are_not_utf8_are_read_in_the_encoding_a_note_names_with_its_reason(work, data, note):  # fmt: skip
    result = rd(data, work)
    assert result.notes == [note]
    assert [p.message.split(":")[0] for p in result.problems] == ["not a recognised file"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8])
def test_the_first_byte_that_is_not_utf8_is_located_whatever_the_chunk_size(work, monkeypatch, chunk):  # fmt: skip
    monkeypatch.setattr(parse, "CHUNK", chunk)
    assert rd(b"ab\ncd\n\nef\xffgh\n", work).notes == [f"not UTF-8 (byte 0xff on line 4 is not UTF-8 text); {ISO_WHY}"]  # fmt: skip
    assert rd(b"ab\ncd\n\xe4\xb8\x93\x92\n", work).notes == [f"not UTF-8 (byte 0x92 on line 3 is not UTF-8 text); {cp1252_why('0x93', 3)}"]  # fmt: skip


def test_utf8_text_has_no_encoding_note(plain):
    assert plain.notes == []


@pytest.mark.parametrize("prefix", [b"", b"  \n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n "])
@pytest.mark.parametrize("doc", [b'{"data": []}', b"[]"])
def test_json_is_recognised_by_its_first_character(work, prefix, doc):
    result = rd(prefix + doc, work, J)
    assert summary(result)[:5] == ("comtrade_plus_json", 0, 0, {}, [f"{J}: no data rows (expected at least one row after the header)"])  # fmt: skip


def test_a_header_row_over_the_record_limit_is_refused(work, monkeypatch):
    monkeypatch.setattr(parse, "MAX_RECORD_BYTES", 64)
    at = rd(("a" * 62 + "\n").encode(), work)  # 62 characters and the newline: read
    assert lines(at) == [f"{F}:1: {not_recognised('a' * 40 + '… (62 characters)')}"]
    over = rd(("a" * 63 + "\n").encode(), work)  # a line of 64: over
    assert lines(over) == [f"{F}:1: the header row is over 0 MB (expected a header of column names)"]  # fmt: skip


# --- JSON ------------------------------------------------------------------------------------------

REC = {"freqCode": "A", "refYear": 2020, "reporterCode": 156, "partnerCode": 643, "flowCode": "X",
       "cmdCode": "TOTAL", "primaryValue": 5}  # fmt: skip
REC_TEXT = json.dumps(REC)


JSON_CASES = [  # (document, records read, where its problems are: (row, field, key phrase))
    (b"{}", 0, [(None, None, "no data rows")]),
    (b'{"data": []}', 0, [(None, None, "no data rows")]),
    (b'{"data": [], "error": ""}', 0, [(None, None, "no data rows")]),
    (b'{"data": [], "error": "quota"}', 0, [(None, None, "UN Comtrade API error response")]),
    (b'{"error": "' + b"e" * 201 + b'"}', 0, [(None, None, "UN Comtrade API error response")]),
    (b'{"foo": 1, "bar": [1], "baz": {"a": 1}}', 0, [(None, "data", "no list of records")]),
    (b'{"data": 0}', 0, [(None, "data", "no list of records")]),
    (b'{"data": 5}', 0, [(None, "data", "no list of records")]),
    (b'{"data": {"a": 1}}', 0, [(None, "data", "no list of records")]),
    (b'{"data": "rows"}', 0, [(None, "data", "no list of records")]),
    (("{" + ", ".join(f'"k{i}": {i}' for i in range(9)) + "}").encode(), 0, [(None, "data", "no list of records")]),
    (('{"' + "k" * 31 + '": 1}').encode(), 0, [(None, "data", "no list of records")]),
    (b'{"data" 1}', 0, [(None, None, "not valid JSON")]),
    (b'{"data": [1', 1, [(1, None, "not valid JSON")]),
    (b'{"a": 1 "b": 2}', 0, [(None, None, "not valid JSON")]),
    (b'{1: 2}', 0, [(None, None, "not valid JSON")]),
    (b'{"data": [' + REC_TEXT.encode() + b", tru]}", 1, [(1, None, "not valid JSON")]),
    (b'{"count": 1e999, "data": []}', 0, [(None, None, "not valid JSON")]),
    (b'{"data": [{"refYear": -Infinity}]}', 0, [(1, None, "not valid JSON")]),
    (b'{"data": [' + REC_TEXT.encode() + b', {"refYear": NaN}]}', 1, [(2, None, "not valid JSON")]),
    (b'{"data": [{"a": 1}]}', 1, [(1, None, "records are not UN Comtrade+ records")]),
    (b'{"data": [{"FreqCode": "A", "REFYEAR": 1}]}', 1, [(1, None, "records are not UN Comtrade+ records")]),
    (b'[1, "x", null, [], ' + REC_TEXT.encode() + b"]", 5, [(1, None, "expected an object"), (2, None, "expected an object"), (3, None, "expected an object"), (4, None, "expected an object")]),
    (b"[" * 100_000, 0, [(1, None, "not valid JSON")]),
    (b'\n\n{"data": [\n' + REC_TEXT.encode() + b',\n\n {"cmdCode": }]}', 1, [(2, None, "not valid JSON")]),
]  # fmt: skip


@pytest.mark.parametrize(
    "doc, n, expected", JSON_CASES, ids=[str(i) for i in range(len(JSON_CASES))]
)
def test_each_json_refusal_is_located(work, doc, n, expected):
    """The whole lines, with the JSON parser's own reason, are in tests/golden/problems/parse-json.txt."""
    result = rd(doc, work, J)
    assert_located(result.problems, [(J, row, field, phrase) for row, field, phrase in expected])
    assert (result.read, result.problem_count) == (n, len(expected))
    assert result.format == "comtrade_plus_json" and result.parquet is None and not result.ok


@pytest.mark.parametrize("extra", [0, 1])
def test_a_json_record_of_exactly_the_limit_of_text_is_read_and_one_more_character_refused(
    work, monkeypatch, extra
):
    monkeypatch.setattr(parse, "MAX_RECORD_BYTES", 400)
    text = sum(len(v) for v in REC.values() if isinstance(v, str))
    record = {**REC, "cmdDesc": "d" * (400 - text + extra)}
    result = rd(json.dumps({"data": [record]}).encode(), work, J)
    if extra:
        assert lines(result) == [f"{J}:1: record 1 has over 0 MB of text (expected records of a few hundred bytes)"]  # fmt: skip
    else:
        assert result.ok and result.rows["commodity"].tolist() == ["d" * (400 - text)]


def test_a_broken_json_record_is_located_by_its_number(work):
    records = [{**REC, "refYear": 2000 + i, "primaryValue": i} for i in range(6)]
    doc = ('{\n "count": 6,\n "data": [\n' + ",\n".join(json.dumps(r) for r in records) + '\n ]\n}').encode()  # fmt: skip
    assert rd(doc, work, J).kept == 6
    bad = doc.replace(b'"primaryValue": 4', b'"primaryValue": x')
    assert_located(rd(bad, work, J).problems, [(J, 5, None, "not valid JSON in or after record 5")])


def test_json_records_are_inserted_in_batches_without_losing_any(work, monkeypatch):
    monkeypatch.setattr(parse, "BATCH", 2)
    records = [{**REC, "refYear": 2000 + i, "primaryValue": i} for i in range(5)]
    result = rd(json.dumps({"data": records}).encode(), work, J)
    assert result.kept == 5 and result.rows["row"].tolist() == [1, 2, 3, 4, 5]
    assert result.rows["value_usd"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def hopeless_doc(empties: int, then_good: bool = False) -> bytes:
    return json.dumps({"data": [REC] + [{"other": 1}] * empties + ([REC] if then_good else [])}).encode()  # fmt: skip


def test_json_gives_up_after_a_thousand_records_without_a_needed_field(work):
    result = rd(hopeless_doc(parse.HOPELESS), work, J)
    assert lines(result) == [f"{J}:1001: records 2–1,001 have none of the fields a UN Comtrade+ record needs; reading stopped (expected records like record 1)"]  # fmt: skip
    assert (result.read, result.problem_count) == (1001, 1)


def test_json_reads_on_after_999_such_records_and_a_good_one(work):
    result = rd(hopeless_doc(parse.HOPELESS - 1, then_good=True), work, J)
    # each of the 999 records has 5 empty cells: 5 problems a record
    assert result.read == 1001 and result.problem_count == 5 * 999
    assert lines(result)[:5] == [
        f"{J}:2: reporterCode: is empty (expected the reporter's code, e.g. 156 China, 643 Russia)",
        f"{J}:2: freqCode: '' is not a frequency (expected A for annual, or M)",
        f"{J}:2: flowCode: '' is not a UN Comtrade flow code (expected M or X; also known: RM, RX, DX, FM, MIP, XIP, MOP, XOP, MIF, XIF, MG, XG)",
        f"{J}:2: refYear: '' is not a year (expected a whole number such as 2021)",
        f"{J}:2: cmdCode: is empty (expected TOTAL or an HS code such as 27)",
    ]  # fmt: skip


def test_json_values_become_text_as_comtrade_writes_them(work):
    rec = {**REC, "cmdCode": 27, "primaryValue": 1e3, "cifvalue": 2.5, "isAggregate": True,
           "isReported": False, "cmdDesc": "\t padded \n", "classificationCode": None}  # fmt: skip
    result = rd(json.dumps({"data": [rec]}).encode(), work, J)
    row = result.rows.iloc[0]
    assert (row["commodity_code"], row["value_usd"], row["commodity"], row["classification"], row["note"]) == (
        "27", 1000.0, "padded", "", "isReported false: estimated by UN Comtrade, not the reporter")  # fmt: skip


# --- CSV: the regular shape, and the two readers ---------------------------------------------------

FILES = {
    "good": plus_csv(*GOOD),
    "bad cells": plus_csv({}, {"refYear": "x"}, {"flowCode": "Z", "cmdCode": ""}, {"primaryValue": "-1"}),
    "quoted newline": plus_csv({"cmdDesc": "two\nlines"}, {"refYear": "1850"}),
    "conflict": plus_csv({}, {"primaryValue": "5"}, {}),
    "semicolon crlf": plus_csv({}, {"refYear": "x"}, delimiter=";", newline="\r\n"),
    "legacy": legacy_csv({}, {"Year": "x"}, {"Period": "200501"}),
}  # fmt: skip


def test_the_bad_cells_file_has_these_exact_lines(work):
    result = rd(FILES["bad cells"], work)
    assert (
        lines(result)
        == [
            f"{F}:3: refYear: 'x' is not a year (expected a whole number such as 2021)",
            f"{F}:4: flowCode: 'Z' is not a UN Comtrade flow code (expected M or X; also known: RM, RX, DX, FM, MIP, XIP, MOP, XOP, MIF, XIF, MG, XG)",  # fmt: skip
            f"{F}:4: cmdCode: is empty (expected TOTAL or an HS code such as 27)",
            f"{F}:5: primaryValue: -1 is negative (expected a trade value of at least 0)",
        ]
    )
    assert lines(rd(FILES["quoted newline"], work)) == [f"{F}:3: refYear: 1850 is out of range (expected 1900–2100)"]  # fmt: skip


def ragged(n_bad: int, blank: bool) -> bytes:
    text = plus_csv({}).decode()
    return (text + "1,2,3\n" * n_bad + ("\n" if blank else "") + plus_csv({"refYear": "x"}).decode().split("\n", 1)[1]).encode()  # fmt: skip


def test_ragged_rows_row_by_row_are_each_a_line_with_the_rest_counted(work):
    result = rd(ragged(LIMIT + 5, blank=True), work)
    said = "row has 3 cell(s), the header 47 (expected one cell per column)"
    # rows 3-107 ragged (the first 100 kept), 108 blank, 109 a bad year (the rules' own problem)
    assert lines(result) == [f"{F}:{row}: {said}" for row in range(3, LIMIT + 3)] + [
        f"{F}:109: refYear: 'x' is not a year (expected a whole number such as 2021)"
    ]
    assert (result.read, result.problem_count) == (LIMIT + 7, LIMIT + 5 + 1)


def test_rows_duckdb_cannot_read_are_located_and_later_rows_keep_their_numbers(work):
    bad = plus_row_text({"reporterISO": "@"}).replace("@", '"C"x')
    text = plus_csv({}).decode() + bad + plus_row_text({"refYear": "y"}) + bad + plus_row_text({}) + bad + plus_row_text({"refYear": "x"})  # fmt: skip
    result = rd(text.encode(), work)
    said, year = "cannot be read as CSV: ", "is not a year"  # the first, then DuckDB's reason
    # DuckDB's rejects first, then the rules' problems (rows 4 and 8 sit after the gaps)
    assert_located(result.problems, [(F, 3, None, said), (F, 5, None, said), (F, 7, None, said),
                                     (F, 4, "refYear", year), (F, 8, "refYear", year)])  # fmt: skip
    assert (result.read, result.problem_count) == (7, 5)


@pytest.mark.parametrize("n", [2, 3])
def test_rows_after_consecutive_unreadable_rows_keep_their_numbers(work, n):
    bad = plus_row_text({"reporterISO": "@"}).replace("@", '"C"x')
    text = plus_csv({}).decode() + bad * n + plus_row_text({"refYear": "x"})
    assert [p.row for p in rd(text.encode(), work).problems] == [*range(3, 3 + n), 3 + n]


def test_more_than_a_hundred_rows_duckdb_cannot_read_are_counted(work):
    bad = plus_row_text({"reporterISO": "@"}).replace("@", '"C"x')
    result = rd((plus_csv({}).decode() + bad * (LIMIT + 2)).encode(), work)
    assert [p.row for p in result.problems] == list(range(3, LIMIT + 3))
    assert (result.read, result.problem_count, len(result.problems)) == (LIMIT + 3, LIMIT + 2, LIMIT)  # fmt: skip


def plus_row_text(cells) -> str:
    return plus_csv(cells).decode().split("\n", 1)[1]


def test_a_row_over_the_limit_is_located_and_the_rows_after_it_keep_their_numbers(work):
    text = plus_csv({}, {}).decode() + "C,A," + "y" * ((1 << 20) + 5) + "\n" + plus_row_text({"refYear": "x"})  # fmt: skip
    result = rd(text.encode(), work)
    assert lines(result) == [
        f"{F}:4: row is over 1 MB (expected a row of a few hundred bytes)",
        f"{F}:5: refYear: 'x' is not a year (expected a whole number such as 2021)",
    ]
    assert result.read == 4 and result.problem_count == 2


# --- bugs these tests found, fixed: pinned as they behave now ---------------------------------------


def test_a_blank_line_before_the_header_is_not_a_data_row(work):
    result = rd(b"\n" + plus_csv({}), work)
    assert (result.read, result.kept, dict(result.skipped)) == (1, 1, {})


def test_a_top_level_json_value_over_the_limit_is_refused(work, monkeypatch):
    monkeypatch.setattr(parse, "MAX_RECORD_BYTES", 400)
    top = '{"note": "' + "n" * 1000 + '", "data": [' + json.dumps(REC) + "]}"
    assert lines(rd(top.encode(), work, J)) == [f"{J}: a value has over 0 MB of text (expected records of a few hundred bytes)"]  # fmt: skip


def test_the_give_up_count_starts_again_after_a_good_record(work):
    doc = json.dumps({"data": [REC] + [{"other": 1}] * (parse.HOPELESS - 1) + [REC] + [{"other": 1}] * (parse.HOPELESS - 1)})  # fmt: skip
    result = rd(doc.encode(), work, J)
    assert (result.read, result.problem_count) == (2 * parse.HOPELESS, 5 * 2 * (parse.HOPELESS - 1))


@pytest.mark.parametrize(
    "doc, said",
    [(b'{"error": {"code": 1}}', "the file is a UN Comtrade API error response: 'dict' (expected data records)"),
     (b'{"error": 0}', f"data: no list of records (found: error; {JSON_SHAPE})"),
     (b'{"error": "", "elapsedTime": "1s"}', f"data: no list of records (found: error, elapsedTime; {JSON_SHAPE})")],
)  # fmt: skip
def test_what_a_json_file_without_records_says(work, doc, said):
    assert lines(rd(doc, work, J)) == [f"{J}: {said}"]


# --- read: names, paths and limits -----------------------------------------------------------------


def test_a_path_with_quotes_in_its_name_and_folder_reads(tmp_path):
    folder = tmp_path / "it's here"
    folder.mkdir()
    path = folder / "o'brien.csv"
    path.write_bytes(plus_csv(*GOOD))
    result = read(path, workdir=tmp_path / "w'ork")
    assert (result.file, result.ok, result.kept) == ("o'brien.csv", True, 3)
    assert result.parquet == str(tmp_path / "w'ork" / f"{result.source_id}.parquet")


def test_a_file_is_named_by_its_last_part(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(plus_csv({}))
    assert read(path, "some/dir/y.csv", workdir=tmp_path).file == "y.csv"
    assert read(path, workdir=tmp_path).file == "x.csv"
    assert read(plus_csv({}), "a/b.csv", workdir=tmp_path).file == "b.csv"
    assert read(plus_csv({}), workdir=tmp_path).file == "upload"
    assert read(memoryview(plus_csv({})), "m.csv", workdir=tmp_path).kept == 1


def test_what_is_not_a_readable_file_is_one_line(tmp_path):
    (tmp_path / "d").mkdir()
    directory = read(tmp_path / "d", workdir=tmp_path / "w")
    assert lines(directory) == ["d: is a directory (expected a file: name the files to import)"]
    missing = read(tmp_path / "nope.csv", workdir=tmp_path / "w")
    assert_located(missing.problems, [("nope.csv", None, None, "expected a readable file")])
    assert missing.problems[0].message.startswith("cannot be read (")  # then the system's reason
    assert (missing.problem_count, missing.checksum, missing.size, missing.format) == (
        1,
        "",
        0,
        None,
    )


def test_a_read_without_a_workdir_writes_into_one_private_folder_and_dates_today():
    from datetime import date

    from sinorus.importers import reader

    result = read(plus_csv({}), "f.csv")
    assert result.parquet == str(reader.default_workdir() / f"{result.source_id}.parquet")
    assert reader.default_workdir() == reader.default_workdir()
    assert reader.default_workdir().name.startswith("sinorus-import-")
    assert result.source["imported"] == date.today().isoformat()


def test_a_rejected_file_leaves_no_parquet_and_no_scratch(tmp_path):
    result = read(plus_csv({"refYear": "x"}), "f.csv", workdir=tmp_path)
    assert result.parquet is None and list(tmp_path.iterdir()) == []
    good = read(plus_csv({}), "f.csv", workdir=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"{good.source_id}.parquet"]


def test_rows_of_blank_cells_are_not_rows_to_the_row_by_row_reader(work):
    text = plus_csv({}).decode() + " , \n\n" + plus_row_text({"refYear": "x"}) + "\t\n"
    result = rd(text.encode(), work)
    assert (result.read, lines(result)) == (2, [f"{F}:5: refYear: 'x' is not a year (expected a whole number such as 2021)"])  # fmt: skip


def test_a_legacy_file_with_other_columns_says_so(work):
    from sinorus.importers.comtrade import LEGACY_COLUMNS
    from tests.trade_tables import legacy_row

    header = [c for c in LEGACY_COLUMNS if c != "Qty Unit"] + ["Mine"]
    row = [dict(zip(LEGACY_COLUMNS, legacy_row(), strict=True)).get(c, "m") for c in header]
    result = rd(table(header, [row]), work)
    assert result.notes == ["columns differ from the legacy UN Comtrade CSV layout; missing: Qty Unit; extra: Mine; read by column name"]  # fmt: skip
    assert (result.ok, result.kept) == (True, 1)


def test_a_record_nested_deep_is_read_with_the_nested_value_named_by_its_type(work):
    deep = "[" * 10_000 + "]" * 10_000
    doc = '{"data": [' + json.dumps({**REC, "cmdDesc": 0}).replace('"cmdDesc": 0', f'"cmdDesc": {deep}') + "]}"  # fmt: skip
    result = rd(doc.encode(), work, J)
    assert result.ok and result.rows["commodity"].tolist() == ["list"]


def test_a_blank_crlf_line_before_the_header_is_not_a_data_row_either(work):
    text = plus_csv({}).replace(b"\n", b"\r\n")
    result = rd(b"\r\n" + text, work)
    assert (result.read, result.kept, dict(result.skipped)) == (1, 1, {})
