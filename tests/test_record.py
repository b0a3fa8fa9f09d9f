"""Claims against the record: every figure the documents and later reports give, beside the official
record's China-reported and Russia-reported readings for its year (sinorus.record, the
`claims-and-records` view).

The record is the embedded `official.csv` (IMF Direction of Trade Statistics); the figures below
are worked out from it by hand: China-reported 2007 = 28.48 + 19.63 = 48.11, Russia-reported
2007 = 15.89 + 24.41 = 40.31 (US$ bn).
"""

import math

import pandas as pd
import pytest

from sinorus import export, record, views

DOCS = (1992, 2007)
WIDE = (1992, 2024)
VIEW = views.view("claims-and-records")


@pytest.fixture(scope="module")
def wide(ds):
    return VIEW.frame(ds, WIDE)


def one(frame, claim, reporter, record_kind=record.OFFICIAL):
    rows = frame[(frame.id == claim) & (frame.reporter == reporter) & (frame.record == record_kind)]
    assert len(rows) == 1, (claim, reporter, len(rows))
    return rows.iloc[0]


# --- the readings ------------------------------------------------------------------------------


def test_readings_are_each_reporters_own_never_added(ds):
    readings = record.readings(ds.official)
    totals = readings[readings.indicator == "trade_total"].set_index(["year", "reporter"])
    assert round(totals.at[(2007, "CHN"), "record_usd_bn"], 2) == 48.11
    assert round(totals.at[(2007, "RUS"), "record_usd_bn"], 2) == 40.31
    assert round(totals.at[(1992, "CHN"), "record_usd_bn"], 2) == 5.85
    assert len(totals) == 2 * 29  # 1992-2020, two reporters, never one summed reading
    exports = readings[readings.indicator == "trade_china_exports"].set_index(["year", "reporter"])
    # China's exports to Russia: China reports them FOB, Russia as its imports CIF
    assert exports.at[(2015, "CHN"), "record_basis"].endswith("China's exports to Russia (FOB)")
    assert exports.at[(2015, "RUS"), "record_basis"].endswith("Russia's imports from China (CIF)")
    assert round(exports.at[(2015, "RUS"), "record_usd_bn"], 2) == 34.95


def test_a_total_needs_both_flows():
    official = pd.DataFrame(
        {
            "reporter": ["CHN", "CHN", "CHN"],
            "partner": "RUS",
            "flow": ["exports_fob", "imports_cif", "exports_fob"],
            "year": [2000, 2000, 2001],
            "value_usd": [1e9, 2e9, 5e9],
            "source_id": "imf-dots",
        }
    )
    readings = record.readings(official)
    totals = readings[readings.indicator == "trade_total"]
    assert list(totals.year) == [2000] and list(totals.record_usd_bn) == [3.0]
    assert 2001 in set(readings[readings.indicator == "trade_china_exports"].year)


# --- claims beside the record --------------------------------------------------------------------


def test_the_2007_pair_shows_what_the_data_says(wide):
    """VOA's "nearly $40 billion" (August 2007) against China's 48.1 and Russia's 40.3."""
    china = one(wide, "trade-2007-voa-nearly", "CHN")
    russia = one(wide, "trade-2007-voa-nearly", "RUS")
    assert (china.gap_pct, russia.gap_pct) == (-16.9, -0.8)
    assert not china.flagged  # within 5% of Russia's reading
    assert "written in August 2007, before the year was over" in china.reason
    assert china.qualifier == "nearly" and china.claim_usd_bn == 40.0  # never rounded or edited


@pytest.mark.parametrize("claim, flag", [
    ("r06-2001-total", "part_year"),
    ("h03-2015-total", "converted_from_yuan"),
    ("h03-2015-exports", "converted_from_yuan"),
    ("h03-2015-imports", "converted_from_yuan"),
    ("h04-2018-total", "goal_baseline"),
])  # fmt: skip
def test_the_five_known_problems_are_shown_flagged_never_dropped(ds, wide, claim, flag):
    rows = wide[wide.id == claim]
    assert set(rows.reporter) == {"CHN", "RUS"}
    assert rows.flagged.all() and set(rows.flag) == {flag}
    assert rows.reason.iloc[0].startswith(record.REPORT_FLAGS[flag])
    said = ds.reports.set_index("id").loc[claim]
    assert (rows.claim_usd_bn == said.value).all()  # what the report said stays what it said


def test_flagged_by_distance_from_both_readings(wide):
    # EAI's US$6 bn for 1992 is 2.6% from China's 5.85: within 5% of one reading
    assert not one(wide, "trade-1992-eai", "CHN").flagged
    # VOA's "about $7 billion" a decade before 2007: +14.4% (China), +33.5% (Russia)
    row = one(wide, "trade-1997-voa", "CHN")
    assert row.flagged and row.flag == "" and row.gap_pct == 14.4
    # "more than $7 billion" for 1993 is a lower bound: China's 7.68 agrees with it
    bound = one(wide, "r01-1993-total", "CHN")
    assert bound.gap_pct < -5 and not bound.flagged


def test_a_claim_the_record_cannot_read_keeps_one_row(wide):
    after = wide[wide.year > 2020]
    assert len(after) and after.record.eq("").all() and after.gap_pct.isna().all()
    assert not after.flagged.any() and after.id.is_unique


def test_the_gap_is_claim_minus_reading_over_reading(wide):
    read = wide[wide.gap_pct.notna()]
    worked = ((read.claim_usd_bn - read.record_usd_bn) / read.record_usd_bn * 100).round(1)
    assert (worked == read.gap_pct).all()


def test_the_range_applies(ds):
    frame = VIEW.frame(ds, (2006, 2006))
    assert set(frame.year) == {2006}
    assert {"trade-2006-eai", "r09-2006-total"} <= set(frame.id)
    assert VIEW.frame(ds, (1980, 1985)).empty


def test_without_an_official_record_the_view_is_unavailable(ds):
    import dataclasses

    assert not VIEW.available(dataclasses.replace(ds, official=None))


# --- what a reader sees --------------------------------------------------------------------------


def test_chart_marks_are_the_frames_rows(ds, wide):
    fig = VIEW.figure(ds, WIDE, wide)
    marks = [t for t in fig.data if t.mode == "markers"]
    drawn = sum(len(t.y) for t in marks)
    assert drawn == wide.gap_pct.notna().sum()
    drawn_gaps = sorted(y for t in marks for y in t.y)
    assert drawn_gaps == sorted(wide.gap_pct.dropna())
    names = {t.name for t in marks}
    assert names == {
        "the 2007 documents, vs China-reported",
        "the 2007 documents, vs Russia-reported",
        "later reports, vs China-reported",
        "later reports, vs Russia-reported",
    }


def test_same_year_claims_sit_within_a_fifth_of_a_year(ds, wide):
    fig = VIEW.figure(ds, WIDE, wide)
    for t in fig.data:
        if t.mode == "markers":
            for x, text in zip(t.x, t.hovertext, strict=True):
                year = round(x)
                assert abs(x - year) <= 0.2 and f"for {year}" in text.replace("c. ", "")


def test_flagged_marks_are_ringed(ds, wide):
    fig = VIEW.figure(ds, WIDE, wide)
    rows = wide[wide.gap_pct.notna()]
    ringed = sum(
        c == "#8b1a1a" for t in fig.data if t.mode == "markers" for c in t.marker.line.color
    )
    assert ringed == rows.flagged.sum()


def test_empty_range_says_so(ds):
    frame = VIEW.frame(ds, (1980, 1985))
    fig = VIEW.figure(ds, (1980, 1985), frame)
    assert "No claims in this year range." in fig.layout.annotations[0].text
    words = views.view("claims-and-records").describe(frame, (1980, 1985))
    assert words == "No document or later report gives a figure in 1980–1985 to compare."


def test_sentence_and_table(ds):
    frame = VIEW.frame(ds, DOCS)
    words = views.view("claims-and-records").describe(frame, DOCS)
    assert (
        "Voice of America (VOA News), Aug 2007: nearly US$40 bn for c. 2007 is −16.9% from "
        "China's reading (US$48.11 bn) and −0.8% from Russia's (US$40.31 bn)"
    ) in words
    table = views.view("claims-and-records").table(frame)
    assert list(table.columns) == [
        "Year",
        "The claim, and who made it",
        "Official readings (gap)",
        "Flag, and why they may differ",
    ]
    assert len(table) == frame.id.nunique()
    pravda = table[table["The claim, and who made it"].str.startswith("US$9.3 bn")].iloc[0]
    assert pravda["Flag, and why they may differ"].startswith("Flagged: a part-year figure")
    assert "China US$48.11 bn (−16.9%); Russia US$40.31 bn (−0.8%)" in set(
        table["Official readings (gap)"]
    )


def test_downloads_cite_the_record_and_the_reports(ds, wide):
    cited = export.sources_for(wide, ds.sources)
    assert "imf-dots" in set(cited.id)
    assert {"voa-2007-08", "eai-bb346"} <= set(cited.id)
    assert cited.publisher.str.contains("Pravda").any()


def test_imported_totals_join_as_their_own_readings(merged):
    frame = VIEW.frame(merged, (2019, 2021))
    imported = frame[frame.record == record.IMPORTED]
    assert len(imported) and set(imported.reporter) <= {"CHN", "RUS"}
    for r in imported.itertuples():
        assert r.gap_pct == round((r.claim_usd_bn - r.record_usd_bn) / r.record_usd_bn * 100, 1)
        assert not math.isnan(r.record_usd_bn)
    official = frame[frame.record == record.OFFICIAL]
    assert len(official)  # the embedded record stays beside the imported totals
    fig = VIEW.figure(merged, (2019, 2021), frame)
    assert any("imported" in t.name for t in fig.data if t.mode == "markers")
