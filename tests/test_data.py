"""The embedded dataset holds the figures of the two documents, with their qualifiers and quotes."""

import pytest

from sinorus.load import normalise_text

# (indicator, year, value, unit, qualifier, year_basis, source_id, words as written)
DESIGN_FIGURES = [
    ("trade_total", 1992, 6.0, "USD bn", "exact", "stated", "eai-bb346", "US$6 billion"),
    ("trade_total", 1997, 7.0, "USD bn", "about", "derived", "voa-2007-08", "about $7 billion"),
    ("trade_total", 2006, 33.4, "USD bn", "exact", "stated", "eai-bb346", "US$33.4 billion"),
    ("trade_total", 2007, 40.0, "USD bn", "nearly", "derived", "voa-2007-08", "nearly $40 billion"),
    (
        "trade_total",
        2007,
        40.0,
        "USD bn",
        "at_least",
        "derived",
        "voa-2007-08",
        "already reached $40 billion",
    ),
    (
        "share_of_china_total_trade",
        2006,
        2.0,
        "percent",
        "about",
        "derived",
        "eai-bb346",
        "about 2 percent",
    ),
    (
        "arms_purchases",
        2006,
        250.0,
        "USD bn",
        "about",
        "stated",
        "eai-bb346",
        "about US$250 billion",
    ),
]


@pytest.mark.parametrize("figure", DESIGN_FIGURES, ids=lambda f: f"{f[0]}-{f[1]}-{f[4]}")
def test_design_figure_present_with_qualifier(ds, figure):
    indicator, year, value, unit, qualifier, basis, source, words = figure
    obs = ds.observations
    match = obs[
        (obs.indicator == indicator)
        & (obs.year == year)
        & (obs.value == value)
        & (obs.qualifier == qualifier)
    ]
    assert len(match) == 1, f"expected exactly one {figure}"
    row = match.iloc[0]
    assert row.unit == unit
    assert row.year_basis == basis
    assert row.source_id == source
    assert words in row.reported_as
    assert normalise_text(words) in normalise_text(row.quote), "the words must be in the quote"


def test_derived_years_say_how(ds):
    derived = ds.observations[ds.observations.year_basis == "derived"]
    assert len(derived) >= 3
    assert (derived.year_note.str.len() > 10).all()


def test_both_2007_readings_kept(ds):
    obs = ds.observations
    readings = obs[(obs.indicator == "trade_total") & (obs.year == 2007)]
    assert set(readings.qualifier) == {"nearly", "at_least"}


def test_arms_figure_flagged_doubtful_and_not_trade(ds):
    arms = ds.observations[ds.observations.indicator == "arms_purchases"].iloc[0]
    assert arms.flag == "doubtful" and len(arms.flag_note) > 20
    assert arms.year_start == 1992 and arms.year == 2006
    assert arms.unit == "USD bn"
    trade = ds.observations[ds.observations.indicator == "trade_total"]
    assert 250.0 not in set(trade.value)


@pytest.mark.parametrize("table", ["observations", "events", "trade_makeup"])
def test_every_quote_found_in_its_source_text(ds, table):
    frame = getattr(ds, table)
    assert len(frame) > 0
    for row in frame.itertuples():
        text = normalise_text(ds.source_texts[row.source_id])
        assert normalise_text(row.quote) in text, f"{table} {row.id}"


def test_normalise_text_removes_markdown_escapes_and_whitespace():
    assert normalise_text("US\\$6  billion\n in\t1992") == "US$6 billion in 1992"


@pytest.mark.parametrize("event_id, date, precision", [
    ("year-of-russia-in-china", "2006-01-01", "year"),
    ("year-of-china-in-russia", "2007-01-01", "year"),
    ("hu-putin-heiligendamm", "2007-06-08", "day"),
    ("yang-jiechi-moscow", "2007-07-01", "month"),
    ("peace-mission-2007", "2007-08-09", "day"),
    ("sco-summit-bishkek", "2007-08-16", "day"),
])  # fmt: skip
def test_named_events(ds, event_id, date, precision):
    event = ds.events.set_index("id").loc[event_id]
    assert str(event.date.date()) == date
    assert event.date_precision == precision


def test_gdp_context_china_and_russia(ds):
    gdp = ds.gdp.set_index(["country_code", "year"])["gdp_usd"]
    assert set(ds.gdp.country_code) == {"CHN", "RUS"}
    assert 2.7e12 < gdp[("CHN", 2006)] < 2.8e12
    assert 0.98e12 < gdp[("RUS", 2006)] < 1.0e12
    assert "CC BY 4.0" in ds.sources.set_index("id").loc["worldbank-gdp", "license"]


def test_sources_have_citation_license_and_text(ds):
    docs = ds.sources[ds.sources.kind == "document"]
    assert set(docs.id) == {"voa-2007-08", "eai-bb346"}
    for row in docs.itertuples():
        assert row.citation and row.license
        assert len(ds.source_texts[row.id]) > 1000
