"""Chart frames: values computed from the data, provenance kept, year filter applied."""

import dataclasses
import math

import pandas as pd
import pytest

from sinorus import transform as t

FULL = (1992, 2007)


def test_year_span(ds):
    assert t.documents_span(ds) == FULL  # the default view; the headline rests on these
    assert t.reports_span(ds) == (1993, 2024)  # the later reports' layer (US$ totals)
    assert t.year_span(ds) == (1992, 2024)  # the slider spans both


def test_year_span_without_reports(ds):
    import dataclasses

    assert t.year_span(dataclasses.replace(ds, reports=None, official=None)) == FULL
    assert t.year_span(dataclasses.replace(ds, reports=None)) == (1992, 2020)  # the record's


@pytest.mark.parametrize("year_range, years", [
    ((1992, 2007), [1992, 1997, 2006, 2007, 2007]),
    ((1995, 2006), [1997, 2006]),
    ((1993, 1996), []),
])  # fmt: skip
def test_trade_series_follows_range(ds, year_range, years):
    trade = t.trade_series(ds, year_range)
    assert list(trade.year) == years
    assert trade.quote.str.len().min() > 20 if years else trade.empty
    assert "citation" in trade and "qualifier" in trade


def test_trade_series_never_holds_arms_or_shares(ds):
    trade = t.trade_series(ds, FULL)
    assert 250.0 not in set(trade.trade_usd_bn) and 2.0 not in set(trade.trade_usd_bn)


def test_trade_by_year_lists_both_2007_readings(ds):
    row = t.trade_by_year(ds, FULL).set_index("year").loc[2007]
    assert row.readings == 2 and row.qualifier == "nearly / at_least"
    assert (
        "nearly $40 billion" in row.reported_as and "already reached $40 billion" in row.reported_as
    )
    assert not row.readings_differ


def test_growth_periods_cagr(ds):
    periods = t.growth_periods(ds, FULL)
    assert list(zip(periods.from_year, periods.to_year, strict=True)) == [
        (1992, 1997),
        (1997, 2006),
        (2006, 2007),
    ]
    p = periods.set_index("to_year")
    # at most one decimal: the figures it rests on are hedged (about, nearly)
    assert p.loc[2006, "cagr_percent"] == round(((33.4 / 7) ** (1 / 9) - 1) * 100, 1)
    assert p.loc[1997, "change_usd_bn"] == pytest.approx(1.0)
    assert p.loc[2007, "multiple"] == pytest.approx(40 / 33.4, rel=1e-6)
    assert p.loc[2007, "to_qualifier"] == "nearly / at_least"


def test_growth_needs_two_years(ds):
    assert t.growth_periods(ds, (2006, 2006)).empty


def test_headline(ds):
    head = t.headline(ds, FULL)
    assert head["latest_year"] == 2007 and head["latest_usd_bn"] == 40
    assert head["latest_qualifier"] == "nearly / at_least"
    assert head["multiple"] == pytest.approx(40 / 6)
    assert head["cagr_percent"] == pytest.approx(((40 / 6) ** (1 / 15) - 1) * 100)
    assert t.headline(ds, (1993, 1996)) is None
    single = t.headline(ds, (2006, 2006))
    assert single["multiple"] is None and single["latest_qualifier"] == "exact"


def test_share_implies_china_total(ds):
    share = t.share_of_china_trade(ds, FULL).iloc[0]
    assert share.share_percent == 2 and share.qualifier == "about"
    assert share.trade_usd_bn == 33.4
    assert share.implied_china_total_usd_bn == pytest.approx(1670)
    assert share.implied_qualifier == "about"
    assert t.share_of_china_trade(ds, (1992, 2000)).empty


def test_trade_to_gdp(ds):
    ratio = t.trade_to_gdp(ds, FULL).set_index(["year", "country_code"])
    gdp = ds.gdp.set_index(["country_code", "year"])["gdp_usd"]
    assert ratio.loc[(2006, "RUS"), "trade_pct_of_gdp"] == pytest.approx(
        33.4e9 / gdp[("RUS", 2006)] * 100, abs=1e-3
    )
    assert ratio.loc[(1992, "CHN"), "trade_pct_of_gdp"] == pytest.approx(
        6e9 / gdp[("CHN", 1992)] * 100, abs=1e-3
    )
    assert set(ratio.index.get_level_values(0)) == {1992, 1997, 2006, 2007}


def test_source_contributions(ds):
    contrib = t.source_contributions(ds, FULL).set_index(["source_id", "indicator"])["figures"]
    assert contrib[("voa-2007-08", "trade_total")] == 3
    assert contrib[("eai-bb346", "trade_total")] == 2
    assert contrib.sum() == len(ds.observations)


def test_events_in_range_formats_date_by_precision(ds):
    events = t.events_in_range(ds, (2007, 2007)).set_index("id")
    assert events.loc["hu-putin-heiligendamm", "when"] == "8 June 2007"
    assert events.loc["yang-jiechi-moscow", "when"] == "July 2007"
    assert events.loc["year-of-china-in-russia", "when"] == "2007"
    assert "year-of-russia-in-china" not in events.index
    assert t.events_in_range(ds, (1992, 2000)).empty


def test_trade_makeup_has_no_numbers(ds):
    makeup = t.trade_makeup(ds)
    assert {"china_imports", "china_exports", "cooperation"} == set(makeup.flow)
    assert not makeup.item.str.contains(r"\d").any()


def test_cagr():
    assert t.cagr(100, 121, 2) == pytest.approx(0.1)
    assert math.isclose(t.cagr(6, 6, 5), 0)


def test_trade_marks_aggregate_with_count_median_and_range(ds):
    trade = t.trade_series(ds, FULL)
    big = trade.loc[trade.index.repeat(100)].reset_index(drop=True)
    big["trade_usd_bn"] = big["trade_usd_bn"] + (big.index % 3)
    marks = t.trade_marks(big, max_marks=50)
    assert len(marks) == big.groupby(["year", "source_id", "qualifier"]).ngroups
    row = marks[(marks.year == 2006)].iloc[0]
    assert row.figures == 100 and row.low_usd_bn == 33.4 and row.high_usd_bn == 35.4
    assert row.trade_usd_bn == big[big.year == 2006].trade_usd_bn.median()


def test_capped_join():
    assert t.capped_join(["a", "b"]) == "a; b"
    assert t.capped_join([str(i) for i in range(8)], limit=3) == "0; 1; 2; and 5 more"


def copies(ds, n):
    """ds with its observations repeated n times under new ids, and those observations."""
    import dataclasses

    big = pd.concat([ds.observations] * n, ignore_index=True)
    big["id"] = [f"synthetic-{i}" for i in range(len(big))]
    return dataclasses.replace(ds, observations=big), big


def test_full_span_memo_gives_the_same_frames_as_filtering(ds):
    synthetic, big = copies(ds, 200)
    assert synthetic.memo == {}  # not shared with the dataset it was made from
    for year_range in [(1992, 2007), (1995, 2006), (2007, 2007), (1993, 1996)]:
        direct = t.filter_years(big[big.indicator == "trade_total"], year_range)
        sliced = t.trade_series(synthetic, year_range)
        assert sorted(sliced.id) == sorted(direct.id)
        marks = t.trade_marks_in(synthetic, year_range)
        assert marks.figures.sum() == len(direct)
        assert len(marks) <= 20 or len(direct) <= t.MAX_MARKS
        assert list(t.trade_by_year(synthetic, year_range).year) == sorted(set(direct.year))


def test_contributions_at_scale_count_all_and_list_five(ds):
    synthetic, big = copies(ds, 50)
    contrib = t.source_contributions(synthetic, FULL).set_index(["source_id", "indicator"])
    row = contrib.loc[("voa-2007-08", "trade_total")]
    assert row.figures == 150
    listed, more = row.ids.rsplit("; and ", 1)
    assert len(listed.split("; ")) == 5 and more == "145 more"
    first_year = big[big.id.isin(listed.split("; "))].year
    assert first_year.is_monotonic_increasing  # year order
    assert contrib.loc[("eai-bb346", "arms_purchases"), "doubtful"] == 50


@pytest.mark.parametrize("year, start, basis, label", [
    (2006, 1992, "stated", "1992–2006 (total)"),
    (2006, None, "stated", "2006"),
    (1997, float("nan"), "derived", "c. 1997"),
    (2006, 2006, "stated", "2006"),
])  # fmt: skip
def test_period_label(year, start, basis, label):
    assert t.period_label(year, start, basis) == label


def test_headline_frame_holds_what_the_headline_shows(ds):
    frame = t.headline_frame(ds, (1992, 2007))
    rows = frame[frame["whose"] == t.DOCUMENTS].set_index("measure")
    assert rows.loc["growth multiple", "value"] == 6.7  # one decimal: hedged figures enter
    assert rows.loc["compound annual growth rate", "value"] == 13  # whole percent, hedged
    assert rows.loc["compound annual growth rate", "approximate"]
    assert rows.loc["growth multiple", "from_ids"] == "trade-1992-eai"
    assert "trade-2007-voa-nearly" in rows.loc["latest trade figure", "to_ids"]
    record = frame[frame["whose"] == t.RECORD].set_index("measure")
    assert record.loc["latest trade figure", "value"] == 48.11  # China-reported, 2007
    assert "Russia-reported: 40.31" in record.loc["latest trade figure", "method"]
    assert record.loc["growth multiple", "value"] == 8.2
    assert record.loc["compound annual growth rate", "value"] == 15.1  # exact inputs: 1 decimal
    assert not record["approximate"].any()
    (report,) = frame[frame["whose"] == t.REPORT].itertuples()
    assert (report.to_year, report.value) == (2007, 48.16)
    one_year = t.headline_frame(ds, (2006, 2006))
    assert list(one_year["measure"]) == ["latest trade figure"] * 3
    assert list(one_year["whose"]) == [t.DOCUMENTS, t.RECORD, t.REPORT]
    assert t.headline_frame(
        dataclasses.replace(ds, official=None, reports=None), (1993, 1996)
    ).empty


# --- The headline download, the slider's span, readings and marks --------------------------------


LAST_IDS = "trade-2007-voa-nearly; trade-2007-voa-reached"


def documents_rows(ds, year_range) -> pd.DataFrame:
    """The documents' rows of the headline download, without the `whose` column."""
    frame = t.headline_frame(ds, year_range)
    return frame[frame["whose"] == t.DOCUMENTS].drop(columns="whose").reset_index(drop=True)


def test_headline_frame_over_the_full_range_is_exactly_the_headline_download(ds):
    rows = documents_rows(ds, (1992, 2007)).to_dict("records")
    common = {"from_year": 1992, "to_year": 2007, "approximate": True,
              "qualifiers": "exact -> nearly / at_least", "from_ids": "trade-1992-eai", "to_ids": LAST_IDS}  # fmt: skip
    assert rows == [
        {"measure": "latest trade figure", "value": 40.0, "unit": "USD bn", "from_year": 2007,
         "to_year": 2007, "approximate": True, "qualifiers": "nearly / at_least",
         "method": "the trade figure of the last year in the range with one (median of its readings)",
         "from_ids": LAST_IDS, "to_ids": LAST_IDS},
        {"measure": "growth multiple", "value": 6.7, "unit": "times",
         "method": "last figure in the range / first figure in the range", **common},
        {"measure": "compound annual growth rate", "value": 13.0, "unit": "percent a year",
         "method": "(last / first) ** (1 / years) - 1", **common},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "year_range, approximate",
    [((1992, 2006), [False, False, False]), ((1997, 2006), [False, True, True]),
     ((1992, 1997), [True, True, True])],
)  # fmt: skip
def test_headline_frame_is_approximate_when_either_end_is_hedged(ds, year_range, approximate):
    frame = documents_rows(ds, year_range)
    assert list(frame["approximate"]) == approximate
    first, last = year_range
    assert list(frame["from_year"]) == [last, first, first]
    assert list(frame["to_year"]) == [last, last, last]


def test_headline_frame_of_one_figure_is_one_row_and_of_none_is_empty(ds):
    one = documents_rows(ds, (1992, 1992))
    assert one.to_dict("records") == [
        {"measure": "latest trade figure", "value": 6.0, "unit": "USD bn", "from_year": 1992,
         "to_year": 1992, "approximate": False, "qualifiers": "exact",
         "method": "the trade figure of the last year in the range with one (median of its readings)",
         "from_ids": "trade-1992-eai", "to_ids": "trade-1992-eai"}
    ]  # fmt: skip
    none = documents_rows(ds, (1993, 1996))
    assert none.empty and ["whose", *none.columns] == t.HEADLINE_COLUMNS
    assert isinstance(none, pd.DataFrame)


def test_slider_span_widens_to_reports_earlier_than_the_documents(ds):
    """The slider covers the later reports' first year when it is before the documents' first."""
    early = ds.reports.copy()
    early.loc[early.index[0], "year"] = 1985
    shifted = dataclasses.replace(ds, reports=early)
    assert t.reports_span(shifted)[0] == 1985
    assert t.year_span(shifted) == (1985, t.reports_span(ds)[1])
    assert t.documents_span(shifted) == (1992, 2007)


def test_readings_of_one_year_differ_only_when_their_values_do(ds):
    trade = t.trade_series(ds, (2006, 2007))  # 2007: two readings, both US$40 bn
    assert list(t._trade_by_year(trade)["readings_differ"]) == [False, False]
    other = trade.assign(trade_usd_bn=[33.4, 39.0, 40.0])  # SYNTHETIC: the readings made to differ
    by_year = t._trade_by_year(other)
    assert list(by_year["readings_differ"]) == [False, True]
    assert list(by_year["trade_usd_bn"]) == [33.4, 39.5]


def test_marks_stay_one_per_figure_up_to_the_limit_itself(ds):
    trade = t.trade_series(ds, t.documents_span(ds))
    at_limit = t.trade_marks(trade, max_marks=len(trade))
    assert list(at_limit["id"]) == list(trade["id"]) and set(at_limit["figures"]) == {1}
    assert list(at_limit.columns) == list(trade.columns) + ["figures", "low_usd_bn", "high_usd_bn"]
    assert len(t.trade_marks(trade, max_marks=len(trade) - 1)) == len(trade)
    assert "source_title" in t.trade_marks(trade, max_marks=0).columns
