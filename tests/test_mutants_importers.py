"""Tests that kill mutants `make mutate` found alive in sinorus/importers (docs/mutation.md):
each asserts a value the mutant changes. Fixtures are SYNTHETIC (tests/fixtures)."""

import codecs
from pathlib import Path

import pytest

from sinorus.importers import common, comtrade_api, read, rules

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
    assert result.problems[0].message.endswith("; expected UTF-8 or UTF-16 text)")


@pytest.mark.parametrize(
    "doc, line",
    [(b'\n{"data": [\n\n 1x', 4),  # a newline before the first brace counts
     (b'{"data": [\n\n\n 1x', 4),
     (b'{"data": [1, 2, 3x', 1),
     (b'\n\n{"data": [1,\n\n {"typeCode": 1, "cmdCode": }]}', 5)],
)  # fmt: skip
def test_bad_json_is_located_at_its_line(doc, line):
    result = read(doc, "bad-synthetic.json")
    problem = result.problems[0]
    assert not result.ok and problem.file == "bad-synthetic.json" and problem.row == line
    assert problem.message.startswith("not valid JSON: ")


@pytest.mark.parametrize(
    "key, status, hint",
    [(None, 403, "UN Comtrade refused access (HTTP 403: why): the public preview refused this address"),
     ("k", 403, "UN Comtrade refused access (HTTP 403: why): the key in COMTRADE_API_KEY may not include this API, or its quota is used up"),
     ("k", 401, "UN Comtrade refused the subscription key (HTTP 401: why): check COMTRADE_API_KEY, or unset it to use the public preview"),
     (None, 401, "UN Comtrade refused the request without a key (HTTP 401: why): the public preview may be closed; set COMTRADE_API_KEY to use the data API"),
     (None, 400, "UN Comtrade rejected the query (HTTP 400: why)")],
)  # fmt: skip
def test_a_refusal_says_what_to_do_with_or_without_a_key(key, status, hint):
    client = comtrade_api.Client("http://127.0.0.1:9", key=key)
    assert comtrade_api.KEY_ENV == "COMTRADE_API_KEY"
    assert client._refused(status, "why", "the query") == hint
