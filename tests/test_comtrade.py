"""The UN Comtrade rules (sinorus/importers/comtrade.py): every kept row's
every column, each scope rule's reason and count, each cell rule's exact line, notes, repeats,
the 100-problem cap, for Comtrade+ CSV, legacy CSV and JSON. Inputs are SYNTHETIC, written in
the test; expected values come from the input's own cells."""

import json
from datetime import date

import pandas as pd
import pytest

from sinorus.checks import LIMIT
from sinorus.importers import read
from tests.problem_lines import assert_located
from tests.trade_tables import RUS_CHN, digest, flows_frame, legacy_csv, lines, plus_csv, source_id

TODAY = date(2026, 1, 2)
F = "f-synthetic.csv"


def rd(data, work, name=F):
    return read(data, name, today=TODAY, workdir=work)


# --- Comtrade+ CSV: a good file, every column of every kept row -------------------------------

GOOD_PLUS = [
    {},  # row 2: China's exports, 2020, TOTAL, 100
    {"flowCode": "M", "cmdCode": "27", "primaryValue": "2,500", "cmdDesc": "SYNTHETIC Fuels"},
    {**RUS_CHN, "refYear": "2021", "period": "2021", "cmdCode": "3", "primaryValue": "1.5E+3"},
    {**RUS_CHN, "flowCode": "M", "refYear": "2021", "primaryValue": "", "cifvalue": "700",
     "isReported": "false"},
    {"refYear": "2021", "primaryValue": "", "fobvalue": "800"},
    {"refYear": "", "period": "2022", "primaryValue": "42"},
    {"reporterISO": "", "reporterCode": "156", "flowCode": "m", "refYear": "2022",
     "primaryValue": "0", "classificationCode": "H5"},
]  # fmt: skip
SKIPPED_PLUS = [
    ({"typeCode": "S"}, "services (typeCode not C): only goods are used"),
    ({"freqCode": "M"}, "monthly or quarterly figures: only annual figures are used"),
    ({"freqCode": "q"}, "monthly or quarterly figures: only annual figures are used"),
    ({"partnerCode": "842", "partnerISO": "USA"}, "other country pair (CHN–USA)"),
    ({"partnerCode": "156", "partnerISO": "CHN"}, "other country pair (CHN–CHN)"),
    ({"reporterISO": "", "reporterDesc": "Kazakhstan", "reporterCode": "398"}, "other country pair (Kazakhstan–RUS)"),
    ({"reporterISO": "", "reporterDesc": "", "reporterCode": "398"}, "other country pair (398–RUS)"),
    ({"partner2Code": "4"}, "breakdown by second partner (partner2Code not 0, World)"),
    ({"motCode": "1000"}, "breakdown by mode of transport (motCode not 0, all modes)"),
    ({"customsCode": "C01"}, "breakdown by customs procedure (customsCode not C00, all)"),
    ({"flowCode": "RX"}, "flow RX (re-exports): only imports (M) and exports (X) are used"),
    ({"flowCode": "mip"}, "flow MIP (imports for inward processing): only imports (M) and exports (X) are used"),
    ({"flowCode": "X", "primaryValue": "", "fobvalue": ""}, "missing value (no trade value in the row)"),
    ({}, "duplicate row (same year, reporter, flow, commodity, value)"),  # repeats row 2
]  # fmt: skip


def plus_expected(sid):
    fam, q = "un-comtrade", "exact"
    return flows_frame([
        (fam, sid, 2, 2020, "CHN", "X", "china_exports", "FOB", "H6", "TOTAL", "SYNTHETIC All", 100.0, q, ""),
        (fam, sid, 3, 2020, "CHN", "M", "china_imports", "CIF", "H6", "27", "SYNTHETIC Fuels", 2500.0, q, ""),
        (fam, sid, 4, 2021, "RUS", "X", "china_imports", "FOB", "H6", "03", "SYNTHETIC All", 1500.0, q,
         "commodity code '3' read as '03' (leading zero restored)"),
        (fam, sid, 5, 2021, "RUS", "M", "china_exports", "CIF", "H6", "TOTAL", "SYNTHETIC All", 700.0, q,
         "isReported false: estimated by UN Comtrade, not the reporter; primaryValue empty: cifvalue used"),
        (fam, sid, 6, 2021, "CHN", "X", "china_exports", "FOB", "H6", "TOTAL", "SYNTHETIC All", 800.0, q,
         "primaryValue empty: fobvalue used"),
        (fam, sid, 7, 2022, "CHN", "X", "china_exports", "FOB", "H6", "TOTAL", "SYNTHETIC All", 42.0, q, ""),
        (fam, sid, 8, 2022, "CHN", "M", "china_imports", "CIF", "H5", "TOTAL", "SYNTHETIC All", 0.0, q, ""),
    ])  # fmt: skip


@pytest.fixture(scope="module")
def good_plus(work):
    data = plus_csv(*GOOD_PLUS, *(cells for cells, _ in SKIPPED_PLUS))
    return data, rd(data, work)


def test_a_good_comtrade_plus_csv_keeps_every_column_of_every_row_exactly(good_plus):
    data, result = good_plus
    assert result.ok and result.format == "comtrade_plus_csv"
    assert (result.read, result.kept) == (len(GOOD_PLUS) + len(SKIPPED_PLUS), len(GOOD_PLUS))
    pd.testing.assert_frame_equal(result.rows, plus_expected(source_id(data)))


def test_each_scope_rule_skips_and_counts_with_its_reason(good_plus):
    _, result = good_plus
    expected = {}
    for _, reason in SKIPPED_PLUS:
        expected[reason] = expected.get(reason, 0) + 1
    assert dict(result.skipped) == expected
    assert result.problems == [] and result.problem_count == 0 and result.notes == []


def test_the_summary_of_a_kept_file_lists_skips_by_count_then_reason(good_plus):
    data, result = good_plus
    assert (
        result.summary()
        == [
            f"{F}: UN Comtrade+ CSV (API v1 layout), 21 data row(s) read",
            f"  kept 7 row(s) as source '{source_id(data)}'",
            "  skipped 2: monthly or quarterly figures: only annual figures are used",
            "  skipped 1: breakdown by customs procedure (customsCode not C00, all)",
            "  skipped 1: breakdown by mode of transport (motCode not 0, all modes)",
            "  skipped 1: breakdown by second partner (partner2Code not 0, World)",
            "  skipped 1: duplicate row (same year, reporter, flow, commodity, value)",
            "  skipped 1: flow MIP (imports for inward processing): only imports (M) and exports (X) are used",  # fmt: skip
            "  skipped 1: flow RX (re-exports): only imports (M) and exports (X) are used",
            "  skipped 1: missing value (no trade value in the row)",
            "  skipped 1: other country pair (398–RUS)",
            "  skipped 1: other country pair (CHN–CHN)",
            "  skipped 1: other country pair (CHN–USA)",
            "  skipped 1: other country pair (Kazakhstan–RUS)",
            "  skipped 1: services (typeCode not C): only goods are used",
        ]
    )


def test_the_source_row_of_a_comtrade_file(good_plus):
    data, result = good_plus
    d = digest(data)
    assert result.checksum == d and result.size == len(data)
    assert result.family == "un-comtrade"
    assert (
        result.source
        == {
            "id": source_id(data),
            "kind": "dataset",
            "title": f"UN Comtrade import: {F}",
            "authors": "United Nations Statistics Division",
            "publisher": "United Nations, UN Comtrade database (file as downloaded by the user)",
            "published": "",
            "license": "UN Comtrade terms of use (as downloaded by the user); not checked by sinorus",
            "url": "https://comtradeplus.un.org/",
            "path": F,
            "citation": f"UN Comtrade import: {F} (UN Comtrade+ CSV (API v1 layout)), {d}, imported 2026-01-02 with sinorus.",  # fmt: skip
            "note": f"Imported 2026-01-02 from {F} (UN Comtrade+ CSV (API v1 layout)). Rows cite their row in the file.",  # fmt: skip
            "checksum": d,
            "imported": "2026-01-02",
        }
    )


def test_the_parquet_file_is_named_by_the_source_id_in_the_workdir(good_plus, work):
    data, result = good_plus
    assert result.parquet == str(work / f"{source_id(data)}.parquet")


# --- Comtrade+ CSV: each cell rule, its exact line --------------------------------------------

BAD_PLUS = [  # (cells of row 2, where its problems are: (field, key phrase))
    ({"reporterCode": "", "reporterISO": "", "partnerCode": "", "partnerISO": ""}, [("reporterCode", "is empty")]),
    ({"partnerCode": "", "partnerISO": ""}, [("partnerCode", "is empty")]),
    ({"freqCode": "W"}, [("freqCode", "is not a frequency")]),
    ({"freqCode": ""}, [("freqCode", "is not a frequency")]),
    ({"flowCode": "Z"}, [("flowCode", "is not a UN Comtrade flow code")]),
    ({"refYear": "20x0"}, [("refYear", "is not a year")]),
    ({"refYear": "", "period": ""}, [("refYear", "is not a year")]),
    ({"refYear": "1899"}, [("refYear", "is out of range")]),
    ({"refYear": "2101"}, [("refYear", "is out of range")]),
    ({"cmdCode": ""}, [("cmdCode", "is empty")]),
    ({"primaryValue": "12abc"}, [("primaryValue", "is not a number")]),
    ({"primaryValue": "-2.5e3"}, [("primaryValue", "is negative")]),
    ({"flowCode": "M", "primaryValue": "", "cifvalue": "abc"}, [("cifvalue", "is not a number")]),
    ({"flowCode": "M", "primaryValue": "", "cifvalue": "-1"}, [("cifvalue", "is negative")]),
    ({"primaryValue": "", "fobvalue": "x1"}, [("fobvalue", "is not a number")]),
    ({"primaryValue": "", "fobvalue": "-0.5"}, [("fobvalue", "is negative")]),
    ({"isReported": "maybe"}, [("isReported", "is not true or false")]),
    ({"isAggregate": "2"}, [("isAggregate", "is not true or false")]),
    ({"flowCode": "Z", "refYear": "x", "cmdCode": "", "primaryValue": "-1", "isReported": "?", "isAggregate": "?"}, [("flowCode", "is not a UN Comtrade flow code"), ("refYear", "is not a year"), ("cmdCode", "is empty"), ("primaryValue", "is negative"), ("isReported", "is not true or false"), ("isAggregate", "is not true or false")]),
    ({"flowCode": "Q" * 70}, [("flowCode", "… (70 characters)")]),
]  # fmt: skip


@pytest.mark.parametrize("cells, expected", BAD_PLUS, ids=[str(i) for i in range(len(BAD_PLUS))])
def test_each_bad_cell_is_located_and_the_file_is_rejected(work, cells, expected):
    """Row 2 is bad, row 3 is good: only row 2's problems, in check order, and nothing kept.
    The whole lines are in tests/golden/problems/comtrade-cells.txt."""
    result = rd(plus_csv(cells, {"refYear": "2023", "period": "2023"}), work)
    assert_located(result.problems, [(F, 2, field, phrase) for field, phrase in expected])
    assert (result.ok, result.problem_count, result.read, result.kept) == (False, len(expected), 2, 0)  # fmt: skip
    assert result.parquet is None and result.rows.empty
    assert result.summary()[:2] == [
        f"{F}: UN Comtrade+ CSV (API v1 layout), 2 data row(s) read",
        f"  rejected: {len(expected)} problem(s); nothing from this file is used",
    ]


@pytest.mark.parametrize("cell", ["true", "FALSE", "1", "0", "yes", "No", "t", "F", "y", "n", ""])
def test_every_spelling_of_true_and_false_is_accepted(work, cell):
    result = rd(plus_csv({"isReported": cell, "isAggregate": cell}), work)
    assert result.ok and result.kept == 1
    note = "isReported false: estimated by UN Comtrade, not the reporter"
    expected = note if cell.lower() in ("false", "0", "no", "f", "n") else ""
    assert result.rows["note"].tolist() == [expected]


@pytest.mark.parametrize(
    "year, value",
    [("1900", 1900), ("2100", 2100), ("2021.0", 2021), ("+2021", 2021), ("2021.", 2021)],
)
def test_years_at_the_bounds_and_written_as_decimals_are_kept(work, year, value):
    result = rd(plus_csv({"refYear": year}), work)
    assert result.ok and result.rows["year"].tolist() == [value]


@pytest.mark.parametrize(
    "cell, value",
    [("1,234,567", 1234567.0), ("1,234.5", 1234.5), (".5", 0.5), ("+7", 7.0), ("1e3", 1000.0),
     ("  9  ", 9.0), ("0", 0.0), ("12,34", None), ("1.2.3", None), ("inf", None), ("1e400", None)],
)  # fmt: skip
def test_numbers_as_comtrade_writes_them(work, cell, value):
    result = rd(plus_csv({"primaryValue": cell}), work)
    if value is None:
        assert lines(result) == [f"{F}:2: primaryValue: '{cell.strip()}' is not a number (expected the value in US$)"]  # fmt: skip
    else:
        assert result.ok and result.rows["value_usd"].tolist() == [value]


def test_the_leading_zero_is_restored_only_to_odd_length_numeric_codes(work):
    codes = ["1", "123", "12345", "12", "TOTAL", "1a", "ag2"]
    data = plus_csv(*({"cmdCode": code, "primaryValue": str(i)} for i, code in enumerate(codes)))
    result = rd(data, work)
    got = result.rows.sort_values("row")[["commodity_code", "note"]].values.tolist()
    restored = "commodity code '{}' read as '{}' (leading zero restored)"
    assert got == [
        ["01", restored.format("1", "01")],
        ["0123", restored.format("123", "0123")],
        ["012345", restored.format("12345", "012345")],
        ["12", ""],
        ["TOTAL", ""],
        ["1A", ""],
        ["AG2", ""],
    ]


def test_countries_are_read_from_iso_or_code_either_way_round(work):
    rows = [
        {"reporterISO": "", "reporterCode": "CHN", "partnerISO": "", "partnerCode": "RUS"},
        {
            "reporterISO": "156",
            "reporterCode": "",
            "partnerISO": "643",
            "partnerCode": "",
            "refYear": "2021",
        },  # fmt: skip
        {
            "reporterISO": "rus",
            "reporterCode": "",
            "partnerISO": "chn",
            "partnerCode": "",
            "refYear": "2022",
        },  # fmt: skip
        {
            "reporterISO": "",
            "reporterCode": "643",
            "partnerISO": "",
            "partnerCode": "156",
            "refYear": "2023",
        },  # fmt: skip
    ]
    result = rd(plus_csv(*rows), work)
    got = result.rows.sort_values("row")[["row", "reporter", "flow"]].values.tolist()
    assert got == [
        [2, "CHN", "china_exports"],
        [3, "CHN", "china_exports"],
        [4, "RUS", "china_imports"],
        [5, "RUS", "china_imports"],
    ]


def test_a_repeated_key_with_another_value_is_a_problem_naming_the_first_row(work):
    data = plus_csv({}, {"primaryValue": "100"}, {"primaryValue": "250.5"}, {"flowCode": "M"},
                    {"primaryValue": "7"})  # fmt: skip
    result = rd(data, work)
    said = "conflicts with row 2 (100) for the same year, reporter, flow and commodity"
    assert_located(result.problems, [(F, 4, "primaryValue", f"250.5 {said}"), (F, 6, "primaryValue", f"7 {said}")])  # fmt: skip
    assert result.problem_count == 2 and not result.ok
    assert result.skipped == {"duplicate row (same year, reporter, flow, commodity, value)": 1}


def test_repeats_count_only_rows_in_scope_with_a_value(work):
    data = plus_csv({}, {"primaryValue": "", "fobvalue": ""}, {"freqCode": "M", "primaryValue": "5"})  # fmt: skip
    result = rd(data, work)
    assert result.ok and result.kept == 1
    assert dict(result.skipped) == {
        "missing value (no trade value in the row)": 1,
        "monthly or quarterly figures: only annual figures are used": 1,
    }


def plus_years(n, **cells):
    return plus_csv(*({"refYear": "x", **cells} for _ in range(n)))


@pytest.mark.parametrize("n", [LIMIT, LIMIT + 1, LIMIT + 7])
def test_the_first_hundred_problems_are_kept_and_the_rest_counted(work, n):
    result = rd(plus_years(n), work)
    assert_located(result.problems, [(F, row, "refYear", "is not a year") for row in range(2, LIMIT + 2)])  # fmt: skip
    assert result.problem_count == n
    summary = result.summary()
    assert summary[1] == f"  rejected: {n} problem(s); nothing from this file is used"
    assert summary[2 : 2 + LIMIT] == [f"  {p}" for p in result.problems]
    more = [f"  … and {n - LIMIT} more problem(s)"] if n > LIMIT else []
    assert summary[2 + LIMIT :] == more


def test_two_problems_a_row_are_kept_in_row_then_rule_order_up_to_the_limit(work):
    result = rd(plus_years(60, cmdCode=""), work)
    year, cmd = ("refYear", "is not a year"), ("cmdCode", "is empty")
    expected = [(F, row, *what) for row in range(2, 62) for what in (year, cmd)]
    assert_located(result.problems, expected[:LIMIT])
    assert result.problem_count == 120


def test_more_than_a_hundred_conflicting_repeats_are_counted(work):
    data = plus_csv(*({"primaryValue": str(v)} for v in range(1, LIMIT + 3)))
    result = rd(data, work)
    assert result.problem_count == LIMIT + 1
    assert_located(result.problems[:1], [(F, 3, "primaryValue", "2 conflicts with row 2 (1)")])
    assert lines(result)[-1].startswith(f"{F}:{LIMIT + 2}: primaryValue: {LIMIT + 1} conflicts with row 2 (1)")  # fmt: skip
    assert len(result.problems) == LIMIT


def test_a_file_with_rows_but_none_in_scope_is_kept_with_a_note(work):
    result = rd(plus_csv({"freqCode": "M"}), work)
    assert result.ok and result.kept == 0 and result.parquet is None
    assert result.notes == ["no row is China–Russia trade in scope: nothing to show"]
    assert result.summary()[-1] == "  note: no row is China–Russia trade in scope: nothing to show"


def test_a_header_only_file_has_no_data_rows(work):
    result = rd(plus_csv(), work)
    assert lines(result) == [f"{F}: no data rows (expected at least one row after the header)"]
    assert result.format == "comtrade_plus_csv" and result.read == 0


# --- legacy CSV ----------------------------------------------------------------------------------


def test_a_good_legacy_csv_keeps_every_column_of_every_row_exactly(work):
    rows = [
        {},
        {"Trade Flow Code": "2", "Commodity Code": "3", "Trade Value (US$)": "4,000", "Flag": "2"},
        {"Reporter Code": "643", "Reporter ISO": "RUS", "Partner Code": "156", "Partner ISO": "CHN",
         "Trade Flow Code": "1", "Year": "2006", "Period": "2006", "Classification": "H2"},
        {"Period": "200501"},
        {"Trade Flow Code": "3"},
        {"Trade Flow Code": "4"},
        {"Trade Value (US$)": ""},
        {"Flag": ""},
    ]  # fmt: skip
    data = legacy_csv(*rows)
    result = read(data, "legacy-synthetic.csv", today=TODAY, workdir=work)
    assert result.ok and result.format == "comtrade_legacy_csv"
    assert (result.read, result.kept, result.notes) == (8, 3, [])
    sid, fam = source_id(data), "un-comtrade"
    expected = flows_frame([
        (fam, sid, 2, 2005, "CHN", "M", "china_imports", "CIF", "H5", "TOTAL", "SYNTHETIC All", 123.0, "exact", ""),
        (fam, sid, 3, 2005, "CHN", "X", "china_exports", "FOB", "H5", "03", "SYNTHETIC All", 4000.0, "exact",
         "commodity code '3' read as '03' (leading zero restored); Comtrade flag 2 (a quantity or weight was estimated)"),
        (fam, sid, 4, 2006, "RUS", "M", "china_exports", "CIF", "H2", "TOTAL", "SYNTHETIC All", 123.0, "exact", ""),
    ])  # fmt: skip
    pd.testing.assert_frame_equal(result.rows, expected)
    assert dict(result.skipped) == {
        "monthly figures (Period YYYYMM): only annual figures are used": 1,
        "flow RX (re-exports): only imports (M) and exports (X) are used": 1,
        "flow RM (re-imports): only imports (M) and exports (X) are used": 1,
        "missing value (no trade value in the row)": 1,
        "duplicate row (same year, reporter, flow, commodity, value)": 1,
    }
    assert result.source["title"] == "UN Comtrade import: legacy-synthetic.csv"
    assert result.source["citation"].startswith("UN Comtrade import: legacy-synthetic.csv (legacy UN Comtrade CSV), sha256:")  # fmt: skip


def legacy_bad_cells() -> bytes:
    return legacy_csv(
        {"Trade Flow Code": "9"},
        {"Year": "19x"},
        {"Trade Value (US$)": "-3"},
        {"Commodity Code": ""},
        {"Trade Value (US$)": "abc"},
        {"Reporter Code": "", "Reporter ISO": ""},
        {"Year": "2006", "Period": "2006"},
        {"Year": "2006", "Period": "2006", "Trade Value (US$)": "5"},
    )


def test_legacy_cell_rules_name_the_legacy_columns(work):
    """The whole lines are in tests/golden/problems/comtrade-files.txt."""
    result = read(legacy_bad_cells(), "legacy-synthetic.csv", workdir=work)
    f = "legacy-synthetic.csv"
    assert_located(result.problems, [
        (f, 2, "Trade Flow Code", "is not a UN Comtrade flow code"),
        (f, 3, "Year", "is not a year"),
        (f, 4, "Trade Value (US$)", "is negative"),
        (f, 5, "Commodity Code", "is empty"),
        (f, 6, "Trade Value (US$)", "is not a number"),
        (f, 7, "Reporter Code", "is empty"),
        (f, 9, "Trade Value (US$)", "5 conflicts with row 8 (123)"),
    ])  # fmt: skip


# --- Comtrade+ JSON ------------------------------------------------------------------------------


def test_a_good_json_file_keeps_every_column_and_counts_records(work):
    records = [
        {"typeCode": "C", "freqCode": "A", "refYear": 2020, "reporterCode": 156, "reporterISO": "CHN",
         "partnerCode": 643, "partnerISO": "RUS", "flowCode": "X", "cmdCode": "TOTAL",
         "cmdDesc": "SYNTHETIC All", "primaryValue": 1.5e10, "classificationCode": "H6",
         "isReported": True, "isAggregate": False, "partner2Code": 0, "motCode": 0, "customsCode": "C00"},
        {"FREQCODE": "A", "refyear": 2020.0, "ReporterCode": 643, "partnerCode": 156, "flowCode": "M",
         "cmdCode": "27", "primaryValue": None, "cifvalue": 12.25, "isReported": False},
        {"freqCode": "M", "refYear": 2020, "reporterCode": 156, "partnerCode": 643, "flowCode": "X",
         "cmdCode": "TOTAL", "primaryValue": 5},
    ]  # fmt: skip
    data = json.dumps({"elapsedTime": "0 secs", "count": 3, "data": records, "error": ""}).encode()
    result = read(data, "api-synthetic.json", today=TODAY, workdir=work)
    assert result.ok and result.format == "comtrade_plus_json"
    assert (result.read, result.kept) == (3, 2)
    assert dict(result.skipped) == {"monthly or quarterly figures: only annual figures are used": 1}
    sid, fam = source_id(data), "un-comtrade"
    expected = flows_frame([
        (fam, sid, 1, 2020, "CHN", "X", "china_exports", "FOB", "H6", "TOTAL", "SYNTHETIC All", 1.5e10, "exact", ""),
        (fam, sid, 2, 2020, "RUS", "M", "china_exports", "CIF", "", "27", "", 12.25, "exact",
         "isReported false: estimated by UN Comtrade, not the reporter; primaryValue empty: cifvalue used"),
    ])  # fmt: skip
    pd.testing.assert_frame_equal(result.rows, expected)
    assert result.summary()[0] == 'api-synthetic.json: UN Comtrade+ JSON (API v1, {"data": [...]}), 3 data row(s) read'  # fmt: skip


def json_conflict() -> bytes:
    rec = {"freqCode": "A", "refYear": 2020, "reporterCode": 156, "partnerCode": 643,
           "flowCode": "X", "cmdCode": "TOTAL", "primaryValue": 1}  # fmt: skip
    return json.dumps({"data": [rec, {**rec, "primaryValue": 2}, "text"]}).encode()


def test_json_conflicts_name_the_record_not_the_row(work):
    """The whole lines are in tests/golden/problems/comtrade-files.txt."""
    result = read(json_conflict(), "api-synthetic.json", workdir=work)
    f = "api-synthetic.json"
    assert_located(result.problems, [(f, 3, None, "expected an object"),
                                     (f, 2, "primaryValue", "2 conflicts with record 1 (1)")])  # fmt: skip
    assert result.read == 3 and result.problem_count == 2


SCOPE_ORDER = [  # a row out of scope for two reasons: the first rule's reason
    ({"typeCode": "S", "freqCode": "M"}, "services (typeCode not C): only goods are used"),
    ({"freqCode": "M", "partnerCode": "842", "partnerISO": "USA"}, "monthly or quarterly figures: only annual figures are used"),
    ({"partnerCode": "842", "partnerISO": "usa", "partner2Code": "4"}, "other country pair (CHN–USA)"),
    ({"partner2Code": "4", "motCode": "1"}, "breakdown by second partner (partner2Code not 0, World)"),
    ({"motCode": "1", "customsCode": "C01"}, "breakdown by mode of transport (motCode not 0, all modes)"),
    ({"customsCode": "c01", "flowCode": "RX"}, "breakdown by customs procedure (customsCode not C00, all)"),
    ({"customsCode": "c00", "flowCode": "xg"}, "flow XG (exports of goods sent for processing): only imports (M) and exports (X) are used"),
    ({"partnerISO": "", "partnerDesc": "Germany", "partnerCode": "276"}, "other country pair (CHN–Germany)"),
    ({"partnerISO": "", "partnerDesc": "", "partnerCode": "276"}, "other country pair (CHN–276)"),
    ({"partnerISO": "643", "partnerCode": ""}, None),  # an ISO column holding the code
    ({"typeCode": "", "freqCode": "a", "partner2Code": "", "motCode": "", "customsCode": ""}, None),
]  # fmt: skip


@pytest.mark.parametrize(
    "cells, reason", SCOPE_ORDER, ids=[str(i) for i in range(len(SCOPE_ORDER))]
)
def test_the_scope_rules_apply_in_order(work, cells, reason):
    result = rd(plus_csv(cells), work)
    assert result.ok and result.problems == []
    assert (dict(result.skipped), result.kept) == (({reason: 1}, 0) if reason else ({}, 1))


def test_bad_cells_of_rows_out_of_scope_are_not_problems(work):
    result = rd(plus_csv({"freqCode": "M", "refYear": "x", "primaryValue": "-1", "isReported": "?"}), work)  # fmt: skip
    assert (result.ok, dict(result.skipped)) == (True, {"monthly or quarterly figures: only annual figures are used": 1})  # fmt: skip


@pytest.mark.parametrize(
    "cells, skipped, value",
    [({"flowCode": "X", "primaryValue": "", "cifvalue": "5", "fobvalue": ""}, "missing value (no trade value in the row)", None),
     ({"flowCode": "M", "primaryValue": "", "cifvalue": "", "fobvalue": "9"}, "missing value (no trade value in the row)", None),
     ({"flowCode": "M", "primaryValue": "3", "cifvalue": "bad", "fobvalue": "-1"}, None, 3.0),
     ({"flowCode": "X", "primaryValue": "", "cifvalue": "-1", "fobvalue": "9"}, None, 9.0)],
)  # fmt: skip
def test_only_the_value_column_in_use_is_read_and_checked(work, cells, skipped, value):
    result = rd(plus_csv(cells), work)
    assert result.ok
    assert dict(result.skipped) == ({skipped: 1} if skipped else {})
    assert result.rows["value_usd"].tolist() == ([value] if value is not None else [])


def test_a_code_with_and_without_its_leading_zero_is_one_commodity(work):
    result = rd(plus_csv({"cmdCode": "3"}, {"cmdCode": "03"}, {"cmdCode": "3", "primaryValue": "7"}), work)  # fmt: skip
    assert_located(result.problems, [(F, 4, "primaryValue", "7 conflicts with row 2 (100)")])
    assert dict(result.skipped) == {
        "duplicate row (same year, reporter, flow, commodity, value)": 1
    }


def test_legacy_rows_have_no_type_frequency_or_breakdown_rules(work):
    from tests.trade_tables import LEGACY_BASE

    assert not {"typeCode", "freqCode", "partner2Code", "motCode", "customsCode"} & set(LEGACY_BASE)
    data = legacy_csv({"Period": "200513"}, {"Period": "2005", "Partner Code": "842", "Partner ISO": "USA", "Year": "2006"})  # fmt: skip
    result = read(data, "legacy-synthetic.csv", workdir=work)
    # '200513' is six digits: a month to the rule, whatever the month
    assert dict(result.skipped) == {
        "monthly figures (Period YYYYMM): only annual figures are used": 1,
        "other country pair (CHN–USA)": 1,
    }
