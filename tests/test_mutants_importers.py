"""Tests that kill mutants `make mutate` found alive in sinorus/importers (docs/mutation.md):
each asserts a value the mutant changes. Fixtures are SYNTHETIC (tests/fixtures)."""

import codecs
import shutil
from pathlib import Path

import pytest

from sinorus.checks import Problem
from sinorus.importers import common, comtrade_api, parse, read, rules, session

FIX = Path(__file__).resolve().parent / "fixtures"
PLUS_CSV = FIX / "comtrade-plus-synthetic.csv"


@pytest.mark.parametrize("as_path", [False, True], ids=["bytes", "path"])
def test_size_limit_is_exact_at_the_byte_for_bytes_and_for_a_path(tmp_path, as_path):
    data = PLUS_CSV.read_bytes()
    source = data
    if as_path:
        source = tmp_path / "big-synthetic.csv"
        source.write_bytes(data)
    over = read(source, "big-synthetic.csv", max_bytes=len(data) - 1, workdir=tmp_path / "w")
    assert not over.ok and over.size == len(data)
    assert f"{len(data) - 1:,} bytes" in over.problems[0].message
    at = read(source, "big-synthetic.csv", max_bytes=len(data), workdir=tmp_path / "w")
    assert at.ok and at.problems == [] and at.kept > 0


def test_too_big_names_the_file_its_size_and_the_limit_in_mb_and_bytes():
    problem = common.too_big(
        "big-synthetic.csv", 3 * common.MB // 2, common.MB, "SINORUS_MAX_FILE_MB"
    )
    assert problem.file == "big-synthetic.csv" and problem.row is None
    assert problem.message == (
        "file is 1.5 MB (expected at most 1 MB = 1,048,576 bytes, SINORUS_MAX_FILE_MB; import a "
        "larger file with `sinorus import`, or download fewer years at a time)"
    )


@pytest.mark.parametrize("cell, shown", [("-1e3", "-1000"), ("-2.50", "-2.5"), (-7, "-7"),
                                         ("n/a", "n/a"), (None, "None")])  # fmt: skip
def test_fmt_g_writes_numbers_as_g_and_anything_else_as_it_is(cell, shown):
    assert rules.fmt_g(cell) == shown


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE)])  # fmt: skip
def test_a_utf16_file_with_its_byte_order_mark_reads_like_the_utf8_one(tmp_path, encoding, bom):
    text = PLUS_CSV.read_text(encoding="utf-8")
    plain = read(text.encode("utf-8"), "plus-synthetic.csv", workdir=tmp_path)
    wide = read(bom + text.encode(encoding), "plus-synthetic.csv", workdir=tmp_path)
    assert plain.ok and wide.ok and wide.format == "comtrade_plus_csv"
    assert wide.kept == plain.kept > 0
    cols = ["year", "reporter", "flow", "commodity_code", "value_usd", "row"]
    assert wide.rows[cols].equals(plain.rows[cols])


def test_a_file_that_only_starts_like_utf16_is_refused_by_name():
    result = read(b"\xff\xfenot utf16 really\xff", "broken-synthetic.csv")
    assert not result.ok and result.problems[0].file == "broken-synthetic.csv"
    assert result.problems[0].message.startswith("not UTF-16 although it starts like it (")
    assert result.problems[0].message.endswith("; expected UTF-8, UTF-16 with its byte-order mark, ISO-8859-1 or Windows-1252 text)")  # fmt: skip


@pytest.mark.parametrize(
    "doc, record",
    [(b'\n{"data": [\n\n 1x', 1),
     (b'{"data": [\n\n\n 1x', 1),
     (b'{"data": [1, 2, 3x', 3),
     (b'\n\n{"data": [1,\n\n {"typeCode": 1, "cmdCode": }]}', 2)],
)  # fmt: skip
def test_bad_json_is_located_at_its_record(doc, record):
    result = read(doc, "bad-synthetic.json")
    problem = result.problems[0]
    assert not result.ok and problem.file == "bad-synthetic.json" and problem.row == record
    assert problem.message.startswith(f"not valid JSON in or after record {record}: ")


@pytest.mark.parametrize(
    "key, status, hint",
    [(None, 403, "UN Comtrade refused access (HTTP 403: why): the public preview refused this address"),
     ("k", 403, "UN Comtrade refused access (HTTP 403: why): the key in COMTRADE_API_KEY may not include this API, or its quota is used up"),
     ("k", 401, "UN Comtrade refused the subscription key (HTTP 401: why): check COMTRADE_API_KEY, or unset it to use the public preview"),
     (None, 401, "UN Comtrade asks for a subscription key (HTTP 401: why): get a free one at comtradedeveloper.un.org and set it, e.g. `export COMTRADE_API_KEY=...`"),
     (None, 400, "UN Comtrade rejected the query (HTTP 400: why)")],
)  # fmt: skip
def test_a_refusal_says_what_to_do_with_or_without_a_key(key, status, hint):
    client = comtrade_api.Client("http://127.0.0.1:9", key=key)
    assert comtrade_api.KEY_ENV == "COMTRADE_API_KEY"
    assert client._refused(status, "why", "the query") == hint


def _plus_with(row: int, old: str, new: str, extra: list[str] | None = None) -> bytes:
    lines = PLUS_CSV.read_text(encoding="utf-8").splitlines()
    assert old in lines[row]
    lines[row] = lines[row].replace(old, new, 1)
    return ("\n".join(lines[: row + 1] + (extra or []) + lines[row + 1 :]) + "\n").encode()


def test_a_row_duckdb_refuses_is_located_and_the_file_refused():
    result = read(_plus_with(3, ",CHN,", ',"CHN"x,'), "rejected-synthetic.csv")
    assert not result.ok and result.read == 32 and result.problem_count == 1
    [problem] = result.problems
    assert (problem.file, problem.row) == ("rejected-synthetic.csv", 4)
    assert problem.message == (
        "cannot be read as CSV: Value with unterminated quote found. (the file may be truncated)"
    )


@pytest.mark.parametrize(
    "kind, message, text",
    [("MISSING COLUMNS", "Expected Number of Columns: 47 Found: 3", "row has 3 cell(s), the header 47 (expected one cell per column)"),
     ("TOO MANY COLUMNS", "Expected Number of Columns: 47 Found: 50", "row has 50 cell(s), the header 47 (expected one cell per column)"),
     ("TOO MANY COLUMNS", "no count here", "cannot be read as CSV: no count here (the file may be truncated)"),
     ("LINE SIZE OVER MAXIMUM", "whatever", "row is over 1 MB (expected a row of a few hundred bytes)"),
     ("CAST", None, "cannot be read as CSV:  (the file may be truncated)")],
)  # fmt: skip
def test_each_kind_of_duckdb_rejection_has_its_own_words(kind, message, text):
    problem = parse._reject_problem("f-synthetic.csv", "7", kind, message, 47)
    assert problem == Problem("f-synthetic.csv", 7, message=text)


def test_a_csv_with_an_empty_line_counts_every_data_row():
    # an empty line: DuckDB reads a normalised copy, in which it is a blank row, skipped
    data = _plus_with(2, "", "", extra=["1,2,3", ""])
    result = read(data, "irregular-synthetic.csv")
    assert result.read == 33 and result.problem_count == 1 and not result.ok
    assert [str(p) for p in result.problems] == [
        "irregular-synthetic.csv:4: row has 3 cell(s), the header 47 (expected one cell per column)"
    ]


def test_an_irregular_semicolon_csv_keeps_its_delimiter():
    lines = PLUS_CSV.read_text(encoding="utf-8").replace(",", ";").splitlines()
    data = ("\n".join(lines[:3] + ["1;2;3", ""] + lines[3:6]) + "\n").encode()
    result = read(data, "semicolon-synthetic.csv")
    assert result.read == 6 and result.problem_count == 1
    assert result.problems[0].row == 4 and result.problems[0].file == "semicolon-synthetic.csv"


def test_every_failure_is_counted_and_carried_by_the_error():
    result = common.ImportResult("f-synthetic.csv")
    result.fail(Problem("f-synthetic.csv", message="one"))
    result.fail(Problem("f-synthetic.csv", message="two"))
    assert result.problem_count == 2 and not result.ok
    error = result.error()
    assert error.total == 2 and [p.message for p in error.problems] == ["one", "two"]


def test_a_file_taken_off_the_upload_list_is_forgotten_and_its_directory_removed(ds):
    calls = []
    data = PLUS_CSV.read_bytes()

    def upload(file_id):
        return session.Upload(file_id, "plus-synthetic.csv", len(data), lambda: calls.append(file_id) or data)  # fmt: skip

    uploads = session.Uploads()
    try:
        first = uploads.update(ds, [upload("a/1")], 10 * common.MB, "limit")
        assert not first.refused and calls == ["a/1"]
        folder = uploads.dir / "a_1"
        assert folder.is_dir()
        uploads.update(ds, [], 10 * common.MB, "limit")
        assert not folder.exists()
        # forgotten: the same file uploaded again is read again
        uploads.update(ds, [upload("a/1")], 10 * common.MB, "limit")
        assert calls == ["a/1", "a/1"] and folder.is_dir()
        # a directory already gone (a temporary-file cleaner) is no error
        shutil.rmtree(folder)
        assert not uploads.update(ds, [upload("b")], 10 * common.MB, "limit").refused
        assert calls == ["a/1", "a/1", "b"]
    finally:
        uploads.close()


def test_a_rejected_files_summary_sorts_skips_by_count_and_problems_by_row_then_field():
    result = common.ImportResult("f-synthetic.csv", read=1234, problem_count=7)
    result.skipped.update({"b reason": 2, "a reason": 2, "c reason": 9})
    result.notes.append("a note")
    f = "f-synthetic.csv"
    result.problems = [
        Problem(f, 9, "year", "late"), Problem(f, 1, None, "first row"), Problem(f, None, "z", "file"),
        Problem(f, 3, "value", "v"), Problem(f, 3, "A", "a"), Problem(f, 3, None, "row"),
        Problem(f, 3, "flow", "f"),
    ]  # fmt: skip
    assert result.summary(max_problems=6) == [
        "f-synthetic.csv: unrecognised format, 1,234 data row(s) read",
        "  rejected: 7 problem(s); nothing from this file is used",
        "  skipped 9: c reason",
        "  skipped 2: a reason",
        "  skipped 2: b reason",
        "  note: a note",
        "  f-synthetic.csv: z: file",
        "  f-synthetic.csv:1: first row",
        "  f-synthetic.csv:3: row",
        "  f-synthetic.csv:3: A: a",
        "  f-synthetic.csv:3: flow: f",
        "  f-synthetic.csv:3: value: v",
        "  … and 1 more problem(s)",
    ]
    assert result.summary()[-1] == "  f-synthetic.csv:9: year: late"  # all shown: no "more" line


@pytest.mark.parametrize("fmt, kind", [(f, k) for f, k in common.FORMATS.items()] + [(None, "unrecognised format"), ("other", "unrecognised format")])  # fmt: skip
def test_a_kept_files_summary_names_its_format(fmt, kind):
    result = common.ImportResult("f-synthetic.csv", format=fmt, read=3, kept=2)
    result.source = {"id": "src-1"}
    assert result.summary()[:2] == [f"f-synthetic.csv: {kind}, 3 data row(s) read", "  kept 2 row(s) as source 'src-1'"]  # fmt: skip
