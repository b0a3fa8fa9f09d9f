"""Figure factories: traces, values, marks per qualifier, hover text, escaping, empty states."""

import pandas as pd
import plotly.io as pio
import pytest

from sinorus import charts, transform

FULL = (1992, 2007)


def timeseries(ds, year_range=FULL, events=True, log=False):
    return charts.trade_timeseries(
        transform.trade_series(ds, year_range),
        transform.trade_by_year(ds, year_range),
        transform.events_in_range(ds, year_range) if events else None,
        log=log,
    )


def marker_traces(fig):
    return [t for t in fig.data if t.mode == "markers" and t.legendgroup == "sources"]


def test_figures_carry_the_house_look(ds):
    fig = charts.share_bar(transform.share_of_china_trade(ds, (1992, 2007)))
    look = fig.layout.template.layout
    assert look.font.family.startswith("Inter") and look.paper_bgcolor == "white"
    assert look.colorway[0] == charts.SOURCE_COLOURS["eai-bb346"]
    assert pio.templates[charts.TEMPLATE].layout.font.family == look.font.family


def test_timeseries_one_mark_per_figure_with_qualifier_symbols(ds):
    fig = timeseries(ds)
    traces = marker_traces(fig)
    assert len(traces) == 2  # one per source
    points = {
        (cd[0], sym): y
        for t in traces
        for cd, sym, y in zip(t.customdata, t.marker.symbol, t.y, strict=True)
    }
    expected = {
        ("trade-1992-eai", "circle"): 6,
        ("trade-1997-voa", "circle-open"): 7,
        ("trade-2006-eai", "circle"): 33.4,
        ("trade-2007-voa-nearly", "triangle-down"): 40,
        ("trade-2007-voa-reached", "triangle-up"): 40,
    }
    assert points == expected


def test_timeseries_connector_is_dotted_and_not_hoverable(ds):
    line = next(t for t in timeseries(ds).data if t.mode == "lines")
    assert line.line.dash == "dot" and line.hoverinfo == "skip"
    assert list(line.x) == [1992, 1997, 2006, 2007]


def test_timeseries_hover_has_value_qualifier_basis_source_quote(ds):
    fig = timeseries(ds)
    hovers = [h for t in marker_traces(fig) for h in t.hovertext]
    h1997 = next(h for h in hovers if "c. 1997" in h)
    assert "about US$7 bn" in h1997
    assert "qualifier: about" in h1997
    assert "year: read from context" in h1997
    assert "Growing Ties between China and Russia" in h1997
    assert "from about $7 billion to nearly $40 billion" in h1997.replace("<br>", " ")


def test_timeseries_same_year_readings_do_not_overlap(ds):
    xs = [x for t in marker_traces(timeseries(ds)) for x in t.x]
    assert len(set(xs)) == len(xs)


def test_timeseries_log_and_axis_titles(ds):
    assert timeseries(ds, log=True).layout.yaxis.type == "log"
    fig = timeseries(ds)
    assert fig.layout.yaxis.type in (None, "linear")
    assert "US$ billion" in fig.layout.yaxis.title.text
    assert "no figures for the years between" in " ".join(charts.header(fig)["notes"])
    assert charts.header(fig)["title"] == "China–Russia trade, US$ billion"
    assert fig.layout.title.text is None  # the page shows the header as HTML, not in the SVG


def test_fold_axis_titles_puts_a_long_y_title_on_two_lines_with_the_same_words():
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(
        yaxis_title="Gap to the reading, %",
        yaxis2=dict(title="Trade, % of GDP"),  # short: as it was
        yaxis3=dict(title="Imports &amp; exports, US$ billion"),  # escaped: stays escaped
        xaxis_title="Year the claim is about, a long x title",  # x titles have the width
    )
    charts.fold_axis_titles(fig)
    assert fig.layout.yaxis.title.text == "Gap to the<br>reading, %"
    assert fig.layout.yaxis2.title.text == "Trade, % of GDP"
    assert fig.layout.yaxis3.title.text == "Imports &amp; exports,<br>US$ billion"
    assert fig.layout.xaxis.title.text == "Year the claim is about, a long x title"
    charts.fold_axis_titles(fig)  # once folded, left alone
    assert fig.layout.yaxis.title.text == "Gap to the<br>reading, %"


def test_log_axis_labels_whole_values_not_mantissas(ds):
    """Plotly's own log ticks read 5 6 7 8 9 10 2 3 4 (20, 30, 40 labelled 2, 3, 4)."""
    axis = timeseries(ds, log=True).layout.yaxis
    assert axis.tickmode == "array"
    assert list(axis.ticktext) == ["5", "10", "20", "50"]
    assert list(axis.tickvals) == [5, 10, 20, 50]
    assert [float(t.replace(",", "")) for t in axis.ticktext] == list(axis.tickvals)
    assert 10 ** axis.range[0] <= 6 and 10 ** axis.range[1] >= 40  # every mark inside


@pytest.mark.parametrize(
    "lo, hi, expected",
    [
        (6, 40, [5, 10, 20, 50]),
        (1, 10, [1, 2, 5, 10]),
        (0.3, 3, [0.2, 0.5, 1, 2, 5]),
        (10, 10, [5, 10, 20]),
        (150, 1999, [100, 200, 500, 1000, 2000]),
    ],
)
def test_log_ticks_1_2_5(lo, hi, expected):
    values, text = charts.log_ticks(lo, hi)
    assert values == expected
    assert text == [f"{v:,g}" if v < 1 else f"{v:,.0f}" for v in expected]


def test_log_ticks_refuse_non_positive():
    with pytest.raises(ValueError):
        charts.log_ticks(0, 10)


EVENTS = "events named in the texts"


def test_timeseries_events_on_a_strip_of_their_own(ds):
    with_events = timeseries(ds, (2006, 2007))
    events = [t for t in with_events.data if t.name == EVENTS]
    assert len(events) == 1 and len(events[0].x) == len(transform.events_in_range(ds, (2006, 2007)))
    assert any("Heiligendamm" in h for h in events[0].hovertext)
    # on their own axis, below the US$ axis's domain: never drawn at a dollar value
    assert events[0].yaxis == "y2"
    strip, plot = with_events.layout.yaxis2.domain, with_events.layout.yaxis.domain
    assert strip[1] < plot[0]
    assert with_events.layout.yaxis2.overlaying is None
    assert list(with_events.layout.yaxis2.ticktext) == ["events"]
    assert not [t for t in timeseries(ds, events=False).data if t.name == EVENTS]


def test_timeseries_readings_of_a_year_apart_and_inside_the_axis(ds):
    fig = timeseries(ds)
    xs = sorted(x for t in marker_traces(fig) for x in t.x if round(x) == 2007)
    assert len(xs) == 2 and xs[1] - xs[0] >= 0.5  # ~20 px apart on a 390-px phone
    lo, hi = fig.layout.xaxis.range
    every_x = [x for t in fig.data for x in t.x]
    assert lo < min(every_x) and max(every_x) + 0.3 < hi  # no mark clipped at the edges


def test_human_labels_in_legend_and_hover(ds):
    fig = charts.trade_timeseries(
        transform.trade_series(ds, FULL),
        transform.trade_by_year(ds, FULL),
        source_labels={"eai-bb346": "East Asian Institute, 8 Aug 2007"},
    )
    text = " ".join(h for t in marker_traces(fig) for h in t.hovertext)
    assert "at least" in text and "at_least" not in text
    assert "None" not in text and "nan" not in text
    assert "East Asian Institute, 8 Aug 2007" in {t.name for t in fig.data}


@pytest.mark.parametrize(
    "publisher, published, label",
    [
        ("Voice of America (VOA News), Moscow", "2007-08", "Voice of America (VOA News), Aug 2007"),
        ("East Asian Institute, NUS", "2007-08-08", "East Asian Institute, 8 Aug 2007"),
        ("World Bank Open Data", None, "World Bank Open Data"),
        ("WCO", "2022", "WCO, 2022"),
    ],
)
def test_source_label_spells_the_date(publisher, published, label):
    assert charts.source_label(publisher, published) == label


def test_qualifier_label():
    assert charts.qualifier_label("nearly / at_least") == "nearly / at least"
    assert charts.qualifier_label(None) == ""


def test_timeseries_empty_range(ds):
    fig = timeseries(ds, (1993, 1996))
    assert not fig.data
    assert "No trade figures" in fig.layout.annotations[0].text


def test_hover_text_escapes_html(ds):
    trade = transform.trade_series(ds, FULL).copy()
    trade.loc[0, "quote"] = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    fig = charts.trade_timeseries(trade, transform.trade_by_year(ds, FULL))
    hovers = " ".join(h for t in marker_traces(fig) for h in t.hovertext)
    assert "<img" not in hovers and "<script" not in hovers
    assert "&lt;img" in hovers and "&lt;script&gt;" in hovers


def test_waterfall(ds):
    periods = transform.growth_periods(ds, FULL)
    fig = charts.growth_waterfall(periods, transform.trade_by_year(ds, FULL))
    (trace,) = fig.data
    assert list(trace.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(trace.y[:4]) == pytest.approx([6, 1, 26.4, 6.6])
    assert trace.x[0] == "1992" and trace.x[2] == "c. 1997→2006"
    assert "19.0%/yr" in trace.text[2]
    assert charts.growth_waterfall(
        periods.iloc[0:0], transform.trade_by_year(ds, (2006, 2006))
    ).layout.annotations


def test_share_donut_and_implied_total(ds):
    fig = charts.share_bar(transform.share_of_china_trade(ds, FULL))
    (pie,) = fig.data
    assert list(pie.values) == [2, 98]
    notes = " ".join(charts.header(fig)["notes"])
    assert "roughly US$1,300–2,200 bn" in notes  # 33.4 ÷ 2.5% … 33.4 ÷ 1.5%
    assert "1,670" not in notes  # more precise than "about 2%" allows
    assert "1,670" not in " ".join(pie.hovertext)
    assert "about 2%" in fig.layout.annotations[0].text


@pytest.mark.parametrize(
    "trade, share, qualifier, text",
    [
        (33.4, 2, "about", "roughly US$1,300–2,200 bn"),
        (33.4, 2, "exact", "US$1,670 bn"),
        (33.4, 2.5, "about", "roughly US$1,300–1,400 bn"),
    ],
)
def test_implied_total_no_more_precise_than_the_share(trade, share, qualifier, text):
    assert charts.implied_total_text(trade, share, qualifier).startswith(text)


def test_with_header_puts_title_notes_and_footer_in_the_picture(ds):
    fig = timeseries(ds)
    out = charts.with_header(fig, footer=["Source: <EAI>", "CC BY 4.0"])
    assert out.layout.title.text.startswith("China–Russia trade")
    assert "no figures for the years" in out.layout.title.subtitle.text.replace("<br>", " ")
    assert "Source: &lt;EAI&gt;" in out.layout.annotations[-1].text
    assert fig.layout.title.text is None  # the original is untouched


def test_gdp_bars(ds):
    ratio = transform.trade_to_gdp(ds, FULL)
    fig = charts.trade_gdp_bars(ratio)
    assert {t.name for t in fig.data} == {"China", "Russia"}
    russia = next(t for t in fig.data if t.name == "Russia")
    assert list(russia.y) == pytest.approx(
        ratio[ratio.country == "Russia"].trade_pct_of_gdp.tolist()
    )
    assert "% of GDP" in fig.layout.yaxis.title.text


def test_source_bars(ds):
    fig = charts.source_bars(transform.source_contributions(ds, FULL))
    total = sum(sum(t.x) for t in fig.data)
    assert total == len(ds.observations)


@pytest.mark.parametrize(
    "factory",
    [
        lambda: charts.share_bar(pd.DataFrame(columns=["year"])),
        lambda: charts.trade_gdp_bars(pd.DataFrame()),
        lambda: charts.source_bars(pd.DataFrame()),
    ],
)
def test_empty_frames_give_a_message(factory):
    fig = factory()
    assert not fig.data and fig.layout.annotations[0].text.startswith(("The texts", "No "))


@pytest.mark.parametrize(
    "value, qualifier, text",
    [
        (6, "exact", "US$6 bn"),
        (33.4, "exact", "US$33.4 bn"),
        (7, "about", "about US$7 bn"),
        (40, "nearly / at_least", "nearly / at least US$40 bn"),
        (1670, "about", "about US$1,670 bn"),
        (48.16, "exact", "US$48.16 bn"),  # a later report's precision is kept
        (107.060, "exact", "US$107.06 bn"),
    ],
)
def test_qualified(value, qualifier, text):
    assert charts.qualified(value, qualifier) == text


def test_source_bars_flag_doubtful_figures(ds):
    fig = charts.source_bars(transform.source_contributions(ds, FULL))
    names = {t.name.replace("<br>", " ") for t in fig.data}  # long entries wrap, to fit
    assert "Chinese purchases of Russian arms (⚠ doubtful)" in names
    assert all(len(line) <= charts.LEGEND_CHARS for t in fig.data for line in t.name.split("<br>"))
    assert fig.layout.legend.xref == "container"  # from the figure's edge, not the plot's
    assert "China–Russia trade" in names


def big_trade(ds, n):
    """`n` synthetic trade rows (copies of the real ones with other values), as a large table."""
    base = transform.trade_series(ds, FULL)
    rows = base.sample(n, replace=True, random_state=1).reset_index(drop=True)
    rows["id"] = [f"synthetic-{i}" for i in range(n)]
    rows["trade_usd_bn"] = rows["trade_usd_bn"] * (1 + (rows.index % 7) / 100)
    return rows


def test_large_tables_are_aggregated_before_plotting(ds):
    trade = big_trade(ds, 5000)
    fig = charts.trade_timeseries(trade, transform.trade_by_year(ds, FULL))
    points = sum(len(t.x) for t in marker_traces(fig))
    groups = trade.groupby(["year", "source_id", "qualifier"]).ngroups
    assert points == groups <= 20
    assert sum(len(t.hovertext) for t in marker_traces(fig)) == points
    hover = " ".join(h for t in marker_traces(fig) for h in t.hovertext)
    assert "figures</b>" in hover and "median" in hover
    assert all(t.error_y.array is not None for t in marker_traces(fig))


def test_small_tables_keep_one_mark_per_figure(ds):
    marks = transform.trade_marks(transform.trade_series(ds, FULL))
    assert len(marks) == 5 and (marks.figures == 1).all()
