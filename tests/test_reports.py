"""Later reports (data/reports.csv): the table, its checks and the frames the charts draw."""

import csv
import json
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from sinorus import reports as rp
from sinorus.load import DEFAULT_DATA_DIR
from sinorus.reports import amounts_in, check_reports, reports_series, url_problem, value_written_in

ALL_YEARS = (1900, 2100)


def load_reports(root):
    """(the reports table, []) as the package loader gives it, or (None, its problems)."""
    from sinorus.load import DataError, load

    try:
        return load(root).reports, []
    except DataError as err:
        return None, [p for p in err.problems if p.file == "reports.csv"]


@pytest.fixture(scope="module")
def reports() -> pd.DataFrame:
    frame, problems = load_reports(DEFAULT_DATA_DIR)
    assert problems == []
    return frame


def _frame(pkg: Path) -> pd.DataFrame:
    frame, problems = load_reports(pkg)
    assert problems == [], problems
    return frame.copy()


def _pos(frame: pd.DataFrame, rid: str) -> int:
    """The CSV row of `rid`, counting the header as row 1."""
    return int(frame.index[frame["id"] == rid][0]) + 2


def _set(frame: pd.DataFrame, rid: str, **values) -> pd.DataFrame:
    for column, value in values.items():
        frame.loc[frame["id"] == rid, column] = value
    return frame


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


# --- the embedded table ----------------------------------------------------------------------


def test_embedded_reports_pass_every_check(reports):
    assert len(reports) >= 100
    assert check_reports(DEFAULT_DATA_DIR, reports) == []


def test_embedded_reports_resource_passes_frictionless():
    descriptor = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "reports"]
    report = frictionless.Resource(resource, basepath=str(DEFAULT_DATA_DIR)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = [f["name"] for f in resource["schema"]["fields"]]
    assert names == [
        "id", "year", "value", "unit", "qualifier", "kind", "indicator", "measured_by",
        "reported_as", "publisher", "published", "url", "text", "note", "flag", "flag_note",
    ]  # fmt: skip
    with open(DEFAULT_DATA_DIR / "reports.csv", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == names


def test_qualifiers_reuse_the_observations_words():
    descriptor = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    enums = {
        r["name"]: {f["name"]: f.get("constraints", {}).get("enum") for f in r["schema"]["fields"]}
        for r in descriptor["resources"]
    }
    assert enums["reports"]["qualifier"] == enums["observations"]["qualifier"]


def test_every_year_2008_to_2024_has_a_us_dollar_total(reports):
    years = set(reports_series(reports, ALL_YEARS)["year"])
    assert set(range(2008, 2025)) <= years
    assert {1993, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007} <= years
    assert not {1992, 1994, 1995} & years  # no report was found for these: none is invented


@pytest.mark.parametrize("rid, year, value, measured_by", [
    ("r20-2018-total", 2018, 107.06, "China's customs (GACC)"),
    ("r14-2010-total", 2010, 59.34, "Russia's customs (FCS)"),
    ("c03-2010-total", 2010, 55.45, "not stated"),
    ("r04-1997-total", 1997, 6.12, "China's customs (GACC)"),
    ("r09-2006-total", 2006, 33.4, "not stated"),
    ("n08-2007-total", 2007, 48.16, "not stated"),
    ("c09-2024-total-cny", 2024, 1740.0, "China's customs (GACC)"),
])  # fmt: skip
def test_known_figures(reports, rid, year, value, measured_by):
    row = reports.set_index("id").loc[rid]
    assert (row.year, row.value, row.measured_by) == (year, value, measured_by)


def test_disagreeing_reports_are_all_kept(reports):
    usd_2010 = reports[(reports.year == 2010) & (reports.indicator == "trade_total")]
    assert sorted(usd_2010.value) == [55.44, 55.45, 55.45, 59.34]  # 59.34: Russia's customs
    assert set(reports[reports.year == 2024].unit) == {"USD bn", "CNY bn"}


def test_corpus_rows_are_the_corpus_observation_labels(reports):
    labels = pd.read_csv(DEFAULT_DATA_DIR / "corpus" / "labels.csv", dtype=str).fillna("")
    labels = labels[labels.kind == "observation"]
    keys = {
        (f, int(y), float(v), u) for f, y, v, u in labels[["file", "year", "value", "unit"]].values
    }
    corpus = reports[reports.text.str.startswith("corpus/")]
    assert len(corpus) >= 50
    for row in corpus.itertuples():
        assert (row.text.removeprefix("corpus/"), row.year, row.value, row.unit) in keys, row.id
    index = pd.read_csv(DEFAULT_DATA_DIR / "corpus" / "index.csv", dtype=str).set_index("file")
    for row in corpus.itertuples():
        assert index.at[row.text.removeprefix("corpus/"), "url"].startswith(row.url), row.id


def test_new_texts_are_restatements_with_a_header_and_all_used(reports):
    texts = sorted((DEFAULT_DATA_DIR / "reports").glob("*.txt"))
    assert len(texts) == 23
    used = set(reports.text)
    for path in texts:
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
        assert [line.split(":", 1)[0] for line in head] == ["Publisher", "Date", "Source", "Kind"]
        assert "restatement" in head[3]
        assert f"reports/{path.name}" in used, path.name
    assert (DEFAULT_DATA_DIR / "reports" / "README.md").is_file()


# --- check_reports: each rule fails on a broken copy ------------------------------------------


@pytest.mark.parametrize("url, words", [
    ("javascript:alert(1)", "not a plain http(s) address"),
    ("ftp://example.com/report.txt", "not a plain http(s) address"),
    ("HTTPS://www.rt.com/x", "not a plain http(s) address"),
    ("https://user:secret@www.rt.com/x", "user name or password"),
    ("https:///no-host", "no host name"),
    ("https://www.rt.com/a b", "space or control character"),
    ("", "is empty"),
])  # fmt: skip
def test_bad_url_refused(pkg, url, words):
    frame = _set(_frame(pkg), "r20-2018-total", url=url)
    problems = check_reports(pkg, frame)
    assert len(problems) == 1, problems
    assert str(problems[0]).startswith(f"reports.csv:{_pos(frame, 'r20-2018-total')}: url: ")
    assert words in problems[0].message


def test_url_must_be_the_texts_source(pkg):
    frame = _set(_frame(pkg), "r20-2018-total", url="https://www.rt.com/business/other-story/")
    (problem,) = check_reports(pkg, frame)
    assert (problem.field, problem.row) == ("url", _pos(frame, "r20-2018-total"))
    assert "is not the address in the header of reports/r20-rt-2019-01-14-2018-trade.txt" in str(
        problem
    )


def test_plain_urls_accepted():
    assert url_problem("https://www.rt.com/business/448783-russia-china-trade-turnover/") is None
    assert url_problem("http://german.cri.cn/21/2005/02/08/1@24815.htm") is None  # @ in the path


@pytest.mark.parametrize("text, words", [
    ("/etc/passwd", "not a relative path"),
    ("C:/data/report.txt", "not a relative path"),
    ("reports\\r20-rt-2019-01-14-2018-trade.txt", "not a relative path"),
    ("../README.md", "goes up with '..'"),
    ("reports/../../README.md", "goes up with '..'"),
    ("reports/../reports/r20-rt-2019-01-14-2018-trade.txt", "goes up with '..'"),
    ("reports/missing.txt", "not found"),
    ("reports.csv", "not a .txt or .md file"),
    ("", "is empty"),
])  # fmt: skip
def test_bad_text_path_refused(pkg, text, words):
    frame = _set(_frame(pkg), "r20-2018-total", text=text)
    problems = [p for p in check_reports(pkg, frame) if p.field == "text"]
    assert len(problems) == 1, problems
    assert problems[0].row == _pos(frame, "r20-2018-total")
    assert words in problems[0].message


def test_symlink_out_of_the_package_refused(pkg, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text((pkg / "reports" / "r20-rt-2019-01-14-2018-trade.txt").read_text())
    (pkg / "reports" / "link.txt").symlink_to(outside)
    frame = _set(_frame(pkg), "r20-2018-total", text="reports/link.txt")
    (problem,) = check_reports(pkg, frame)
    assert problem.field == "text"
    assert "resolves outside the package directory" in problem.message


def test_symlink_inside_the_package_accepted(pkg):
    (pkg / "reports" / "alias.txt").symlink_to(pkg / "reports" / "r20-rt-2019-01-14-2018-trade.txt")
    frame = _set(_frame(pkg), "r20-2018-total", text="reports/alias.txt")
    assert check_reports(pkg, frame) == []


def test_text_not_utf8_or_too_big_refused(pkg, monkeypatch):
    path = pkg / "reports" / "r20-rt-2019-01-14-2018-trade.txt"
    path.write_bytes(path.read_bytes().replace(b"record", b"r\xe9cord"))
    frame = _frame_unchecked(pkg)
    problems = [p for p in check_reports(pkg, frame) if p.field == "text"]
    assert {p.row for p in problems} == {
        _pos(frame, r) for r in frame.id[frame.text == "reports/" + path.name]
    }
    assert "not UTF-8: byte 0xe9" in problems[0].message
    monkeypatch.setattr(rp, "MAX_TEXT_MB", 0.0001)
    path.write_text("Publisher: x\n\n" + "a" * 500, encoding="utf-8")
    problems = [p for p in check_reports(pkg, frame) if p.field == "text"]
    assert problems and "MB (expected at most 0.0001 MB)" in problems[0].message


def _frame_unchecked(pkg: Path) -> pd.DataFrame:
    """The table as its schema reads it, whatever check_reports would say."""
    return pd.read_csv(pkg / "reports.csv", dtype=str, keep_default_na=False).astype(
        {"year": "int64", "value": "float64"}
    )


def test_value_not_in_the_text_refused(pkg):
    frame = _set(_frame(pkg), "r20-2018-total", value=107.1)  # the text says $107.06 billion
    (problem,) = check_reports(pkg, frame)
    assert str(problem) == (
        f"reports.csv:{_pos(frame, 'r20-2018-total')}: value: 107.1 is not written in "
        "reported_as 'a record $107.06 billion' (expected the number as stated: separators and "
        "trailing zeros may differ, scale words such as 'trillion' count, no rounding)"
    )


def test_words_not_in_the_text_refused(pkg):
    frame = _set(_frame(pkg), "r20-2018-total", reported_as="a record $107.60 billion", value=107.6)
    (problem,) = check_reports(pkg, frame)
    assert problem.field == "reported_as"
    assert "'a record $107.60 billion' not found in reports/r20-rt-2019-01-14-2018-trade.txt" in (
        problem.message
    )


def test_wrong_unit_refused(pkg):
    frame = _set(_frame(pkg), "r20-2018-total", unit="CNY bn")  # '$107.06 billion' is dollars
    (problem,) = check_reports(pkg, frame)
    assert (problem.field, problem.row) == ("unit", _pos(frame, "r20-2018-total"))
    assert (
        "names no such currency (expected one of: yuan, renminbi, rmb, cny, ¥)" in problem.message
    )
    frame = _set(_frame(pkg), "c09-2024-total-cny", unit="USD bn")  # '1.74 trillion yuan'
    (problem,) = check_reports(pkg, frame)
    assert problem.field == "unit"


def test_published_before_the_year_ended_refused(pkg):
    frame = _set(_frame(pkg), "r20-2018-total", published="2018-12-30")
    (problem,) = check_reports(pkg, frame)
    assert problem.field == "published"
    assert "before the end of 2018" in problem.message
    frame = _set(frame, "r20-2018-total", kind="estimate")  # an estimate may come in December
    assert check_reports(pkg, frame) == []
    frame = _set(_frame(pkg), "r20-2018-total", published="2019-02-30")
    (problem,) = check_reports(pkg, frame)
    assert "'2019-02-30' is not a real date" in problem.message


def test_duplicate_figure_refused(pkg):
    frame = _frame(pkg)
    copy = frame[frame.id == "r20-2018-total"].assign(id="r20-2018-total-again")
    frame = pd.concat([frame, copy], ignore_index=True)
    (problem,) = check_reports(pkg, frame)
    assert problem.row == len(frame) + 1 and problem.field == "id"
    assert f"already row {_pos(frame, 'r20-2018-total')}" in problem.message


def _edit_csv(pkg: Path, rid: str, column: str, value: str) -> int:
    path = pkg / "reports.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    pos = next(i for i, r in enumerate(rows) if r["id"] == rid) + 2
    rows[pos - 2][column] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return pos


@pytest.mark.parametrize("column, value, words", [
    ("indicator", "trade_balance", "'trade_balance' is not allowed (expected one of"),
    ("unit", "EUR bn", "'EUR bn' is not allowed (expected one of: USD bn, CNY bn, RUB bn)"),
    ("qualifier", "over", "'over' is not allowed (expected one of: exact, about"),
    ("url", "javascript:alert(1)", "does not match the pattern"),
    ("value", "-1", "below the minimum"),
    ("year", "20x8", "is not integer"),
])  # fmt: skip
def test_schema_problems_found_by_frictionless(pkg, column, value, words):
    pos = _edit_csv(pkg, "r20-2018-total", column, value)
    frame, problems = load_reports(pkg)
    assert frame is None
    assert {(p.file, p.row, p.field) for p in problems} == {("reports.csv", pos, column)}
    assert any(words in p.message for p in problems)


def test_load_reports_reports_check_problems_and_returns_nothing(pkg):
    _edit_csv(pkg, "r20-2018-total", "value", "107.1")
    frame, problems = load_reports(pkg)
    assert frame is None
    assert _messages(problems)[0].startswith("reports.csv:")
    assert [p.field for p in problems] == ["value"]


def test_optional_table_absent(pkg):
    (pkg / "reports.csv").unlink()
    assert load_reports(pkg) == (None, [])
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "reports"]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert load_reports(pkg) == (None, [])


# --- reading the number as the report writes it -----------------------------------------------


@pytest.mark.parametrize("phrase, value", [
    ("US$107.06 billion", 107.06),
    ("$107.060 billion", 107.06),  # trailing zero
    ("107,06 billion dollars", 107.06),  # decimal comma
    ("48,2 billion dollars", 48.2),
    ("$190,27 billion", 190.27),
    ("48.17", 48.17),  # a bare number, read in the unit's billions
    ("1.74 trillion yuan", 1740),
    ("1,740 billion yuan", 1740),  # thousands separator
    ("$18,800 million", 18.8),
    ("$69,525 billion", 69.525),  # comma before three digits: a decimal comma ...
    ("$69,525 billion", 69525),  # ... or a thousands separator; both readings are tried
    ("$244.81bn", 244.81),
    ("$146.88 bln", 146.88),
    ("Russia ($9.3 billion)", 9.3),
    ("$7 billion in 1996", 7),
])  # fmt: skip
def test_value_accepted(phrase, value):
    assert value_written_in(value, phrase)


@pytest.mark.parametrize("phrase, value", [
    ("US$48.17 billion", 48.2),  # no rounding
    ("US$48.17 billion", 48.17e3),  # billion is not million
    ("1.74 trillion yuan", 1.74),  # the scale word counts
    ("up 29.3% to $190 billion", 29.3),  # a percentage is not a figure
    ("rose 2.2 per cent to 69.52 billion", 2.2),
    ("$7 billion in 1996", 1996),  # a bare year does not count beside a scaled figure
    ("$5.72 billion", 5.27),
    ("$1,234,567 million", 1.234),
    ("no figure here", 0),
])  # fmt: skip
def test_value_refused(phrase, value):
    assert not value_written_in(value, phrase)


def test_amounts_in_lists_every_reading():
    assert sorted(amounts_in("1.28 trillion yuan ($190 billion)")) == pytest.approx([190, 1280])
    assert sorted(amounts_in("$69,525 billion")) == pytest.approx([69.525, 69525])
    assert sorted(amounts_in("48.17")) == pytest.approx([48.17])
    assert sorted(amounts_in("the $100-billion target")) == pytest.approx([100])


# --- reports_series ---------------------------------------------------------------------------

HAND = pd.DataFrame(
    [
        ("a", 2018, 107.06, "USD bn", "exact", "observation", "trade_total", "China's customs (GACC)", "2019-01-14"),
        ("b", 2018, 109.0, "USD bn", "about", "observation", "trade_total", "Russia's customs (FCS)", "2019-05-08"),
        ("c", 2018, 59.08, "USD bn", "exact", "observation", "trade_china_imports", "China's customs (GACC)", "2019-01-14"),
        ("d", 2024, 1740.0, "CNY bn", "exact", "observation", "trade_total", "China's customs (GACC)", "2025-01-13"),
        ("e", 2007, 48.16, "USD bn", "exact", "observation", "trade_total", "not stated", "2011-03-10"),
        ("f", 2010, 55.45, "USD bn", "exact", "observation", "trade_total", "China's customs (GACC)", "2011-10-11"),
        ("g", 2010, 59.34, "USD bn", "exact", "observation", "trade_total", "Russia's customs (FCS)", "2011-08-27"),
        ("h", 2006, 33.39, "USD bn", "exact", "observation", "trade_total", "not stated", "2007"),
        ("i", 2016, 66.0, "USD bn", "at_least", "observation", "trade_total", "Russia's customs (FCS)", "2017-09-18"),
    ],
    columns=["id", "year", "value", "unit", "qualifier", "kind", "indicator", "measured_by", "published"],
).assign(
    reported_as=lambda f: "$" + f.value.astype(str) + " billion",
    publisher="P",
    url="https://example.com/",
    text="reports/x.txt",
    note="",
)  # fmt: skip


def test_reports_series_keeps_us_dollar_totals_one_row_each():
    out = reports_series(HAND, (2000, 2020))
    assert list(out.columns) == rp.SERIES_COLUMNS
    assert list(out.id) == ["h", "e", "g", "f", "i", "a", "b"]  # year, then publication date
    assert list(out.trade_usd_bn) == [33.39, 48.16, 59.34, 55.45, 66.0, 107.06, 109.0]
    assert out.set_index("id").at["b", "measured_by"] == "Russia's customs (FCS)"
    assert list(reports_series(HAND, (2011, 2015)).id) == []
    assert list(reports_series(HAND, (2018, 2018)).id) == ["a", "b"]  # never averaged
    assert reports_series(None, (2000, 2020)).empty


def test_reports_series_on_the_real_data(reports):
    out = reports_series(reports, (2018, 2018))
    assert set(out.id) == {"r20-2018-total", "c16-2018-total", "h04-2018-total", "n17-2018-total"}
    assert sorted(out.trade_usd_bn) == [100.0, 107.0, 107.06, 109.0]
    assert (out.year == 2018).all() and out.url.str.startswith("http").all()


def test_reports_module_draws_nothing():
    source = Path(rp.__file__).read_text(encoding="utf-8")
    assert "streamlit" not in source and "plotly" not in source
