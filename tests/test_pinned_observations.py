"""Pinned behaviour of importing an observation table (sinorus/importers/observations.py): every
column of the kept rows (value in US$, the note built from the row's own cells), each scope
reason in order, and the source row. Inputs are SYNTHETIC, written in the test."""

from datetime import date

import pandas as pd
import pytest

from sinorus.importers import read
from tests.pinned_inputs import digest, flows_frame, source_id, table

HEADER = ["id", "indicator", "year", "year_start", "value", "unit", "qualifier", "reported_as",
          "year_basis", "year_note", "flag", "flag_note", "source_id", "quote", "review"]  # fmt: skip
BASE = {"indicator": "trade_total", "year": "2008", "value": "56.8", "unit": "USD bn", "qualifier": "about", "year_basis": "stated"}  # fmt: skip
F = "obs-synthetic.csv"


def obs(*rows: dict) -> bytes:
    return table(HEADER, [[{**BASE, "id": f"r{i}", **r}.get(c, "") for c in HEADER] for i, r in enumerate(rows)])  # fmt: skip


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


ROWS = [
    {},
    {"year": "2010", "value": "0.5", "qualifier": "exact", "reported_as": "$0.5 bn", "source_id": "news",
     "quote": "SYNTHETIC: half a billion.", "year_basis": "derived", "year_note": "last year", "flag": "doubtful",
     "flag_note": "a round figure", "review": "done"},
    {"year": "2011", "value": "1,234.5", "qualifier": "at_least"},
]  # fmt: skip
SKIPS = [
    (
        {"review": "Pending", "indicator": "trade_china_exports"},
        "review pending (a candidate from sinorus extract, not yet checked)",
    ),  # fmt: skip
    (
        {"indicator": "trade_china_exports"},
        "indicator trade_china_exports: a direction without its reporting country",
    ),  # fmt: skip
    (
        {"indicator": "trade_china_imports", "year_start": "2000"},
        "indicator trade_china_imports: a direction without its reporting country",
    ),  # fmt: skip
    (
        {"indicator": "share_of_china_total_trade", "unit": "percent"},
        "indicator share_of_china_total_trade: not a trade value",
    ),  # fmt: skip
    ({"year_start": "2000"}, "cumulative total over several years (year_start set)"),
]


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
