"""Broken copies of the package each give a located, clear problem; nothing half-loads."""

import csv
import json

import pandas as pd
import pytest

from sinorus import load as L
from sinorus.checks import LIMIT, DataError
from sinorus.load import DEFAULT_DATA_DIR, Problem, load, validate
from tests.problem_lines import assert_located


def edit_csv(path, row, column, value):
    """Set one cell (row as in the file: header = 1), keeping the rest as csv writes it."""
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_embedded_package_is_valid(pkg):
    assert validate(pkg) == []


def test_problem_format():
    assert (
        str(Problem("observations.csv", 4, "qualifier", "bad"))
        == "observations.csv:4: qualifier: bad"
    )
    assert str(Problem("gdp.csv", message="file is empty")) == "gdp.csv: file is empty"


def one(pkg, file, row, field):
    problems = validate(pkg)
    hits = [p for p in problems if (p.file, p.row, p.field) == (file, row, field)]
    assert hits, f"expected a problem at {file}:{row}: {field}, got {[str(p) for p in problems]}"
    return " | ".join(p.message for p in hits)


# the other bad cells are in CELLS below, their lines in the golden
@pytest.mark.parametrize("column, value, expect", [
    ("year", "2207", "above the maximum"),
    ("unit", "EUR bn", "expected one of"),
    ("source_id", "nyt-2007", "not a source"),
])  # fmt: skip
def test_bad_observation_cell(pkg, column, value, expect):
    edit_csv(pkg / "observations.csv", 3, column, value)
    assert expect in one(pkg, "observations.csv", 3, column)


def test_quote_whitespace_differences_are_fine(pkg):
    edit_csv(
        pkg / "observations.csv",
        3,
        "quote",
        "Annual trade  has grown over\nthe past ten years from about $7 billion to nearly $40 billion.",
    )
    assert validate(pkg) == []


@pytest.mark.parametrize("name", ["observations.csv", "sources.csv"])  # the others: PACKAGES
def test_missing_file(pkg, name):
    (pkg / name).unlink()
    problems = validate(pkg)
    assert any(p.file == name and "not found" in p.message for p in problems), problems


@pytest.mark.parametrize("name", ["observations.csv", "events.csv"])
def test_empty_file(pkg, name):
    (pkg / name).write_bytes(b"")
    assert any(p.file == name and "empty" in p.message for p in validate(pkg))


def test_non_utf8_file_names_the_line(pkg):
    path = pkg / "events.csv"
    data = path.read_bytes().split(b"\n")
    data[4] = data[4] + b"\xff\xfe"
    path.write_bytes(b"\n".join(data))
    assert one(pkg, "events.csv", 5, None).startswith("not UTF-8")


def test_every_problem_reported_at_once(pkg):
    edit_csv(pkg / "observations.csv", 2, "qualifier", "roughly")
    edit_csv(pkg / "events.csv", 3, "date", "June 2007")
    edit_csv(pkg / "trade_makeup.csv", 4, "source_id", "nobody")
    files = {p.file for p in validate(pkg)}
    assert files == {"observations.csv", "events.csv", "trade_makeup.csv"}


def test_invalid_package_never_half_loads(pkg):
    edit_csv(pkg / "observations.csv", 2, "value", "-1")
    with pytest.raises(DataError) as info:
        load(pkg)
    assert "observations.csv:2: value:" in str(info.value)


def test_descriptor_not_json(pkg):
    (pkg / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    assert "not valid JSON" in validate(pkg)[0].message


def test_descriptor_without_a_required_resource(pkg):
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "events"]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert "no resource named 'events'" in validate(pkg)[0].message


def test_missing_directory(tmp_path):
    assert "not found" in validate(tmp_path / "nowhere")[0].message


def test_bom_and_crlf_load(pkg):
    path = pkg / "observations.csv"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    ds = load(pkg)
    assert list(ds.observations.columns)[0] == "id"
    assert len(ds.observations) == 7


def test_gdp_missing_is_a_notice_not_an_error(pkg):
    (pkg / "gdp.csv").unlink()
    ds = load(pkg)
    assert ds.gdp is None
    assert any("gdp" in n for n in ds.notices)


def test_sinorus_data_env(pkg, monkeypatch):
    edit_csv(pkg / "observations.csv", 2, "value", "6.5")
    monkeypatch.setenv("SINORUS_DATA", str(pkg))
    assert 6.5 in set(load().observations.value)


def test_oversized_file_refused_quickly(pkg, monkeypatch):
    monkeypatch.setenv("SINORUS_MAX_FILE_MB", "1")
    path = pkg / "observations.csv"
    row = path.read_text(encoding="utf-8").splitlines()[1]
    with path.open("a", encoding="utf-8") as f:
        for i in range(4000):
            f.write(row.replace("trade-1992-eai", f"big-{i}", 1) + "\n")
    assert path.stat().st_size > 1e6
    (problem,) = validate(pkg)
    assert problem.file == "observations.csv" and "MB (expected at most 1 MB" in problem.message


def test_fifty_megabyte_file_gives_clear_error(pkg):
    path = pkg / "events.csv"
    with path.open("ab") as f:
        f.write(b"x" * 50_000_000)
    (problem,) = validate(pkg)
    assert problem.file == "events.csv" and "50.0 MB" in problem.message


def test_truncated_csv(pkg):
    path = pkg / "observations.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut mid-row, inside a quoted sentence
    problems = validate(pkg)
    assert problems and all(p.file == "observations.csv" for p in problems)
    assert any(p.row is not None for p in problems), [str(p) for p in problems]


def test_truncated_inside_a_quoted_field(pkg):
    path = pkg / "observations.csv"
    data = path.read_bytes()
    cut = data.index(b"notwithstanding")  # inside the first quoted sentence
    path.write_bytes(data[:cut])
    problems = validate(pkg)
    assert problems and all(p.file == "observations.csv" for p in problems), [
        str(p) for p in problems
    ]


@pytest.mark.parametrize("quote", [
    "Annual trade has grown over the past ten years from about $7 billion to ne",
    "nnual trade has grown",
])  # fmt: skip
def test_quote_cut_mid_word(pkg, quote):
    edit_csv(pkg / "observations.csv", 3, "quote", quote)
    assert "not found verbatim" in one(pkg, "observations.csv", 3, "quote")


# --- Boundaries: a share of exactly 100 percent, a period starting in its own year ---------------


def _at(pkg, field):
    return [str(p) for p in validate(pkg) if p.field == field]


def test_a_share_of_exactly_100_percent_is_accepted_and_above_refused(pkg):
    edit_csv(pkg / "observations.csv", 7, "value", "100")
    assert not [p for p in _at(pkg, "value") if "above 100" in p]
    edit_csv(pkg / "observations.csv", 7, "value", "100.5")
    assert "observations.csv:7: value: 100.5 is above 100 (expected a percentage)" in _at(
        pkg, "value"
    )


def test_a_period_may_start_in_its_own_year_but_not_after_it(pkg):
    edit_csv(pkg / "observations.csv", 2, "year_start", "1992")
    assert _at(pkg, "year_start") == []
    edit_csv(pkg / "observations.csv", 2, "year_start", "1993")
    assert _at(pkg, "year_start") == [
        "observations.csv:2: year_start: 1993 is after year 1992 (expected the first year of the period)"
    ]


# --- Every problem line of a broken package, its notices, limits and typed tables ----------------


VOA = "sources/voa-2007-08-growing-ties-china-russia.txt"


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("SINORUS_CACHE_DIR", "off")
    for name in ("SINORUS_MAX_FILE_MB", "SINORUS_MAX_TEXT_MB"):
        monkeypatch.delenv(name, raising=False)


def cell(pkg, file, row, column):
    rows = list(csv.reader((pkg / file).open(encoding="utf-8", newline="")))
    return rows[row - 1][rows[0].index(column)]


def lines(pkg) -> list[str]:
    return [str(p) for p in validate(pkg)]


def descriptor(pkg) -> dict:
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def set_descriptor(pkg, doc) -> None:
    (pkg / "datapackage.json").write_text(json.dumps(doc), encoding="utf-8")


def set_resource(pkg, name, **fields) -> None:
    doc = descriptor(pkg)
    for r in doc["resources"]:
        if r["name"] == name:
            r.update(fields)
    set_descriptor(pkg, doc)


CELLS = [  # (file, row, column, new cell, a key phrase of its one problem there)
    ("observations.csv", 3, "year", "19x7", "expected a whole number"),
    ("observations.csv", 3, "year", "1850", "is below the minimum"),
    ("observations.csv", 3, "year", "2101", "is above the maximum"),
    ("observations.csv", 3, "value", "-3", "is below the minimum"),
    ("observations.csv", 3, "value", "six", "expected a number"),
    ("observations.csv", 3, "qualifier", "roughly", "is not allowed"),
    ("observations.csv", 3, "id", "Bad_ID", "does not match the pattern"),
    ("observations.csv", 3, "indicator", "trade_gdp", "is not an indicator"),
    ("observations.csv", 3, "unit", "percent", "does not match indicator"),
    ("observations.csv", 3, "source_id", "nobody", "is not a source"),
    ("observations.csv", 3, "year_start", "2000", "is after year"),
    ("observations.csv", 3, "quote", "Trade tripled overnight.", "not found verbatim in"),
    ("observations.csv", 3, "quote", "Annual trade has grown over the past ten years from about $7 billion to ne", "not found verbatim in"),
    ("observations.csv", 3, "year_basis", "guessed", "is not allowed"),
    ("events.csv", 3, "date", "June 2007", "expected a date YYYY-MM-DD"),
    ("events.csv", 3, "title", "", "is empty"),
    ("gdp.csv", 5, "gdp_usd", "-1", "is below the minimum"),
    ("trade_makeup.csv", 4, "source_id", "nobody", "is not a source"),
    ("sources.csv", 4, "checksum", "md5:1", "does not match the pattern"),
]  # fmt: skip


@pytest.mark.parametrize("file, row, column, value, phrase", CELLS, ids=[f"{c[0]}:{c[2]}={c[3][:12]}" for c in CELLS])  # fmt: skip
def test_each_bad_cell_is_one_problem_at_its_row_and_field(pkg, file, row, column, value, phrase):
    """The whole lines are in tests/golden/problems/load-cells.txt (tests/test_problem_lines.py)."""
    edit_csv(pkg / file, row, column, value)
    assert_located(validate(pkg), [(file, row, column, phrase)])


def rewrite(pkg, file, change):
    path = pkg / file
    path.write_bytes(change(path.read_bytes()))


def lines_of(pkg, file):
    return (pkg / file).read_text(encoding="utf-8").splitlines()


def write_lines(pkg, file, rows):
    (pkg / file).write_text("\n".join(rows) + "\n", encoding="utf-8")


def renamed_column(pkg):
    rows = lines_of(pkg, "observations.csv")
    rows[0] = rows[0].replace(",qualifier,", ",qualifierx,")
    write_lines(pkg, "observations.csv", rows)


def repeated_column(pkg):
    rows = lines_of(pkg, "indicators.csv")
    write_lines(pkg, "indicators.csv", [rows[0].replace("description", "label")] + rows[1:])


def short_row(pkg):
    rows = lines_of(pkg, "indicators.csv")
    rows[2] = ",".join(next(csv.reader([rows[2]]))[:2])
    write_lines(pkg, "indicators.csv", rows)


def long_row(pkg):
    rows = lines_of(pkg, "indicators.csv")
    rows[2] += ",extra"
    write_lines(pkg, "indicators.csv", rows)


def blank_row(pkg):
    rows = lines_of(pkg, "indicators.csv")
    write_lines(pkg, "indicators.csv", rows[:2] + [",,,"] + rows[2:])


def events_a_directory(pkg):
    (pkg / "events.csv").unlink()
    (pkg / "events.csv").mkdir()


def text_a_directory(pkg):
    (pkg / VOA).unlink()
    (pkg / VOA).mkdir()


def text_link_out(pkg):
    (pkg / VOA).unlink()
    (pkg / VOA).symlink_to(pkg.parent / "elsewhere.txt")
    (pkg.parent / "elsewhere.txt").write_text("x", encoding="utf-8")


def no_events_resource(pkg):
    doc = descriptor(pkg)
    doc["resources"] = [r for r in doc["resources"] if r["name"] not in ("events", "indicators")]
    set_descriptor(pkg, doc)


def flows_as_csv(pkg):
    set_resource(pkg, "trade_flows", path="trade_flows.csv")
    (pkg / "trade_flows.csv").write_text("id\n", encoding="utf-8")


def flows_a_directory(pkg):
    (pkg / "trade_flows.parquet").unlink()
    (pkg / "trade_flows.parquet").mkdir()


def no_description_column(pkg):
    rows = list(csv.reader((pkg / "indicators.csv").open(encoding="utf-8", newline="")))
    with (pkg / "indicators.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([r[:-1] for r in rows])


EDITS = {  # a broken copy of the package, by name; the longer edits are the functions above
    "duplicate_id": lambda pkg: edit_csv(pkg / "observations.csv", 3, "id", cell(pkg, "observations.csv", 2, "id")),
    "empty_quote": lambda pkg: edit_csv(pkg / "observations.csv", 3, "quote", ""),
    "share_over_100": lambda pkg: edit_csv(pkg / "observations.csv", 7, "value", "150"),
    "renamed_column": renamed_column,
    "extra_column": lambda pkg: write_lines(pkg, "indicators.csv", [r + (",comment" if i == 0 else ",x") for i, r in enumerate(lines_of(pkg, "indicators.csv"))]),
    "repeated_column": repeated_column,
    "short_row": short_row,
    "blank_row": blank_row,
    "non_utf8": lambda pkg: rewrite(pkg, "events.csv", lambda b: b.replace(b"\n", b"\n\xff", 3).replace(b"\n\xff", b"\n", 2)),
    "empty_events": lambda pkg: (pkg / "events.csv").write_bytes(b" \n"),
    "no_events": lambda pkg: (pkg / "events.csv").unlink(),
    "events_a_directory": events_a_directory,
    "no_text": lambda pkg: (pkg / VOA).unlink(),
    "text_not_utf8": lambda pkg: (pkg / VOA).write_bytes(b"caf\xe9"),
    "text_a_directory": text_a_directory,
    "text_outside": lambda pkg: edit_csv(pkg / "sources.csv", 2, "path", "../outside.txt"),
    "text_absolute": lambda pkg: edit_csv(pkg / "sources.csv", 2, "path", "/etc/hostname"),
    "text_backslash": lambda pkg: edit_csv(pkg / "sources.csv", 2, "path", "sources\\x.txt"),
    "text_link_out": text_link_out,
    "no_descriptor": lambda pkg: (pkg / "datapackage.json").unlink(),
    "descriptor_not_json": lambda pkg: (pkg / "datapackage.json").write_text('{\n  "resources": [\n    oops', encoding="utf-8"),
    "descriptor_too_deep": lambda pkg: (pkg / "datapackage.json").write_text("[" * 100_000, encoding="utf-8"),
    "descriptor_not_utf8": lambda pkg: (pkg / "datapackage.json").write_bytes(b'{\n"a": "\xff"}'),
    "descriptor_without_resources": lambda pkg: set_descriptor(pkg, {"resources": {}}),
    "descriptor_a_list": lambda pkg: (pkg / "datapackage.json").write_text("[]", encoding="utf-8"),
    "no_events_resource": no_events_resource,
    "events_path_up": lambda pkg: set_resource(pkg, "events", path="../events.csv"),
    "events_path_absolute": lambda pkg: set_resource(pkg, "events", path="C:/events.csv"),
    "events_path_empty": lambda pkg: set_resource(pkg, "gdp", path=" "),
    "flows_as_csv": flows_as_csv,
    "no_description_column": no_description_column,
    "empty_sources": lambda pkg: (pkg / "sources.csv").write_bytes(b""),
    "unusable_schema": lambda pkg: set_resource(pkg, "indicators", schema={"fields": [{"name": "id", "type": "nonsense"}]}),
    "flows_a_directory": flows_a_directory,
}  # fmt: skip

PACKAGES = {  # a broken copy -> where its problems are, with a key phrase of each
    "duplicate_id": [("observations.csv", 3, None, "duplicate key"), ("observations.csv", 3, "id", "duplicate value")],
    "empty_quote": [("observations.csv", 3, "quote", "is empty"), ("observations.csv", 3, "quote", "not found verbatim in")],
    "share_over_100": [("observations.csv", 7, "value", "expected a percentage")],
    "renamed_column": [("observations.csv", None, "qualifier", "header says")],
    "extra_column": [("indicators.csv", None, None, "unexpected column")],
    "repeated_column": [("indicators.csv", None, "description", "appears twice in the header")],
    "short_row": [("indicators.csv", 3, "description", "is empty"), ("indicators.csv", 3, "description", "row ends before this"), ("indicators.csv", 3, "unit", "is empty"), ("indicators.csv", 3, "unit", "row ends before this"), ("observations.csv", 7, "unit", "does not match indicator")],
    "blank_row": [("indicators.csv", 3, None, "blank row"), ("indicators.csv", 3, None, "duplicate key")],
    "non_utf8": [("events.csv", 4, None, "not UTF-8")],
    "empty_events": [("events.csv", None, None, "file is empty")],
    "no_events": [("events.csv", None, None, "file not found")],
    "events_a_directory": [("events.csv", None, None, "file not found")],
    "no_text": [("sources.csv", 2, "path", "not found")],
    "text_not_utf8": [("sources.csv", 2, "path", "cannot be read as UTF-8 text")],
    "text_a_directory": [("sources.csv", 2, "path", "is not a file")],
    "text_outside": [("sources.csv", 2, "path", "goes up out of")],
    "text_absolute": [("sources.csv", 2, "path", "is not a relative")],
    "text_backslash": [("sources.csv", 2, "path", "is not a relative")],
    "text_link_out": [("sources.csv", 2, "path", "leads out of the")],
    "no_descriptor": [("datapackage.json", None, None, "file not found")],
    "descriptor_not_json": [("datapackage.json", 3, None, "not valid JSON")],
    "descriptor_too_deep": [("datapackage.json", None, None, "nested too deep")],
    "descriptor_not_utf8": [("datapackage.json", 2, None, "not UTF-8")],
    "descriptor_without_resources": [("datapackage.json", None, "resources", "expected a list of resources")],
    "descriptor_a_list": [("datapackage.json", None, "resources", "expected a list of resources")],
    "no_events_resource": [("datapackage.json", None, "resources", "no resource named"), ("datapackage.json", None, "resources", "no resource named")],
    "events_path_up": [("datapackage.json", None, "events", "goes up out of the package")],
    "events_path_absolute": [("datapackage.json", None, "events", "is not a relative path")],
    "events_path_empty": [("datapackage.json", None, "gdp", "path is empty")],
    "flows_as_csv": [("trade_flows.csv", None, None, "imported trade is a")],
    "no_description_column": [("indicators.csv", None, "description", "column missing from the")],
    "empty_sources": [("sources.csv", None, None, "file is empty")],
    "unusable_schema": [("datapackage.json", None, "resources[1]", "as sinorus reads this table")],
    "flows_a_directory": [("trade_flows.parquet", None, None, "file not found")],
}  # fmt: skip


@pytest.mark.parametrize("edit", list(PACKAGES))
def test_each_broken_package_is_refused_with_its_problems_located(pkg, edit):
    """The whole lines are in tests/golden/problems/load-packages.txt."""
    EDITS[edit](pkg)
    with pytest.raises(DataError) as info:  # validate() gives these problems; load() raises them
        load(pkg)
    assert_located(info.value.problems, PACKAGES[edit])
    assert info.value.total == len(PACKAGES[edit])


def test_a_row_with_an_extra_cell_is_one_located_line(pkg):
    long_row(pkg)
    assert lines(pkg) == ["indicators.csv:3: row has more cells than the header has columns"]


def test_a_row_with_an_extra_cell_is_located_by_the_schema_check(pkg):
    long_row(pkg)
    assert lines(pkg)[-1] == "indicators.csv:3: row has more cells than the header has columns"


def test_a_csv_cut_inside_a_quoted_cell_is_located_at_the_row_it_starts(pkg):
    data = (pkg / "observations.csv").read_bytes()
    (pkg / "observations.csv").write_bytes(data[: data.index(b"notwithstanding")])  # row 2's quote
    [problem] = validate(pkg)  # then pandas' reason, in its words
    assert (problem.file, problem.row, problem.field) == ("observations.csv", 2, None)
    assert problem.message.startswith("cannot be read as CSV: ")
    assert problem.message.endswith("(the file may be truncated)")


def test_missing_optional_tables_are_notices_in_order(pkg):
    doc = descriptor(pkg)
    doc["resources"] = [r for r in doc["resources"] if r["name"] != "gdp"]
    set_descriptor(pkg, doc)
    (pkg / "hs_sections.csv").unlink()
    ds = load(pkg)
    assert (
        ds.notices
        == [
            "The gdp context table is not in this data package.",
            "The hs_sections context table (hs_sections.csv) is missing, so its charts are unavailable.",  # fmt: skip
        ]
    )
    assert (ds.gdp, ds.hs_sections) == (None, None)
    assert load(DEFAULT_DATA_DIR).notices == []


@pytest.mark.parametrize("less", [0, 1])
def test_the_table_size_limit_is_exact(pkg, monkeypatch, less):
    tables = [r["path"] for r in descriptor(pkg)["resources"] if r["path"].endswith(".csv")]
    biggest = max(tables, key=lambda t: (pkg / t).stat().st_size)
    size = (pkg / biggest).stat().st_size
    assert sorted((pkg / t).stat().st_size for t in tables)[-2] < size - 1  # only it is refused
    limit = (size - less) / 1e6
    monkeypatch.setenv("SINORUS_MAX_FILE_MB", repr(limit))
    expected = [f"{biggest}: file is {size / 1e6:.1f} MB (expected at most {limit:g} MB; set SINORUS_MAX_FILE_MB to raise the limit)"]  # fmt: skip
    assert lines(pkg) == (expected if less else [])


@pytest.mark.parametrize("less", [0, 1])
def test_the_text_size_limit_is_exact(pkg, monkeypatch, less):
    size = (pkg / VOA).stat().st_size
    limit = (size - less) / 1e6
    monkeypatch.setenv("SINORUS_MAX_TEXT_MB", repr(limit))
    expected = [f"sources.csv:2: path: '{VOA}' is {size / 1e6:,.1f} MB (expected a text of at most {limit:g} MB; set SINORUS_MAX_TEXT_MB to raise the limit)"]  # fmt: skip
    assert lines(pkg) == (expected if less else [])


def test_limits_that_are_not_numbers_are_the_defaults(monkeypatch):
    monkeypatch.setenv("SINORUS_MAX_FILE_MB", "big")
    assert L._limit("SINORUS_MAX_FILE_MB", 25.0) == 25.0
    monkeypatch.setenv("SINORUS_MAX_FILE_MB", "0.5")
    assert L._limit("SINORUS_MAX_FILE_MB", 25.0) == 0.5


def test_the_first_hundred_problems_are_kept_and_the_rest_counted(pkg):
    for name in ("gdp.csv", "hs_sections.csv"):
        rows = list(csv.reader((pkg / name).open(encoding="utf-8", newline="")))
        for row in rows[1:]:
            row[rows[0].index("source_id")] = "nobody"
        with (pkg / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    gdp_rows = len((pkg / "gdp.csv").read_text(encoding="utf-8").splitlines()) - 1
    hs_rows = len((pkg / "hs_sections.csv").read_text(encoding="utf-8").splitlines()) - 1
    said = "source_id: 'nobody' is not a source (expected an id from sources.csv)"
    expected = [f"gdp.csv:{r}: {said}" for r in range(2, gdp_rows + 2)]
    expected += [f"hs_sections.csv:{r}: {said}" for r in range(2, 2 + LIMIT - gdp_rows)]
    with pytest.raises(DataError) as info:
        load(pkg)
    more = gdp_rows + hs_rows - LIMIT
    assert info.value.lines() == expected + [f"… and {more} more problem(s) of the same kinds"]
    assert info.value.total == gdp_rows + hs_rows and lines(pkg) == expected


def test_tables_are_typed_by_their_schema(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("i,n,d,s,x\n3,1.5,2020-01-02,a,\n1.5,x,2020-02-30,,z\n,,,b,\n9007199254740993,-0,,c,\n", encoding="utf-8")  # fmt: skip
    fields = {"i": {"type": "integer"}, "n": {"type": "number"}, "d": {"type": "date"}, "s": {}, "y": {"type": "integer"}}  # fmt: skip
    frame = L.typed_frame(path, fields)
    expected = pd.DataFrame({
        "i": pd.array([3, None, None, None], dtype="Int64"),
        "n": [1.5, float("nan"), float("nan"), -0.0],
        "d": pd.to_datetime(["2020-01-02", None, None, None]).as_unit("us"),
        "s": ["a", "", "b", "c"],
        "x": ["", "z", "", ""],
    })  # fmt: skip
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.attrs["file"] == "t.csv"


def test_a_valid_package_is_remembered_and_then_not_checked_again(pkg, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SINORUS_CACHE_DIR", str(cache))
    load(pkg)
    [verdict] = list(cache.iterdir())
    assert verdict.name.startswith("valid-") and len(verdict.name) == len("valid-") + 64
    assert verdict.read_text(encoding="utf-8") == "valid\n"
    edit_csv(pkg / "observations.csv", 3, "value", "7.5")  # still valid: a second verdict beside it
    load(pkg)
    assert len(list(cache.iterdir())) == 2

    def never(*_):
        raise AssertionError("checked again")

    monkeypatch.setattr(L, "check_csv", never)
    assert len(load(pkg).observations) == 7  # trusted: no check ran
    edit_csv(pkg / "observations.csv", 2, "value", "6.5")  # a changed file: checked again
    with pytest.raises(AssertionError, match="checked again"):
        load(pkg)
    monkeypatch.setenv("SINORUS_CACHE_DIR", "off")
    with pytest.raises(AssertionError, match="checked again"):
        load(pkg)


def test_the_files_a_package_consists_of(pkg):
    ds = load(pkg)
    doc = descriptor(pkg)
    tables = [r["path"] for r in doc["resources"]]
    texts = [r["path"] for r in csv.DictReader((pkg / "sources.csv").open(encoding="utf-8")) if r["kind"] == "document"]  # fmt: skip
    reports = [r["text"] for r in csv.DictReader((pkg / "reports.csv").open(encoding="utf-8"))]
    datasets = [r["path"] for r in csv.DictReader((pkg / "sources.csv").open(encoding="utf-8")) if r["kind"] == "dataset"]  # fmt: skip
    assert datasets == [
        "gdp.csv",
        "hs_sections.csv",
        "official.csv",
    ]  # tables of the package themselves
    assert sorted(L.named_dataset_files(ds)) == sorted(datasets)
    notes = ["reports/README.md", "corpus/README.md"]  # beside the reports' texts, in their order
    assert L.package_files(ds) == list(dict.fromkeys(["datapackage.json"] + tables + texts + L.named_dataset_files(ds) + reports + notes))  # fmt: skip


def test_dataset_files_are_those_inside_the_package_with_their_query_files(pkg, tmp_path):
    import dataclasses

    (pkg / "raw").mkdir()
    for name in ("a.json", "a.query.json", "b.json", "c"):
        (pkg / "raw" / name).write_text("{}", encoding="utf-8")
    (pkg / "raw" / "d.json").mkdir()
    (tmp_path / "outside.json").write_text("{}", encoding="utf-8")
    ds = load(pkg)
    extra = pd.DataFrame(
        [{**{c: "" for c in ds.sources.columns}, "id": f"s{i}", "kind": kind, "path": path}
         for i, (kind, path) in enumerate([("dataset", "raw/a.json"), ("dataset", "raw/b.json"), ("dataset", "raw/c"),
                                           ("dataset", "raw/d.json"), ("dataset", "../outside.json"), ("dataset", " "),
                                           ("dataset", "user-download.csv"), ("document", "raw/a.json")])]
    )  # fmt: skip
    ds = dataclasses.replace(ds, sources=pd.concat([ds.sources, extra], ignore_index=True))
    assert L.named_dataset_files(ds) == ["gdp.csv", "official.csv", "hs_sections.csv", "raw/a.json", "raw/a.query.json", "raw/b.json", "raw/c"]  # fmt: skip


@pytest.mark.parametrize(
    "rel, said",
    [("", "is empty (expected a path inside the package, e.g. sources/text.txt)"),
     ("  ", "is empty (expected a path inside the package, e.g. sources/text.txt)"),
     ("/x", "'/x' is not a relative path (expected a path inside the package, e.g. sources/text.txt)"),
     ("\\x", "'\\x' is not a relative path (expected a path inside the package, e.g. sources/text.txt)"),
     ("d:x", "'d:x' is not a relative path (expected a path inside the package, e.g. sources/text.txt)"),
     ("a\\b", "'a\\b' is not a relative path (expected a path inside the package, e.g. sources/text.txt)"),
     ("a/../../x", "'a/../../x' goes up out of the package with '..' (expected a path inside the package)"),
     ("a/..", "'a/..' goes up out of the package with '..' (expected a path inside the package)"),
     ("x" * 61 + "/..", f"'{'x' * 60}… (64 characters)' goes up out of the package with '..' (expected a path inside the package)")],
)  # fmt: skip
def test_a_path_the_package_names_is_refused_with_its_reason(tmp_path, rel, said):
    assert L.inside(tmp_path, rel) == said


def test_a_path_inside_the_package_is_the_file(tmp_path):
    assert L.inside(tmp_path, "a/b.txt") == tmp_path / "a/b.txt"
    assert L.inside(tmp_path, "a/./b..txt") == tmp_path / "a/./b..txt"


def test_the_data_directory_is_the_argument_then_the_environment_then_the_embedded_one(monkeypatch, tmp_path):  # fmt: skip
    monkeypatch.delenv("SINORUS_DATA", raising=False)
    assert L.data_dir() == DEFAULT_DATA_DIR
    monkeypatch.setenv("SINORUS_DATA", str(tmp_path))
    assert (L.data_dir(), L.data_dir("x")) == (tmp_path, L.Path("x"))
    assert lines(tmp_path / "none") == [f"{tmp_path / 'none'}: data directory not found (expected a directory)"]  # fmt: skip


def test_a_package_whose_files_cannot_all_be_read_is_simply_validated(pkg, tmp_path, monkeypatch):
    monkeypatch.setenv("SINORUS_CACHE_DIR", str(tmp_path / "cache"))
    assert L._signature(pkg) is not None and len(L._signature(pkg)) == 64
    edit_csv(pkg / "sources.csv", 2, "path", "../outside.txt")
    assert L._signature(pkg) is None
    monkeypatch.setenv("SINORUS_CACHE_DIR", "off")
    assert L._signature(DEFAULT_DATA_DIR) is None


def test_a_quote_with_markdown_escapes_matches_its_text(pkg):
    quote = cell(pkg, "observations.csv", 3, "quote").replace("$", "\\$")
    assert "\\$7" in quote
    edit_csv(pkg / "observations.csv", 3, "quote", quote)
    assert lines(pkg) == []
