"""Text alternatives: the sentence and table of each chart, from the chart's own frame."""

import pytest

from sinorus import transform, views

FULL = (1992, 2007)
LABELS = {"eai-bb346": "East Asian Institute, 8 Aug 2007", "voa-2007-08": "VOA, Aug 2007"}


def test_trade_sentence_keeps_hedges_and_counts(ds):
    text = views.view("trade-total").describe(transform.trade_series(ds, FULL), FULL)
    assert text.startswith("China–Russia trade rose from US$6 bn in 1992 to nearly or at least")
    assert "US$40 bn in c. 2007 (two readings)" in text
    assert "5 figures from 2 sources" in text


def test_trade_sentence_follows_the_year_range(ds):
    yr = (1995, 2006)
    text = views.view("trade-total").describe(transform.trade_series(ds, yr), yr)
    assert "from about US$7 bn in c. 1997 to US$33.4 bn in 2006" in text  # "about" kept
    assert "2 figures from 2 sources" in text
    one = views.view("trade-total").describe(transform.trade_series(ds, (2006, 2006)), (2006, 2006))
    assert one == "China–Russia trade was US$33.4 bn in 2006; 1 figure from 1 source."


def test_hedged_growth_is_about(ds):
    text = views.view("growth").describe(transform.growth_periods(ds, FULL), FULL)
    assert "about ×6.7" in text and "in 3 steps" in text


def test_share_sentence_does_not_round_into_certainty(ds):
    frame = transform.share_of_china_trade(ds, FULL)
    text = views.view("share-of-china-trade").describe(frame, FULL, LABELS)
    assert text.startswith("About 2% of China's total trade")
    assert "roughly US$1,300–2,200 bn" in text and "1,670" not in text


@pytest.mark.parametrize(
    "slug",
    ["trade-total", "growth", "share-of-china-trade", "trade-to-gdp", "source-contributions"],
)
def test_every_chart_has_a_sentence_and_a_table_without_codes(ds, slug):
    from sinorus import views

    frame = views.view(slug).frame(ds, FULL)
    text = views.view(slug).describe(frame, FULL, LABELS)
    table = views.view(slug).table(frame, LABELS)
    assert len(text) > 30 and text.endswith(".")
    assert len(table) == len(frame)
    shown = text + " " + table.to_string()
    for code in ("at_least", "trade_total", "share_of_china", "None", "nan", "eai-bb346"):
        assert code not in shown


def test_empty_range(ds):
    empty = transform.trade_series(ds, (1993, 1996))
    assert views.view("trade-total").describe(empty, (1993, 1996)) == (
        "No trade figures in 1993–1996: neither the documents, the official record nor a later "
        "report gives one."
    )
    assert (
        views.view("growth").describe(empty, (1993, 1993)) == "No figures for this chart in 1993."
    )
    assert views.view("trade-total").table(empty) is None
