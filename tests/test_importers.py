"""Importing trade tables: each format, detection, scope rules, mirror flows, bad cells (each
rule, located, in the words sinorus has always used), limits, hostile files, the merge of split
downloads, conflicts, and the atomic `sinorus import`. Fixtures are SYNTHETIC (tests/fixtures)."""

import codecs
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sinorus import engine
from sinorus.checks import LIMIT, DataError, Problem
from sinorus.cli import main
from sinorus.importers import combine, command, common, parse, read, rules, write_package
from sinorus.importers.comtrade import PLUS_COLUMNS
from sinorus.load import load, package_files, validate
from tests.problem_lines import assert_located
from tests.trade_tables import digest, flows_frame, plus_csv, source_id, table

FIX = Path(__file__).resolve().parent / "fixtures"
PLUS_CSV = FIX / "comtrade-plus-synthetic.csv"
PLUS_JSON = FIX / "comtrade-plus-synthetic.json"
LEGACY = FIX / "comtrade-legacy-synthetic.csv"
OBS = FIX / "observations-synthetic.csv"
BROKEN = FIX / "comtrade-plus-synthetic-broken.csv"
TODAY = date(2026, 1, 2)
BN = 1e9


def value(result, year, reporter, flow, cmd="TOTAL"):
    rows = result.rows
    hit = rows[
        (rows.year == year)
        & (rows.reporter == reporter)
        & (rows.reported_flow == flow)
        & (rows.commodity_code == cmd)
    ]
    assert len(hit) == 1, (year, reporter, flow, cmd, len(hit))
    return hit.iloc[0]


def plus_lines():
    return PLUS_CSV.read_text(encoding="utf-8").splitlines()


def plus_rows():
    return list(csv.reader(io.StringIO(PLUS_CSV.read_text(encoding="utf-8"))))


def as_csv(rows, delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


# --- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, fmt", [(PLUS_CSV, "comtrade_plus_csv"), (PLUS_JSON, "comtrade_plus_json")]
)
def test_comtrade_plus_csv_and_json(path, fmt):
    result = read(path, today=TODAY)
    assert result.ok and result.format == fmt
    assert result.read == 32 and result.kept == 26
    china_x = value(result, 2020, "CHN", "X")
    assert china_x.value_usd == 50 * BN
    assert (china_x.flow, china_x.valuation) == ("china_exports", "FOB")
    assert value(result, 2020, "CHN", "X", "84").value_usd == 12 * BN  # "12000000000.0" as text
    assert value(result, 2021, "CHN", "M", "03").commodity.startswith("SYNTHETIC")
    assert set(result.rows.classification) == {"H6"}
    assert set(result.rows.family) == {"un-comtrade"}


def test_csv_and_json_give_the_same_rows():
    a, b = read(PLUS_CSV), read(PLUS_JSON)
    cols = ["year", "reporter", "reported_flow", "flow", "commodity_code", "value_usd"]
    key = ["year", "reporter", "reported_flow", "commodity_code"]
    assert (
        a.rows[cols]
        .sort_values(key, ignore_index=True)
        .equals(b.rows[cols].sort_values(key, ignore_index=True))
    )
    assert a.skipped == b.skipped


def test_codes_are_text_never_numbers():
    rows = plus_rows()
    rows[2][rows[0].index("cmdCode")] = "010121"  # HS6 with a leading zero
    result = read(as_csv(rows), "hs6-synthetic.csv")
    assert result.ok and "010121" in set(result.rows.commodity_code)


def test_legacy_comtrade_csv_with_bom_and_crlf():
    raw = LEGACY.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    result = read(LEGACY, today=TODAY)
    assert result.ok and result.format == "comtrade_legacy_csv"
    assert result.kept == 16
    assert value(result, 2005, "CHN", "X").value_usd == 50 * BN / 4
    # "3" (Excel dropped the leading zero) is read as chapter 03, with a note
    row = value(result, 2005, "CHN", "M", "03")
    assert "leading zero" in row.note
    assert result.skipped["monthly figures (Period YYYYMM): only annual figures are used"] == 1
    assert result.skipped["flow RX (re-exports): only imports (M) and exports (X) are used"] == 1


def test_observation_table_keeps_totals_only_under_its_own_source():
    result = read(OBS, today=TODAY)
    assert result.ok and result.format == "observations_csv"
    rows = result.rows.set_index("year")
    assert list(rows.index) == [2008, 2010]
    assert rows.loc[2008, "value_usd"] == pytest.approx(56.8 * BN)
    assert rows.loc[2008, "qualifier"] == "about"
    assert set(result.rows.flow) == {"total"} and set(result.rows.reporter) == {""}
    assert set(result.rows.source_id) == {result.source_id}
    assert set(result.rows.family) == {result.family} and result.family.startswith("table-")
    assert "original source: synthetic-news" in rows.loc[2008, "note"]
    assert sum(result.skipped.values()) == 3


def test_source_row_records_the_file_but_ids_name_no_file():
    result = read(PLUS_CSV, today=TODAY)
    src = result.source
    assert src["kind"] == "dataset"
    assert src["title"] == "UN Comtrade import: comtrade-plus-synthetic.csv"
    assert src["path"] == "comtrade-plus-synthetic.csv"
    digest = hashlib.sha256(PLUS_CSV.read_bytes()).hexdigest()
    assert src["checksum"] == "sha256:" + digest
    assert src["imported"] == "2026-01-02"
    # the id (and so every cached query result) is made of the content, not the name
    assert src["id"] == "import-" + digest[:12]
    assert read(PLUS_CSV.read_bytes(), "another-name.csv").source_id == src["id"]
    assert value(result, 2020, "RUS", "M").row == 20


def test_other_pairs_and_out_of_scope_rows_are_counted_not_errors():
    result = read(PLUS_CSV)
    assert result.ok
    assert result.skipped["other country pair (CHN–USA)"] == 1
    assert result.skipped["other country pair (RUS–DEU)"] == 1
    assert result.skipped["other country pair (CHN–W00)"] == 1
    assert result.skipped["monthly or quarterly figures: only annual figures are used"] == 1
    assert result.skipped["missing value (no trade value in the row)"] == 1
    assert result.read == result.kept + sum(result.skipped.values())
    text = "\n".join(result.summary())
    assert "skipped 1: other country pair (CHN–USA)" in text


def test_mirror_flows_are_kept_apart():
    result = read(PLUS_CSV)
    rows = result.rows[(result.rows.year == 2020) & (result.rows.commodity_code == "TOTAL")]
    imports = rows[rows.flow == "china_imports"].set_index("reporter")
    # China's imports from Russia (China reports, CIF) and Russia's exports to China (FOB)
    assert imports.loc["CHN", ["reported_flow", "valuation", "value_usd"]].tolist() == ["M", "CIF", 57 * BN]  # fmt: skip
    assert imports.loc["RUS", ["reported_flow", "valuation", "value_usd"]].tolist() == ["X", "FOB", 49.1 * BN]  # fmt: skip
    assert len(imports) == 2  # two rows, never one summed or averaged value


# --- every rule, located, in the words it always had -------------------------------------------


def test_bad_cells_reject_the_file_with_every_problem_located():
    result = read(BROKEN)
    assert not result.ok and result.rows.empty and result.parquet is None
    got = {(p.file, p.row, p.field) for p in result.problems}
    assert got == {
        ("comtrade-plus-synthetic-broken.csv", 3, "primaryValue"),
        ("comtrade-plus-synthetic-broken.csv", 4, "flowCode"),
        ("comtrade-plus-synthetic-broken.csv", 5, "refYear"),
    }
    messages = {p.field: p.message for p in result.problems}
    assert "'12abc' is not a number" in messages["primaryValue"]
    assert "'Z' is not a UN Comtrade flow code" in messages["flowCode"]
    assert "1850 is out of range" in messages["refYear"]
    assert "rejected" in "\n".join(result.summary())


RULES = [  # column, bad cell, the message (as the row-by-row reader worded it)
    ("primaryValue", "12abc", "'12abc' is not a number (expected the value in US$)"),
    ("primaryValue", "-5", "-5 is negative (expected a trade value of at least 0)"),
    ("primaryValue", "NaN", "'NaN' is not a number (expected the value in US$)"),
    ("primaryValue", "inf", "'inf' is not a number (expected the value in US$)"),
    ("flowCode", "Z", "'Z' is not a UN Comtrade flow code (expected M or X; also known:"),
    ("refYear", "1850", "1850 is out of range (expected 1900–2100)"),
    ("refYear", "20x0", "'20x0' is not a year (expected a whole number such as 2021)"),
    ("refYear", "1996.5", "'1996.5' is not a year (expected a whole number such as 2021)"),
    ("freqCode", "W", "'W' is not a frequency (expected A for annual, or M)"),
    ("cmdCode", "", "is empty (expected TOTAL or an HS code such as 27)"),
    ("reporterCode", "", "is empty (expected the reporter's code, e.g. 156 China, 643 Russia)"),
    ("isReported", "maybe", "'maybe' is not true or false (expected true / false / 1 / 0)"),
    ("isAggregate", "perhaps", "'perhaps' is not true or false (expected true / false / 1 / 0)"),
]


@pytest.mark.parametrize("column, cell, message", RULES)
def test_each_rule_names_row_field_and_expectation(column, cell, message):
    rows = plus_rows()
    rows[3][rows[0].index(column)] = cell  # row 4 of the file (header = row 1)
    if column == "reporterCode":
        rows[3][rows[0].index("reporterISO")] = ""
    result = read(as_csv(rows), "rule-synthetic.csv")
    assert not result.ok
    hits = [p for p in result.problems if (p.row, p.field) == (4, column)]
    assert hits and hits[0].message.startswith(message), result.problems


def test_thousands_separators_and_exponents_read_as_numbers():
    rows = plus_rows()
    col = rows[0].index("primaryValue")
    rows[1][col] = "50,000,000,000"
    rows[2][col] = "1.2E+10"
    result = read(as_csv(rows), "numbers-synthetic.csv")
    assert result.ok
    assert value(result, 2020, "CHN", "X").value_usd == 50 * BN
    assert value(result, 2020, "CHN", "X", "84").value_usd == 12 * BN


def test_ragged_row_and_bad_boolean():
    lines = plus_lines()
    lines[2] = lines[2] + ",extra"
    assert lines[6].endswith(",True,True")  # row 7: a TOTAL row
    lines[6] = lines[6][: -len("True")] + "maybe"
    result = read("\n".join(lines).encode(), "ragged-synthetic.csv")
    found = {(p.row, p.field) for p in result.problems}
    assert (3, None) in found and (7, "isAggregate") in found
    ragged = next(p for p in result.problems if p.row == 3)
    assert ragged.message == "row has 48 cell(s), the header 47 (expected one cell per column)"


def test_rows_after_an_unreadable_row_keep_their_numbers():
    lines = plus_lines()
    lines[2] = "C,A"  # row 3 cannot be read
    lines[6] = lines[6].replace(",2020,52,2020,", ",1850,52,2020,", 1)  # row 7: a bad year
    result = read("\n".join(lines).encode(), "shifted-synthetic.csv")
    rows = {(p.row, p.field) for p in result.problems}
    assert (3, None) in rows and (7, "refYear") in rows, result.problems


def test_blank_lines_and_mixed_line_endings_keep_row_numbers():
    lines = plus_lines()
    lines[6] = lines[6].replace(",2020,52,2020,", ",1850,52,2020,", 1)  # row 7
    text = "\r\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:])  # a blank row 4 moves row 7 to 8
    result = read(text.encode(), "blank-synthetic.csv")
    assert [(p.row, p.field) for p in result.problems] == [(8, "refYear")]


def test_unrecognised_file_names_the_file_and_what_was_expected():
    result = read(FIX / "not-comtrade-synthetic.csv")
    assert not result.ok and result.format is None
    (problem,) = result.problems
    assert problem.file == "not-comtrade-synthetic.csv" and problem.row == 1
    assert "not a recognised file" in problem.message
    assert "UN Comtrade+ CSV" in problem.message and "legacy UN Comtrade CSV" in problem.message


def test_near_miss_header_says_which_columns_are_missing():
    text = PLUS_CSV.read_text(encoding="utf-8").replace("primaryValue", "tradeValue", 1)
    result = read(text.encode(), "renamed-synthetic.csv")
    assert "lacks column(s) primaryValue" in result.problems[0].message


@pytest.mark.parametrize("data, expect", [
    (b"", "file is empty"),
    (b'{"data": [', "not valid JSON"),
    (b'{"foo": 1}', "no list of records"),
    (b'{"data": [{"a": 1}]}', "not UN Comtrade+ records"),
    (b'{"data": [], "error": "quota exceeded"}', "API error response"),
    (b"\xff\xfenot utf16 really\xff", None),
    (b"typeCode,freqCode\n\xff\n", "not a recognised file"),  # read as ISO-8859-1
])  # fmt: skip
def test_broken_inputs_give_clear_messages(data, expect):
    result = read(data, "broken-synthetic.json")
    assert not result.ok
    if expect:
        assert expect in str(result.problems[0]), result.problems


def test_bom_and_crlf_read_like_plain_csv():
    raw = PLUS_CSV.read_bytes()
    variant = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    a, b = read(raw, "a-synthetic.csv"), read(variant, "a-synthetic.csv")
    assert b.ok and b.format == "comtrade_plus_csv"
    cols = ["year", "reporter", "flow", "commodity_code", "value_usd", "row"]
    assert a.rows[cols].equals(b.rows[cols])


def test_semicolon_separated_csv_is_read():
    result = read(as_csv(plus_rows(), ";"), "semicolon-synthetic.csv")
    assert result.ok and result.kept == 26


def test_conflicting_duplicate_rows_are_a_problem_identical_ones_skipped():
    lines = plus_lines()
    same = read("\n".join(lines + [lines[1]]).encode(), "dup-synthetic.csv")
    assert same.ok and same.skipped["duplicate row (same year, reporter, flow, commodity, value)"] == 1  # fmt: skip
    changed = lines[1].replace("50000000000.0", "51000000000.0")
    assert changed != lines[1]
    conflict = read("\n".join(lines + [changed]).encode(), "dup-synthetic.csv")
    assert not conflict.ok and "conflicts with row 2" in conflict.problems[0].message


# --- hostile files: bounded work, located messages -----------------------------------------------


def test_a_million_bad_rows_keep_a_hundred_problems_and_count_the_rest():
    header = PLUS_CSV.read_text(encoding="utf-8").splitlines()[0]
    result = read((header + "\n" + "x\n" * 200_000).encode(), "ragged-synthetic.csv")
    assert not result.ok
    assert len(result.problems) == LIMIT and result.problem_count == 200_000
    assert result.problems[0].row == 2 and result.problems[-1].row == LIMIT + 1
    assert "… and 199,900 more problem(s)" in "\n".join(result.summary())


def test_json_of_empty_records_stops_early():
    first = json.loads(PLUS_JSON.read_text(encoding="utf-8"))["data"][0]
    data = json.dumps({"data": [first] + [{}] * 200_000}).encode()
    result = read(data, "empty-records-synthetic.json")
    assert not result.ok and result.problem_count < LIMIT
    assert "reading stopped" in result.problems[-1].message
    assert result.read < 2_000  # gave up after the first thousand hopeless records


@pytest.mark.parametrize("data, expect", [
    # the JSON reader's own reason follows; its words are in tests/golden/problems/
    (b"[" * 100_000, "not valid JSON in or after record 1: "),
    (b'{"data": [{"refYear": ' + b"9" * 5000 + b"}]}", "not valid JSON in or after record 1: "),
    (b'{"data": [{"refYear": 1e99999}]}', "not valid JSON in or after record 1: "),
    (b'{"data": [{"refYear": NaN}]}', "not valid JSON in or after record 1: "),
    (b'{"data": [{"cmdCode": "' + b"z" * 2_000_000 + b'"}]}', "over 1 MB"),
])  # fmt: skip
def test_hostile_json_is_refused_with_a_located_message(data, expect):
    result = read(data, "hostile-synthetic.json")
    assert not result.ok and expect in result.problems[0].message, result.problems
    assert result.problems[0].row is not None


def test_a_huge_cell_is_refused_and_the_message_stays_short():
    header = PLUS_CSV.read_text(encoding="utf-8").splitlines()[0]
    data = (header + "\nC,A," + "y" * 3_000_000 + "\n").encode()
    result = read(data, "long-cell-synthetic.csv")
    assert not result.ok
    assert result.problems[0].row == 2 and "over 1 MB" in result.problems[0].message
    assert max(len(str(p)) for p in result.problems) < 500


def test_long_cells_are_cut_in_messages():
    rows = plus_rows()
    rows[3][rows[0].index("flowCode")] = "Q" * 5000
    result = read(as_csv(rows), "long-synthetic.csv")
    message = next(p.message for p in result.problems if p.field == "flowCode")
    assert len(message) < 400 and "5,000 characters" in message


# --- combining files: one download is one series ------------------------------------------------


def year_slices(tmp_path):
    """The fixture split by year into two files, as Comtrade's size limits make people do."""
    rows = plus_rows()
    header, body = rows[0], rows[1:]
    year = header.index("refYear")
    paths = []
    for y in ("2020", "2021"):
        path = tmp_path / f"slice-{y}-synthetic.csv"
        path.write_bytes(as_csv([header] + [r for r in body if r[year] == y]))
        paths.append(path)
    rest = [r for r in body if r[year] not in ("2020", "2021")]
    assert not rest or all(r[header.index("freqCode")] != "A" for r in rest)
    return paths


def test_year_slices_chart_exactly_like_the_whole_file(ds, tmp_path):
    from sinorus import flows

    whole = combine(ds, [read(PLUS_CSV)], tmp_path / "a")
    sliced = combine(ds, [read(p) for p in year_slices(tmp_path)], tmp_path / "b")
    cols = ["family", "series", "year", "reporter", "flow", "value_usd_bn", "basis"]
    a = flows.direction_frame(whole, (1900, 2100))[cols]
    b = flows.direction_frame(sliced, (1900, 2100))[cols]
    assert a.equals(b) and len(a) == 12
    assert set(a.series) == {"UN Comtrade"}  # one series, named by the dataset, not a file


def test_overlapping_files_keep_each_row_once(ds, tmp_path):
    lines = plus_lines()
    overlap = tmp_path / "overlap-synthetic.csv"
    overlap.write_text("\n".join(lines[:8]) + "\n", encoding="utf-8")  # 7 rows also in the whole
    first, second = read(PLUS_CSV), read(overlap)
    merged = combine(ds, [first, second], tmp_path / "w")
    assert len(merged.trade_flows) == 26
    assert second.skipped["already in another file (same year, reporter, flow, commodity and value): kept once"] == 7  # fmt: skip


def test_two_files_that_disagree_are_an_error_naming_both(ds, tmp_path):
    lines = plus_lines()
    other = tmp_path / "revised-synthetic.csv"
    other.write_text(lines[0] + "\n" + lines[1].replace("50000000000.0", "50500000000.0") + "\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(DataError) as info:
        combine(ds, [read(PLUS_CSV), read(other)], tmp_path / "w")
    (problem,) = info.value.problems
    assert problem.file == "revised-synthetic.csv" and problem.row == 2
    assert "conflicts with comtrade-plus-synthetic.csv row 2 (5e+10)" in problem.message


def test_the_same_bytes_under_two_names_are_one_dataset(ds, tmp_path):
    a = read(PLUS_CSV)
    b = read(PLUS_CSV.read_bytes(), "renamed-copy-synthetic.csv")
    merged = combine(ds, [a, b], tmp_path / "w")
    assert len(merged.trade_flows) == 26 and len(merged.sources) == len(ds.sources) + 1
    assert any("the same contents as 'comtrade-plus-synthetic.csv'" in n for n in b.notes)


def test_combine_leaves_the_shared_dataset_alone(ds, tmp_path):
    sources_before = ds.sources.copy()
    merged = combine(ds, [read(PLUS_CSV)], tmp_path / "w")
    assert merged is not ds and len(merged.trade_flows) == 26
    assert ds.sources.equals(sources_before) and len(ds.trade_flows) == 0
    assert merged.observations is ds.observations  # the documents' figures untouched
    assert merged.sources.set_index("id").loc[merged.sources.id.iloc[-1], "kind"] == "dataset"
    with pytest.raises(DataError, match="comtrade-plus-synthetic-broken.csv:3: primaryValue"):
        combine(ds, [read(BROKEN)], tmp_path / "x")


def test_two_sessions_combine_independently(ds, tmp_path):
    a = combine(ds, [read(PLUS_CSV)], tmp_path / "a")
    b = combine(ds, [read(LEGACY)], tmp_path / "b")
    assert set(a.trade_flows.rows().year) == {2020, 2021}
    assert set(b.trade_flows.rows().year) == {2005}
    assert len(ds.trade_flows) == 0


def test_stored_rows_are_checked_by_the_loaders_rules(ds, tmp_path):
    bad = tmp_path / "bad.parquet"
    con = engine.connect()
    engine.write_parquet(
        con,
        f"""SELECT * REPLACE (CASE WHEN row = 2 THEN 'china_imports' ELSE flow END AS flow,
                               CASE WHEN row = 3 THEN 'voa-2007-08' ELSE source_id END AS source_id)
            FROM read_parquet('{read(PLUS_CSV).parquet}')""",
        bad,
    )
    con.close()
    sources = combine(ds, [read(PLUS_CSV)], tmp_path / "w").sources
    resource = {**{r["name"]: r for r in ds.descriptor["resources"]}["trade_flows"], "path": "bad.parquet"}  # fmt: skip
    found = engine.check_flows(engine.FlowStore.of(bad), resource, sources)
    messages = {(p.field, p.message) for p in found.kept}
    assert ("flow", "'china_imports' does not match reporter CHN flow X (expected 'china_exports')") in messages  # fmt: skip
    assert any(f == "source_id" and "is a document" in m for f, m in messages)


# --- the command ----------------------------------------------------------------------------------


def run(*args):
    return subprocess.run([sys.executable, "-m", "sinorus", *args], capture_output=True, text=True)


def test_cli_import_writes_a_package_that_validates(tmp_path):
    out = tmp_path / "pkg"
    result = run("import", str(PLUS_CSV), str(LEGACY), str(OBS), "--into", str(out))
    assert result.returncode == 0, result.stderr
    assert "kept 26 row(s)" in result.stdout
    assert "skipped 1: other country pair (CHN–USA)" in result.stdout
    assert "valid data package; 44 imported row(s)" in result.stdout
    assert validate(out) == []
    assert run("validate", str(out)).returncode == 0
    pkg = load(out)
    assert len(pkg.trade_flows) == 44
    assert pkg.sources.kind.tolist().count("dataset") == 3 + 3
    orig = (Path(__file__).resolve().parent.parent / "data" / "sources.csv").read_bytes()
    assert (out / "sources.csv").read_bytes().startswith(orig)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    flows = {r["name"]: r for r in descriptor["resources"]}["trade_flows"]
    assert flows["path"] == "trade_flows.parquet" and flows["format"] == "parquet"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(
        [
            "datapackage.json",
            "events.csv",
            "gdp.csv",
            "hs_sections.csv",
            "indicators.csv",
            "observations.csv",
            "official.csv",
            "reports.csv",
            "sources.csv",
            "trade_flows.parquet",
            "trade_makeup.csv",
        ]  # fmt: skip
    )
    assert not list(tmp_path.glob(".*"))  # no temporary directory left beside it


def test_cli_import_into_a_package_that_already_has_imports(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    slices = year_slices(tmp_path)
    assert run("import", str(slices[0]), "--into", str(first)).returncode == 0
    result = run("import", str(slices[1]), "--into", str(second), "--data", str(first))
    assert result.returncode == 0, result.stderr
    assert len(load(second).trade_flows) == 26


@pytest.mark.full
def test_a_failing_import_leaves_nothing_behind(tmp_path, pkg):
    import pandas as pd

    sources = pd.read_csv(pkg / "sources.csv", dtype=str, keep_default_na=False)
    sources.drop(columns=["checksum", "imported"]).to_csv(pkg / "sources.csv", index=False)
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for r in descriptor["resources"]:
        if r["name"] == "sources":
            r["schema"]["fields"] = [f for f in r["schema"]["fields"] if f["name"] not in ("checksum", "imported")]  # fmt: skip
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    out = tmp_path / "out"
    result = run("import", str(PLUS_CSV), "--into", str(out), "--data", str(pkg))
    assert result.returncode == 1 and "nothing written" in result.stderr
    assert "no column(s) checksum, imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no output, no leftovers
    assert run("import", str(PLUS_CSV), "--into", str(out)).returncode == 0  # the retry works


def test_write_package_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "x").write_text("x")
    with pytest.raises(DataError, match="not empty"):
        write_package([read(PLUS_CSV)], tmp_path)


def test_write_package_adds_files_its_sources_name_and_keeps_them(tmp_path):
    result = read(PLUS_JSON, workdir=tmp_path / "w")
    result.source["path"] = "raw/kept-synthetic.json"
    query = tmp_path / "query.json"
    query.write_text('{"note": "SYNTHETIC query"}\n', encoding="utf-8")
    files = {"raw/kept-synthetic.json": PLUS_JSON, "raw/kept-synthetic.query.json": query}
    first = write_package([result], tmp_path / "one", files=files)
    assert (first.root / "raw" / "kept-synthetic.json").read_bytes() == PLUS_JSON.read_bytes()
    assert {"raw/kept-synthetic.json", "raw/kept-synthetic.query.json"} <= set(package_files(first))  # fmt: skip
    second = write_package([read(LEGACY, workdir=tmp_path / "w")], tmp_path / "two", first.root)
    assert (second.root / "raw" / "kept-synthetic.query.json").read_bytes() == query.read_bytes()
    assert "gdp.csv" in package_files(second) and "comtrade-legacy-synthetic.csv" not in package_files(second)  # fmt: skip


@pytest.mark.parametrize("rel", ["../out.json", "/abs.json", "raw\\x.json", " "])
def test_write_package_refuses_files_outside_the_package(tmp_path, rel):
    with pytest.raises(DataError, match="not a path inside the package"):
        write_package([read(PLUS_CSV)], tmp_path / "out", files={rel: PLUS_JSON})
    assert list(tmp_path.iterdir()) == []


def test_write_package_replaces_a_package_only_when_asked(tmp_path):
    out = tmp_path / "out"
    write_package([read(PLUS_CSV)], out)
    with pytest.raises(DataError, match="not empty"):
        write_package([read(LEGACY)], out)
    ds = write_package([read(LEGACY)], out, replace=True)
    assert len(ds.sources[ds.sources.kind == "dataset"]) == 3 + 1  # the old import is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("x")
    with pytest.raises(DataError, match="not a data package"):
        write_package([read(LEGACY)], tmp_path / "notes", replace=True)
    assert (tmp_path / "notes" / "mine.txt").read_text() == "x"


def test_import_copies_only_the_files_the_package_names(tmp_path, pkg):
    (pkg / "notes-not-part-of-the-package.bin").write_bytes(b"\0" * 1024)
    out = tmp_path / "out"
    assert run("import", str(PLUS_CSV), "--into", str(out), "--data", str(pkg)).returncode == 0
    assert not (out / "notes-not-part-of-the-package.bin").exists()


@pytest.mark.parametrize("target", ["a-directory", "missing-synthetic.csv"])
def test_cli_import_of_what_is_not_a_file_is_one_line(tmp_path, target):
    (tmp_path / "a-directory").mkdir()
    result = run("import", str(tmp_path / target), "--into", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert target in result.stdout and not (tmp_path / "out").exists()


def test_package_without_trade_flows_still_loads(pkg, tmp_path):
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "trade_flows"]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    old = load(pkg)
    assert old.trade_flows is None
    with pytest.raises(DataError, match="no trade_flows table"):
        combine(old, [read(PLUS_CSV)], tmp_path / "w")


def test_a_csv_trade_flows_table_asks_for_a_new_import(pkg):
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for r in descriptor["resources"]:
        if r["name"] == "trade_flows":
            r["path"] = "trade_flows.csv"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    (pkg / "trade_flows.csv").write_text("id\n", encoding="utf-8")
    (problem,) = validate(pkg)
    assert problem.file == "trade_flows.csv" and "sinorus import" in problem.message


def test_hs_sections_table(ds):
    hs = ds.hs_sections
    assert len(hs) == 97 and hs.chapter.is_unique
    assert set(hs.section) == set(range(1, 22))
    assert hs.set_index("chapter").loc["27", "section_roman"] == "V"
    assert hs.set_index("chapter").loc["85", "section"] == 16
    assert hs.set_index("chapter").loc["97", "section"] == 21
    assert ds.sources.id.isin(["wco-hs"]).any()


# --- files exactly as UN Comtrade gives them: the website's CSV, the API's JSON, the legacy CSV ---

WEB = FIX / "web-download-synthetic"
WEB_CSV = WEB / "TradeData_12_4_2026_10_31_5.csv"  # the website's shape, SYNTHETIC values
WEB_UTF8 = WEB / "TradeData_12_4_2026_10_31_5-utf8.csv"  # the same rows re-saved as CSV UTF-8
REAL_API = FIX / "comtrade-api-real"  # real bodies, origin in its README


def same_rows(a, b):
    """The kept rows of two reads of the same table (their source ids differ with the bytes)."""
    cols = [c for c in a.rows.columns if c != "source_id"]
    left = a.rows[cols].sort_values("row").reset_index(drop=True)
    right = b.rows[cols].sort_values("row").reset_index(drop=True)
    assert len(left) > 0
    assert left.equals(right), (left, right)


def test_the_web_download_fixture_has_the_websites_shape():
    data = WEB_CSV.read_bytes()
    header, *rows = data.split(b"\n")[:-1]
    assert header.decode() == ",".join(PLUS_COLUMNS) and b'"' not in header
    assert all(row.endswith(b",") and row.startswith(b'"C"') for row in rows)
    assert all(len(next(csv.reader([r.decode("latin-1")]))) == 48 for r in rows)
    assert "Côte d'Ivoire".encode("iso-8859-1") in data and b"\r" not in data
    assert b',"true",' in data and b",," in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_the_web_download_imports_as_it_is_with_the_rows_of_its_utf8_form():
    web, utf8 = read(WEB_CSV, today=TODAY), read(WEB_UTF8, today=TODAY)
    assert web.ok and utf8.ok, (web.problems, utf8.problems)
    assert (web.format, web.read, web.kept, web.skipped) == (utf8.format, utf8.read, utf8.kept, utf8.skipped)  # fmt: skip
    same_rows(web, utf8)
    assert web.skipped["other country pair (CHN–CIV)"] == 1
    assert web.file == "TradeData_12_4_2026_10_31_5.csv" and utf8.notes == []
    assert web.notes == [
        "not UTF-8 (byte 0xf4 on line 34 is not UTF-8 text); read as ISO-8859-1 (Latin-1), the "
        "encoding of the UN Comtrade+ website's CSV download: it has no byte in 0x80–0x9F, where "
        "Windows-1252 would differ; if a name reads wrong, re-save the file as CSV UTF-8",
        "every row ends with a comma after the header's 47 columns, as the UN Comtrade+ "
        "website's CSV download does: the empty cell after it is not read",
    ]
    assert "not UTF-8" not in "\n".join(str(p) for p in web.problems)


@pytest.mark.parametrize("encoding, note", [
    ("utf-8", None),
    ("utf-8-sig", None),
    ("cp1252", "read as Windows-1252 because it has bytes in 0x80–0x9F (the first 0x92"),
])  # fmt: skip
def test_the_web_download_in_other_encodings_reads_the_same_rows(tmp_path, encoding, note):
    text = WEB_CSV.read_bytes().decode("iso-8859-1").replace("SYNTHETIC All", "SYNTHETIC All’s")
    path = tmp_path / "TradeData_1_2_2026_3_4_5.csv"
    path.write_bytes(text.encode(encoding))
    result, expected = read(path), read(WEB_CSV)
    assert result.ok and result.kept == expected.kept > 0
    assert set(result.rows["commodity"]) - set(expected.rows["commodity"]) == {"SYNTHETIC All’s Commodities"}  # fmt: skip
    encoding_notes = [n for n in result.notes if n.startswith("not UTF-8")]
    assert [note in n for n in encoding_notes] == ([True] if note else [])


def test_a_trailing_cell_that_is_not_empty_on_every_row_is_a_located_problem(tmp_path):
    lines = WEB_CSV.read_bytes().split(b"\n")
    lines[3] = lines[3] + b'"x"'
    result = read(b"\n".join(lines), "TradeData-synthetic.csv")
    assert not result.ok and result.problem_count == len(lines) - 2
    assert str(result.problems[0]) == "TradeData-synthetic.csv:2: row has 48 cell(s), the header 47 (expected one cell per column)"  # fmt: skip
    assert result.notes[1:] == []


def test_a_row_without_the_trailing_comma_among_rows_with_it_is_read_too():
    lines = WEB_CSV.read_bytes().split(b"\n")
    lines[4] = lines[4].removesuffix(b",")
    result = read(b"\n".join(lines), "TradeData-synthetic.csv")
    assert result.ok and result.kept == read(WEB_CSV).kept
    assert result.notes[1].startswith(f"{len(lines) - 3} row(s) end with a comma after the header's 47 columns")  # fmt: skip


def test_rows_wider_than_the_header_cost_one_problem_each_not_one_per_cell():
    header = PLUS_CSV.read_text(encoding="utf-8").splitlines()[0]
    result = read((header + "\n" + ",".join("y" * 60) + "\n" * 1 + (",".join(["y"] * 60) + "\n") * 100_000).encode(), "wide-synthetic.csv")  # fmt: skip
    assert (result.read, result.problem_count) == (100_001, 100_001)
    assert str(result.problems[1]) == "wide-synthetic.csv:3: row has 60 cell(s), the header 47 (expected one cell per column)"  # fmt: skip


def test_a_line_of_more_cells_than_any_table_has_is_refused_before_reading():
    header = PLUS_CSV.read_text(encoding="utf-8").splitlines()[0]
    data = (header + "\n" + plus_lines()[1] + "\n" + "," * 1000 + "\n").encode()
    result = read(data, "many-cells-synthetic.csv")
    assert [str(p) for p in result.problems] == ["many-cells-synthetic.csv:3: line has over 1,000 cells (expected a row of 47 cells)"]  # fmt: skip


def test_the_legacy_layout_as_iso_8859_1_with_trailing_commas_reads_the_same_rows(tmp_path):
    text = LEGACY.read_bytes().decode("utf-8-sig")
    header, *rows = text.split("\r\n")
    rows = [r + "," for r in rows if r] + ['H4,2006,2006,2006,0,0,2,Export,156,China,CHN,384,Côte d\'Ivoire,CIV,TOTAL,SYNTHETIC All,1,No Quantity,,,5,0,']  # fmt: skip
    path = tmp_path / "comtrade-legacy-latin1-synthetic.csv"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("iso-8859-1"))
    result, expected = read(path), read(LEGACY)
    assert result.ok and result.format == "comtrade_legacy_csv"
    same_rows(result, expected)
    assert result.skipped - expected.skipped == {"other country pair (CHN–CIV)": 1}
    assert result.notes[0].startswith("not UTF-8 (byte 0xf4 on line")


def test_the_json_file_in_iso_8859_1_reads_the_same_rows(tmp_path):
    doc = json.loads(PLUS_JSON.read_text(encoding="utf-8"))
    doc["data"][0]["cmdDesc"] = "SYNTHETIC Côte"
    path = tmp_path / "comtrade-latin1-synthetic.json"
    path.write_bytes(json.dumps(doc, ensure_ascii=False).encode("iso-8859-1"))
    result = read(path)
    assert result.ok and result.kept == read(PLUS_JSON).kept
    assert "SYNTHETIC Côte" in set(result.rows["commodity"])
    assert result.notes[0].startswith("not UTF-8")


# Real API bodies (tests/fixtures/comtrade-api-real/README.md: recorded from the UN Comtrade
# public preview by bruno-portfolio/agrobr, MIT).


def test_a_real_api_body_saved_as_a_file_imports_as_it_is():
    body = REAL_API / "agrobr_preview_C_A_HS_CHN_from_BRA_1201_2023_200.body.json"
    record = json.loads(body.read_bytes())["data"][0]
    assert list(record) == PLUS_COLUMNS  # the 47 names, in the order the API gives them
    result = read(body)
    assert (result.ok, result.format, result.read, result.kept) == (True, "comtrade_plus_json", 1, 0)  # fmt: skip
    assert dict(result.skipped) == {"other country pair (CHN–BRA)": 1}


def test_a_real_count_only_body_is_not_a_list_of_records():
    body = REAL_API / "agrobr_preview_C_A_HS_BRA_1201_2023_countOnly_200.body.json"
    result = read(body)
    assert [str(p) for p in result.problems] == [
        f"{body.name}: data: no list of records (found: elapsedTime, count, data, error; "
        'expected {"data": [...]} as the UN Comtrade API returns it)'
    ]


# --- `sinorus import`: a full disk, Ctrl-C, the summary, temporary folders -------------------------


def cli(*args) -> int:
    return main(list(args))


def test_a_full_disk_during_an_import_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    def full(*_, **__):  # what DuckDB raises when the disk fills while it writes Parquet
        raise engine.FileError('IO Error: Could not write file "x.parquet": No space left on device')  # fmt: skip

    monkeypatch.setattr(engine, "write_parquet", full)
    out = tmp_path / "pkg"
    assert cli("import", str(PLUS_CSV), "--into", str(out)) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        'error: IO Error: Could not write file "x.parquet": No space left on device; nothing '
        f"written to {out} (check free space)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_an_import_exits_130_in_one_line_with_the_package_untouched(
    tmp_path, monkeypatch, capsys, pkg
):
    from sinorus.importers import parse

    def interrupted(*_, **__):  # DuckDB's words when SIGINT reaches a running query (seen on a
        raise RuntimeError("Query interrupted")  # 134 MB import stopped with Ctrl-C)

    before = {p: p.read_bytes() for p in pkg.iterdir() if p.is_file()}
    monkeypatch.setattr(parse, "read_csv", interrupted)
    out = tmp_path / "out"
    assert cli("import", str(PLUS_CSV), "--into", str(out), "--data", str(pkg)) == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted; nothing was left half-written"]
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert {p: p.read_bytes() for p in pkg.iterdir() if p.is_file()} == before


def test_other_runtime_errors_are_not_taken_for_ctrl_c(tmp_path, monkeypatch):
    from sinorus.importers import parse

    def broken(*_, **__):
        raise RuntimeError("SYNTHETIC: something else")

    monkeypatch.setattr(parse, "read_csv", broken)
    with pytest.raises(RuntimeError, match="something else"):
        cli("import", str(PLUS_CSV), "--into", str(tmp_path / "out"))


def test_the_summary_counts_the_rows_another_file_already_gave(tmp_path, capsys):
    from sinorus.importers.combine import DUPLICATE

    part = tmp_path / "first-rows-synthetic.csv"
    part.write_text("\n".join(plus_lines()[:4]) + "\n", encoding="utf-8")
    assert cli("import", str(PLUS_CSV), str(part), "--into", str(tmp_path / "pkg")) == 0
    out = capsys.readouterr().out
    assert f"  skipped 3: {DUPLICATE}" in out.splitlines()
    assert out.index(DUPLICATE) < out.index("wrote ")


def test_a_read_leaves_no_duckdb_folder_in_the_temporary_directory(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(engine, "_SPILL", None)  # as in a fresh upload child process
    result = read(PLUS_CSV, workdir=tmp_path / "work")
    assert result.ok and engine._SPILL is None
    assert [p.name for p in tmp_path.iterdir()] == ["work"]
    assert [p.name for p in (tmp_path / "work").iterdir()] == [f"{result.source_id}.parquet"]


# --- Size limits, encodings, bad JSON located, DuckDB's refusals in sinorus' words, summaries ----


@pytest.mark.parametrize("as_path", [False, True], ids=["bytes", "path"])
def test_size_limit_is_exact_at_the_byte_for_bytes_and_for_a_path(tmp_path, as_path):
    data = PLUS_CSV.read_bytes()
    source = data
    if as_path:
        source = tmp_path / "big-synthetic.csv"
        source.write_bytes(data)
    over = read(source, "big-synthetic.csv", max_bytes=len(data) - 1, workdir=tmp_path / "w", limit_setting="the test's limit")  # fmt: skip
    assert not over.ok and over.size == len(data)
    message = over.problems[0].message
    assert f"{len(data) - 1:,} bytes" in message and "MB" in message and "the test's limit" in message  # fmt: skip
    at = read(source, "big-synthetic.csv", max_bytes=len(data), workdir=tmp_path / "w")
    assert at.ok and at.problems == [] and at.kept > 0
    # without max_bytes a path (`sinorus import`) has no limit but the disk
    assert read(source, "big-synthetic.csv", workdir=tmp_path / "w").ok


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
    # then DuckDB's reason, in its words
    assert problem.message.startswith("cannot be read as CSV: ")
    assert problem.message.endswith(" (the file may be truncated)")


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


# --- An observation table: each bad cell at its row and field ------------------------------------


OBS_HEADER, OBS_GOOD, OBS_SECOND = OBS.read_text(encoding="utf-8").splitlines()[:3]


def row(**cells) -> str:
    out = (
        dict(zip(OBS_HEADER.split(","), OBS_GOOD.split(","), strict=True))
        | {"id": "syn-bad"}
        | cells
    )
    return ",".join(out.values())


OBS_CELLS = [  # (the bad row's cells, where its one problem is (field) and a key phrase of it)
    (dict(indicator=""), "indicator", "is empty"),
    (dict(id=""), "id", "is empty"),
    (dict(id="syn-2008"), "id", "repeats row 2"),
    (dict(id="syn 2008 x"), None, None),  # an id with spaces is fine
    (dict(year="20x8"), "year", "is not a year"),
    (dict(year="1700"), "year", "is out of range"),
    (dict(value=""), "value", "is empty"),
    (dict(value="abc"), "value", "is not a number"),
    (dict(value="-1.5"), "value", "is negative"),
    (dict(unit="percent"), "unit", "cannot be used"),
    (dict(qualifier="roughly"), "qualifier", "is not allowed"),
]


def obs_cells_csv(cells) -> bytes:
    return f"{OBS_HEADER}\n{OBS_GOOD}\n{row(**cells)}\n".encode()


@pytest.mark.parametrize("cells, field, phrase", OBS_CELLS, ids=[str(c[0]) for c in OBS_CELLS])
def test_each_bad_observation_cell_is_a_problem_at_its_row_and_field(cells, field, phrase):
    """The whole lines are in tests/golden/problems/observation-cells.txt."""
    result = read(obs_cells_csv(cells), "obs-synthetic.csv")
    if field is None:
        assert result.ok and result.kept == 2
        return
    assert not result.ok and result.problem_count == 1
    assert_located(result.problems, [("obs-synthetic.csv", 3, field, phrase)])


def test_a_repeated_id_names_the_row_it_first_appeared_on():
    spaced = row(id="syn 2008 x")
    data = f"{OBS_HEADER}\n{OBS_SECOND}\n{spaced}\n{row()}\n{spaced}\n".encode()
    result = read(data, "obs-synthetic.csv")
    assert_located(result.problems, [("obs-synthetic.csv", 5, "id", "'syn 2008 x' repeats row 3")])


# --- An observation table: every column of the kept rows, scope reasons, the source row ----------


HEADER = ["id", "indicator", "year", "year_start", "value", "unit", "qualifier", "reported_as",
          "year_basis", "year_note", "flag", "flag_note", "source_id", "quote", "review"]  # fmt: skip
BASE = {"indicator": "trade_total", "year": "2008", "value": "56.8", "unit": "USD bn", "qualifier": "about", "year_basis": "stated"}  # fmt: skip
F = "obs-synthetic.csv"


def obs(*rows: dict) -> bytes:
    return table(HEADER, [[{**BASE, "id": f"r{i}", **r}.get(c, "") for c in HEADER] for i, r in enumerate(rows)])  # fmt: skip


ROWS = [
    {},
    {"year": "2010", "value": "0.5", "qualifier": "exact", "reported_as": "$0.5 bn", "source_id": "news",
     "quote": "SYNTHETIC: half a billion.", "year_basis": "derived", "year_note": "last year", "flag": "doubtful",
     "flag_note": "a round figure", "review": "done"},
    {"year": "2011", "value": "1,234.5", "qualifier": "at_least"},
]  # fmt: skip
SKIPS = [
    ({"review": "Pending", "indicator": "trade_china_exports"}, "review pending (a candidate from sinorus extract, not yet checked)"),
    ({"indicator": "trade_china_exports"}, "indicator trade_china_exports: a direction without its reporting country"),
    ({"indicator": "trade_china_imports", "year_start": "2000"}, "indicator trade_china_imports: a direction without its reporting country"),
    ({"indicator": "share_of_china_total_trade", "unit": "percent"}, "indicator share_of_china_total_trade: not a trade value"),
    ({"year_start": "2000"}, "cumulative total over several years (year_start set)"),
]  # fmt: skip


def test_an_observation_table_keeps_every_column_of_its_totals_exactly(work):
    data = obs(*ROWS, *(cells for cells, _ in SKIPS))
    result = read(data, F, today=date(2026, 1, 2), workdir=work)
    assert (result.ok, result.format, result.read, result.kept) == (True, "observations_csv", 8, 3)
    fam, sid = "table-" + digest(data).removeprefix("sha256:")[:12], source_id(data)
    expected = flows_frame([
        (fam, sid, 2, 2008, "", "", "total", "", "", "TOTAL", "", 56.8 * 1e9, "about", ""),
        (fam, sid, 3, 2010, "", "", "total", "", "", "TOTAL", "", 0.5 * 1e9, "exact",
         "as written: $0.5 bn; original source: news; original quote: “SYNTHETIC: half a billion.”; "
         "year derived: last year; flag doubtful: a round figure"),
        (fam, sid, 4, 2011, "", "", "total", "", "", "TOTAL", "", 1234.5 * 1e9, "at_least", ""),
    ])  # fmt: skip
    pd.testing.assert_frame_equal(result.rows, expected)
    reasons = {}
    for _, reason in SKIPS:
        reasons[reason] = reasons.get(reason, 0) + 1
    assert dict(result.skipped) == reasons
    assert result.source["title"] == f"Observation table import: {F}"
    assert {k: result.source[k] for k in ("authors", "publisher", "url", "license")} == {
        "authors": "unknown (uploaded file)",
        "publisher": "uploaded file",
        "url": "",
        "license": "unknown (uploaded by the user)",
    }
    assert result.source["note"] == f"Imported 2026-01-02 from {F} (sinorus observation table (CSV)). Rows cite their row in the file."  # fmt: skip


def test_rows_out_of_scope_are_not_checked_and_ids_repeat_only_among_rows_in_scope(work):
    data = obs({"id": "a"}, {"id": "a", "indicator": "share_of_china_total_trade", "value": "x"}, {"id": "b", "year": "2009"})  # fmt: skip
    result = read(data, F, workdir=work)
    assert (result.ok, result.kept) == (True, 2)
    again = read(obs({"id": "a"}, {"id": "a", "year": "2009"}, {"id": "a", "year": "2010"}), F, workdir=work)  # fmt: skip
    assert [str(p) for p in again.problems] == [
        f"{F}:3: id: 'a' repeats row 2 (expected unique ids)",
        f"{F}:4: id: 'a' repeats row 2 (expected unique ids)",
    ]


# --- An import keeps the package notices; an imported file's licence; every problem counted ------


def test_an_import_keeps_the_package_notices(pkg, tmp_path):
    (pkg / "gdp.csv").unlink()  # a package without GDP loads with a notice
    ds = load(pkg)
    assert ds.notices
    merged = combine(ds, [read(FIX / "comtrade-plus-synthetic.csv")], tmp_path / "work")
    assert merged.notices == ds.notices
    assert merged.notices is not ds.notices  # its own list: adding to one leaves the other


def test_an_imported_comtrade_file_states_whose_terms_apply():
    row = common.source_row("x.csv", "comtrade_plus_csv", "ab" * 32, date(2026, 1, 2))
    assert row["license"] == "UN Comtrade terms of use (as downloaded by the user); not checked by sinorus"  # fmt: skip
    other = common.source_row("x.csv", "observations_csv", "ab" * 32, date(2026, 1, 2))
    assert other["license"] == "unknown (uploaded by the user)"


def test_a_rejected_files_error_counts_every_problem_past_the_first_hundred(tmp_path):
    from tests.trade_tables import plus_csv

    path = tmp_path / "bad.csv"
    path.write_bytes(plus_csv(*[{"refYear": "soon"}] * 150))
    result = read(path)
    error = result.error()
    assert (len(error.problems), error.total, result.problem_count) == (100, 150, 150)


# --- sinorus import in-process: its lines, its folder, its errors --------------------------------


def sinorus(capsys, *argv):
    code = main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_import_prints_each_files_summary_then_what_it_wrote(capsys, tmp_path):
    code, out, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")
    assert code == 0 and err == ""  # not a terminal: no progress lines
    lines = out.splitlines()
    assert lines[0].startswith(
        "comtrade-plus-synthetic.csv: UN Comtrade+ CSV (API v1 layout), 32 data row(s) read"
    )
    assert "  skipped 1: other country pair (CHN–USA)" in lines
    assert lines[-1] == (
        f"wrote {tmp_path / 'pkg'}: valid data package; 26 imported row(s) from 1 file(s) "
        "(26 trade_flows rows, 6 sources)"
    )


def test_on_a_terminal_each_file_says_when_it_starts_and_how_long_it_took(capsys, monkeypatch, tmp_path):  # fmt: skip
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")
    assert code == 0
    reading, took = err.splitlines()
    assert reading == f"reading {PLUS_CSV} …"
    seconds = re.fullmatch(r"  32 row\(s\) in (\d+\.\d) s", took)
    assert seconds and 0 <= float(seconds.group(1)) < 60


def test_files_are_read_in_a_hidden_folder_beside_the_package(capsys, monkeypatch, tmp_path):
    seen = []
    real = command.read
    monkeypatch.setattr(command, "read", lambda path, workdir: seen.append(Path(workdir)) or real(path, workdir=workdir))  # fmt: skip
    assert sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")[0] == 0
    [work] = seen
    assert work.parent == tmp_path and work.name.startswith(".sinorus-import-")
    assert not work.exists()


def test_a_missing_parent_is_one_line_and_exit_1(capsys, tmp_path):
    into = tmp_path / "nope" / "pkg"
    assert sinorus(capsys, PLUS_CSV, "--into", into) == (
        1, "", f"error: {into}: its parent {into.parent} does not exist (create it first)\n"
    )  # fmt: skip


def test_a_rejected_file_writes_nothing_and_says_so(capsys, tmp_path):
    code, out, err = sinorus(capsys, PLUS_CSV, BROKEN, "--into", tmp_path / "pkg")
    assert code == 1 and list(tmp_path.iterdir()) == []  # no package, no leftover folder
    assert "  comtrade-plus-synthetic-broken.csv:4: flowCode: 'Z' is not a UN Comtrade flow code" in out  # fmt: skip
    assert err == f"error: 1 file(s) rejected; nothing written to {tmp_path / 'pkg'}\n"


def test_a_package_that_cannot_be_written_lists_why(capsys, tmp_path):
    into = tmp_path / "pkg"
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", into, "--data", tmp_path)
    assert code == 1 and not into.exists()
    assert err == (
        f"error: cannot write {into} from {tmp_path}; nothing written:\n"
        "  datapackage.json: file not found (expected the package descriptor)\n"
    )
    (tmp_path / "taken").write_text("x")
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "taken")
    assert code == 1 and err.startswith(f"error: cannot write {tmp_path / 'taken'} from ")
    assert err.endswith(f"  {tmp_path / 'taken'}: already exists and is not empty (expected a new directory, or an empty one)\n")  # fmt: skip


@pytest.mark.parametrize("error, said", [(OSError(28, "No space left on device"), "No space left on device"),
                                         (OSError("disk gone"), "disk gone"),  # no strerror: its text
                                         (PermissionError("SYNTHETIC: read-only"), "SYNTHETIC: read-only")])  # fmt: skip
def test_a_disk_error_is_one_line(capsys, monkeypatch, tmp_path, error, said):
    def fail(*_a, **_k):
        raise error

    monkeypatch.setattr(command, "write_package", fail)
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")
    assert code == 1
    assert err == f"error: {tmp_path / 'pkg'}: {said}; nothing written (check the path and free space)\n"  # fmt: skip


def test_the_help_says_what_import_does_and_names_its_arguments(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    top = " ".join(capsys.readouterr().out.split())
    assert (
        "import read UN Comtrade (CSV/JSON, new or legacy) or observation CSV files into a new "
        "data package; prints what was kept, skipped and why" in top
    )
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("FILE [FILE ...]", "FILE files to import", "--into DIR new package directory to write"):  # fmt: skip
        assert words in text, words


# --- sinorus import of several files -------------------------------------------------------------


def test_an_import_of_two_files_prints_both_summaries_in_order_then_the_total(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(plus_csv({}, {"flowCode": "M"}))
    b.write_bytes(plus_csv({"refYear": "2021"}, {"freqCode": "M"}))
    into = tmp_path / "pkg"
    code, out, err = sinorus(capsys, a, b, "--into", into)
    assert (code, err) == (0, "")
    assert (
        out.splitlines()
        == [
            "a.csv: UN Comtrade+ CSV (API v1 layout), 2 data row(s) read",
            f"  kept 2 row(s) as source '{source_id(a.read_bytes())}'",
            "b.csv: UN Comtrade+ CSV (API v1 layout), 2 data row(s) read",
            f"  kept 1 row(s) as source '{source_id(b.read_bytes())}'",
            "  skipped 1: monthly or quarterly figures: only annual figures are used",
            f"wrote {into}: valid data package; 3 imported row(s) from 2 file(s) (3 trade_flows rows, 7 sources)",  # fmt: skip
        ]
    )


def test_every_rejected_file_is_counted_and_nothing_written(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(plus_csv({"refYear": "x"}))
    b.write_bytes(b"")
    code, out, err = sinorus(capsys, a, b, "--into", tmp_path / "pkg")
    assert code == 1 and err == f"error: 2 file(s) rejected; nothing written to {tmp_path / 'pkg'}\n"  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_an_import_starts_from_the_package_given(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(plus_csv({}))
    b.write_bytes(plus_csv({"refYear": "2021"}))
    assert sinorus(capsys, a, "--into", tmp_path / "one")[0] == 0
    code, out, _ = sinorus(capsys, b, "--into", tmp_path / "two", "--data", tmp_path / "one")
    assert code == 0
    assert out.splitlines()[-1] == f"wrote {tmp_path / 'two'}: valid data package; 1 imported row(s) from 1 file(s) (2 trade_flows rows, 7 sources)"  # fmt: skip


def test_into_is_required(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["import", str(tmp_path / "a.csv")])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith("--into")  # argparse's words
