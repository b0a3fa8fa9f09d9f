"""Importing trade tables: each format, detection, scope rules, mirror flows, bad cells, limits,
the in-memory merge and the `sinorus import` command. Fixtures are SYNTHETIC (tests/fixtures)."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sinorus.importers import MAX_UPLOAD_BYTES, load_upload, merge, read, write_package
from sinorus.load import DataError, load, validate

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


def test_csv_and_json_give_the_same_rows():
    a, b = read(PLUS_CSV), read(PLUS_JSON)
    cols = ["year", "reporter", "reported_flow", "flow", "commodity_code", "value_usd"]
    assert a.rows[cols].equals(b.rows[cols])
    assert a.skipped == b.skipped


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
    assert "original source: synthetic-news" in rows.loc[2008, "note"]
    assert sum(result.skipped.values()) == 3


def test_source_row_records_dataset_file_checksum_and_date():
    result = read(PLUS_CSV, today=TODAY)
    src = result.source
    assert src["kind"] == "dataset"
    assert src["title"] == "UN Comtrade import: comtrade-plus-synthetic.csv"
    assert src["path"] == "comtrade-plus-synthetic.csv"
    import hashlib

    assert src["checksum"] == "sha256:" + hashlib.sha256(PLUS_CSV.read_bytes()).hexdigest()
    assert src["imported"] == "2026-01-02"
    row = value(result, 2020, "RUS", "M")
    assert row.quote == "comtrade-plus-synthetic.csv row 20 (reporter RUS, flow M, cmd TOTAL)"
    assert result.label == "uploaded: comtrade-plus-synthetic.csv"


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


def test_bad_cells_reject_the_file_with_every_problem_located():
    result = read(BROKEN)
    assert not result.ok and result.rows.empty
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


def test_ragged_row_and_bad_boolean():
    lines = PLUS_CSV.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    assert lines[6].endswith(",True,True")  # row 7: a TOTAL row
    lines[6] = lines[6][: -len("True")] + "maybe"
    result = read("\n".join(lines).encode(), "ragged-synthetic.csv")
    found = {(p.row, p.field) for p in result.problems}
    assert (3, None) in found and (7, "isAggregate") in found


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


@pytest.mark.parametrize(
    "data, expect",
    [
        (b"", "file is empty"),
        (b'{"data": [', "not valid JSON"),
        (b'{"foo": 1}', "no list of records"),
        (b'{"data": [{"a": 1}]}', "not UN Comtrade+ records"),
        (b'{"data": [], "error": "quota exceeded"}', "API error response"),
        (b"\xff\xfenot utf16 really\xff", None),
        (b"typeCode,freqCode\n\xff\n", "not UTF-8"),
    ],
)
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
    assert a.rows.drop(columns=["id", "source_id", "quote"]).equals(
        b.rows.drop(columns=["id", "source_id", "quote"])
    )


def test_semicolon_separated_csv_is_read():
    import csv
    import io

    rows = list(csv.reader(io.StringIO(PLUS_CSV.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    result = read(out.getvalue().encode(), "semicolon-synthetic.csv")
    assert result.ok and result.kept == 26


def test_size_limit(tmp_path):
    result = read(b"x" * 11, "big-synthetic.csv", max_bytes=10)
    assert not result.ok and "expected at most" in result.problems[0].message
    assert MAX_UPLOAD_BYTES == 50 * 1024 * 1024
    big = tmp_path / "big-synthetic.csv"
    big.write_bytes(b"x" * 11)
    assert "MB" in read(big, max_bytes=10).problems[0].message


def test_conflicting_duplicate_rows_are_a_problem_identical_ones_skipped():
    lines = PLUS_CSV.read_text(encoding="utf-8").splitlines()
    same = read("\n".join(lines + [lines[1]]).encode(), "dup-synthetic.csv")
    assert same.ok and same.skipped["duplicate row (same year, reporter, flow, commodity, value)"] == 1  # fmt: skip
    changed = lines[1].replace("50000000000.0", "51000000000.0")
    assert changed != lines[1]
    conflict = read("\n".join(lines + [changed]).encode(), "dup-synthetic.csv")
    assert not conflict.ok and "conflicts with row 2" in conflict.problems[0].message


# --- merge ----------------------------------------------------------------------------------------


def test_merge_returns_a_new_validated_dataset_and_leaves_the_input_alone(ds):
    sources_before = ds.sources.copy()
    flows_before = ds.trade_flows.copy()
    merged, result = load_upload(ds, PLUS_CSV.read_bytes(), "comtrade-plus-synthetic.csv")
    assert merged is not ds
    assert len(merged.trade_flows) == 26 and len(merged.sources) == len(ds.sources) + 1
    assert ds.sources.equals(sources_before) and ds.trade_flows.equals(flows_before)
    assert merged.observations is ds.observations  # the documents' figures untouched
    assert str(merged.trade_flows["year"].dtype) == "Int64"
    assert merged.sources.set_index("id").loc[result.source_id, "kind"] == "dataset"


def test_merge_rejects_a_broken_file_and_a_repeat(ds):
    with pytest.raises(DataError) as info:
        merge(ds, read(BROKEN))
    assert "comtrade-plus-synthetic-broken.csv:3: primaryValue" in str(info.value)
    once = merge(ds, read(PLUS_CSV))
    with pytest.raises(DataError, match="already imported"):
        merge(once, read(PLUS_CSV))


def test_merge_runs_the_loader_checks(ds):
    result = read(PLUS_CSV)
    result.rows.loc[0, "flow"] = "china_imports"  # contradicts reporter CHN flow X
    with pytest.raises(DataError, match="does not match reporter CHN flow X"):
        merge(ds, result)


def test_two_sessions_merge_independently(ds):
    a = merge(ds, read(PLUS_CSV))
    b = merge(ds, read(LEGACY))
    assert set(a.trade_flows.year) == {2020, 2021}
    assert set(b.trade_flows.year) == {2005}
    assert ds.trade_flows.empty


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
    assert pkg.sources.kind.tolist().count("dataset") == 2 + 3
    # the original rows are byte-for-byte the same; new ones appended
    orig = (Path(__file__).resolve().parent.parent / "data" / "sources.csv").read_bytes()
    assert (out / "sources.csv").read_bytes().startswith(orig)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert "trade_flows" in {r["name"] for r in descriptor["resources"]}


def test_cli_import_rejects_and_writes_nothing(tmp_path):
    out = tmp_path / "pkg"
    result = run("import", str(PLUS_CSV), str(BROKEN), "--into", str(out))
    assert result.returncode == 1
    assert "comtrade-plus-synthetic-broken.csv:4: flowCode" in result.stdout
    assert "nothing written" in result.stderr
    assert not out.exists()


def test_write_package_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "x").write_text("x")
    with pytest.raises(DataError, match="not empty"):
        write_package([read(PLUS_CSV)], tmp_path)


def test_package_without_trade_flows_still_loads(pkg):
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "trade_flows"]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    old = load(pkg)
    assert old.trade_flows is None
    with pytest.raises(DataError, match="no trade_flows table"):
        merge(old, read(PLUS_CSV))


def test_trade_flows_rows_are_checked_by_load(pkg):
    row = "bad-1,2020,CHN,X,china_imports,FOB,H6,TOTAL,,1,exact,voa-2007-08,r1,\n"
    with (pkg / "trade_flows.csv").open("a", encoding="utf-8") as f:
        f.write(row)
    problems = {(p.file, p.row, p.field) for p in validate(pkg)}
    assert ("trade_flows.csv", 2, "flow") in problems
    assert ("trade_flows.csv", 2, "source_id") in problems  # a document cannot source a row


def test_hs_sections_table(ds):
    hs = ds.hs_sections
    assert len(hs) == 97 and hs.chapter.is_unique
    assert set(hs.section) == set(range(1, 22))
    assert hs.set_index("chapter").loc["27", "section_roman"] == "V"
    assert hs.set_index("chapter").loc["85", "section"] == 16
    assert hs.set_index("chapter").loc["97", "section"] == 21
    assert pd.Series(ds.sources.id).isin(["wco-hs"]).any()


@pytest.mark.parametrize(
    "column, bad, expect",
    [
        ("qualifier", "roughly", "'roughly' is not allowed"),
        ("year", 1850, "below the minimum"),
        ("value_usd", -1.0, "below the minimum"),
        ("commodity_code", "", "is empty"),
        ("id", "Not An Id", "does not match the pattern"),
    ],
)
def test_merge_checks_the_schema(ds, column, bad, expect):
    result = read(PLUS_CSV)
    result.rows[column] = result.rows[column].astype(object)
    result.rows.loc[3, column] = bad
    with pytest.raises(DataError) as info:
        merge(ds, result)
    hits = [p for p in info.value.problems if p.field == column and p.row == 5]
    assert hits and expect in hits[0].message, info.value.problems
