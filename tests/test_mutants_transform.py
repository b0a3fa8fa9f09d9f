"""Tests that kill mutants `make mutate` found alive in sinorus/transform.py (docs/mutation.md):
each asserts the values a mutant changes, from the embedded data package."""

import pandas as pd
import pytest

from sinorus import transform

LAST_IDS = "trade-2007-voa-nearly; trade-2007-voa-reached"


def documents_rows(ds, year_range) -> pd.DataFrame:
    """The documents' rows of the headline download, without the `whose` column."""
    frame = transform.headline_frame(ds, year_range)
    return frame[frame["whose"] == transform.DOCUMENTS].drop(columns="whose").reset_index(drop=True)


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
    assert none.empty and ["whose", *none.columns] == transform.HEADLINE_COLUMNS
    assert isinstance(none, pd.DataFrame)


def test_slider_span_widens_to_reports_earlier_than_the_documents(ds):
    """The slider covers the later reports' first year when it is before the documents' first."""
    import dataclasses

    early = ds.reports.copy()
    early.loc[early.index[0], "year"] = 1985
    shifted = dataclasses.replace(ds, reports=early)
    assert transform.reports_span(shifted)[0] == 1985
    assert transform.year_span(shifted) == (1985, transform.reports_span(ds)[1])
    assert transform.documents_span(shifted) == (1992, 2007)


def test_readings_of_one_year_differ_only_when_their_values_do(ds):
    trade = transform.trade_series(ds, (2006, 2007))  # 2007: two readings, both US$40 bn
    assert list(transform._trade_by_year(trade)["readings_differ"]) == [False, False]
    other = trade.assign(trade_usd_bn=[33.4, 39.0, 40.0])  # SYNTHETIC: the readings made to differ
    by_year = transform._trade_by_year(other)
    assert list(by_year["readings_differ"]) == [False, True]
    assert list(by_year["trade_usd_bn"]) == [33.4, 39.5]


def test_marks_stay_one_per_figure_up_to_the_limit_itself(ds):
    trade = transform.trade_series(ds, transform.documents_span(ds))
    at_limit = transform.trade_marks(trade, max_marks=len(trade))
    assert list(at_limit["id"]) == list(trade["id"]) and set(at_limit["figures"]) == {1}
    assert list(at_limit.columns) == list(trade.columns) + ["figures", "low_usd_bn", "high_usd_bn"]
    assert len(transform.trade_marks(trade, max_marks=len(trade) - 1)) == len(trade)
    assert "source_title" in transform.trade_marks(trade, max_marks=0).columns
