"""Figure factories: traces, values, marks per qualifier, hover text, escaping, empty states."""

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from sinorus import charts, transform
from sinorus.charts import GRID, INK, MUTED

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


@pytest.mark.parametrize("lo, hi, expected", [
    (6, 40, [5, 10, 20, 50]),
    (1, 10, [1, 2, 5, 10]),
    (0.3, 3, [0.2, 0.5, 1, 2, 5]),
    (10, 10, [5, 10, 20]),
    (150, 1999, [100, 200, 500, 1000, 2000]),
])  # fmt: skip
def test_log_ticks_1_2_5(lo, hi, expected):
    values, text = charts.log_ticks(lo, hi)
    assert values == expected
    assert text == [f"{v:,g}" if v < 1 else f"{v:,.0f}" for v in expected]


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


@pytest.mark.parametrize("publisher, published, label", [
    ("Voice of America (VOA News), Moscow", "2007-08", "Voice of America (VOA News), Aug 2007"),
    ("East Asian Institute, NUS", "2007-08-08", "East Asian Institute, 8 Aug 2007"),
    ("World Bank Open Data", None, "World Bank Open Data"),
    ("WCO", "2022", "WCO, 2022"),
])  # fmt: skip
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


@pytest.mark.parametrize("trade, share, qualifier, text", [
    (33.4, 2, "about", "roughly US$1,300–2,200 bn"),
    (33.4, 2, "exact", "US$1,670 bn"),
    (33.4, 2.5, "about", "roughly US$1,300–1,400 bn"),
])  # fmt: skip
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


@pytest.mark.parametrize("factory", [
    lambda: charts.share_bar(pd.DataFrame(columns=["year"])),
    lambda: charts.trade_gdp_bars(pd.DataFrame()),
    lambda: charts.source_bars(pd.DataFrame()),
])  # fmt: skip
def test_empty_frames_give_a_message(factory):
    fig = factory()
    assert not fig.data and fig.layout.annotations[0].text.startswith(("The texts", "No "))


@pytest.mark.parametrize("value, qualifier, text", [
    (6, "exact", "US$6 bn"),
    (33.4, "exact", "US$33.4 bn"),
    (7, "about", "about US$7 bn"),
    (40, "nearly / at_least", "nearly / at least US$40 bn"),
    (1670, "about", "about US$1,670 bn"),
    (48.16, "exact", "US$48.16 bn"),  # a later report's precision is kept
    (107.060, "exact", "US$107.06 bn"),
])  # fmt: skip
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


# --- The house template, the exported header's pixels, the empty chart, the waterfall ------------


def test_the_house_template_is_registered_with_exactly_these_settings():
    # The template is registered at import; register it again so that this test sees what
    # `_register_template` builds now (the look every figure and export starts from).
    pio.templates[charts.TEMPLATE] = go.layout.Template()
    charts._register_template()
    axis = {"automargin": True, "color": INK, "tickfont": {"size": 12}, "title": {"standoff": 8}}
    assert pio.templates[charts.TEMPLATE].layout.to_plotly_json() == {
        "colorway": list(charts.SOURCE_COLOURS.values()) + charts.OTHER_COLOURS,
        "font": {"color": INK, "family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 13},
        "hoverlabel": {"align": "left", "bgcolor": "white", "bordercolor": GRID,
                       "font": {"color": INK, "size": 12}},
        # under the plot, measured from the figure's bottom edge: never on the tick labels
        "legend": {"font": {"size": 12}, "orientation": "h", "title": {"text": ""}, "x": 0,
                   "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container"},
        "margin": {"b": 40, "l": 56, "r": 16, "t": 16},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "title": {"font": {"color": INK, "size": 16}, "x": 0, "xanchor": "left", "xref": "paper",
                  "y": 0.98, "yanchor": "top", "yref": "container"},
        "xaxis": {**axis, "linecolor": MUTED, "showgrid": False, "tickcolor": MUTED,
                  "ticks": "outside", "zeroline": False},
        "yaxis": {**axis, "gridcolor": GRID, "linecolor": MUTED, "rangemode": "tozero",
                  "zeroline": False},
    }  # fmt: skip


def _figure(named: int, height=None, left=None):
    traces = [go.Scatter(x=[1], y=[i], name=f"series {i}") for i in range(named)]
    traces += [go.Scatter(x=[1], y=[9], name="hidden", showlegend=False), go.Scatter(x=[1], y=[8])]
    fig = go.Figure(traces, layout=dict(title="x", height=height, margin=dict(l=left)))
    title = " ".join(["word"] * 20)  # 99 characters: two lines at 75
    charts.subtitle(fig, " ".join(["note"] * 24), "", "A short note & more.")  # 2 + 1 lines at 100
    fig.layout.meta["header"]["title"] = title
    return fig


def test_with_header_reserves_pixels_for_title_notes_legend_rows_and_footer():
    fig = _figure(named=5)
    footer = [" ".join(["foot"] * 28), "CC BY 4.0"]  # 139 characters: 2 lines at 120, then 1
    out = charts.with_header(fig, footer=footer)
    # top: 28 + 24 x 2 title lines + 17 x 3 note lines + 12 = 139
    # bottom: 56 ticks + 22 x 2 legend rows (5 x 230 px over 920) + 14 x 3 footer lines + 10 = 152
    assert (out.layout.width, out.layout.height) == (1000, 450 - 56 + 139 + 152)
    assert out.layout.margin.to_plotly_json() == {"t": 139, "b": 152, "l": 56}
    assert out.layout.legend.to_plotly_json() == {"yref": "container", "y": 56 / 685, "yanchor": "bottom"}  # fmt: skip
    word = " ".join(["word"] * 15)
    assert out.layout.title.to_plotly_json() == {
        "text": f"{word}<br>{' '.join(['word'] * 5)}",
        "subtitle": {"text": f"{' '.join(['note'] * 20)}<br>{' '.join(['note'] * 4)}<br>A short note &amp; more.",
                     "font": {"size": 13, "color": MUTED}},
        "x": 0, "xref": "container", "xanchor": "left", "y": 1, "yref": "container",
        "yanchor": "top", "pad": {"l": 16, "t": 20, "b": 8}, "font": {"size": 20, "color": INK},
    }  # fmt: skip
    assert [a.to_plotly_json() for a in out.layout.annotations] == [
        {"text": f"{' '.join(['foot'] * 24)}<br>{' '.join(['foot'] * 4)}<br>CC BY 4.0",
         "x": 0, "y": 0, "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom",
         "yshift": -152 + 6, "align": "left", "showarrow": False, "font": {"size": 11, "color": MUTED}}
    ]  # fmt: skip
    assert fig.layout.width is None and not fig.layout.annotations  # the original is untouched


@pytest.mark.parametrize("named, height, left, width, chars, expect", [
    # one legend item needs no legend row; no footer, no footer pixels
    (1, 300, 80, 1000, 100, dict(height=300 - 56 + 139 + 56, t=139, b=56, l=80, y=4 / 439)),
    # 4 items x 230 px over 1000 - 80 px: one row
    (4, None, None, 1000, 100, dict(height=450 - 56 + 139 + 78, t=139, b=78, l=56, y=4 / 611)),
    # 2 items x 230 px over 300 - 80 px: three rows; at 20 characters a line (15 for the
    # title) 7 title lines and 6 + 1 note lines: 28 + 24 x 7 + 17 x 7 + 12 = 327
    (2, None, 30, 300, 20, dict(height=450 - 56 + 327 + 122, t=327, b=122, l=56, y=4 / 843)),
])  # fmt: skip
def test_with_header_without_a_footer(named, height, left, width, chars, expect):
    out = charts.with_header(_figure(named, height, left), width=width, chars=chars)
    assert out.layout.height == expect["height"] and out.layout.width == width
    margin = out.layout.margin
    assert (margin.t, margin.b, margin.l) == (expect["t"], expect["b"], expect["l"])
    assert out.layout.legend.y == pytest.approx(expect["y"])
    assert not out.layout.annotations


def test_with_header_of_a_figure_without_a_title():
    out = charts.with_header(go.Figure(), footer=[])
    assert out.layout.title.text == "" and out.layout.title.subtitle.text == ""
    assert (out.layout.margin.t, out.layout.margin.b) == (28 + 24 + 12, 56)


def test_empty_figure_says_why_on_hidden_axes():
    fig = charts.empty_figure("Trade <b>", "Nothing & none")
    assert fig.layout.template == pio.templates[charts.TEMPLATE]
    assert fig.layout.title.to_plotly_json() == {"text": "Trade &lt;b&gt;"}
    assert fig.layout.height == 320
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert [a.to_plotly_json() for a in fig.layout.annotations] == [
        {"text": "Nothing &amp; none", "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
         "showarrow": False, "font": {"size": 14, "color": MUTED}}
    ]  # fmt: skip


def test_log_axis_defaults_to_every_traces_y():
    fig = go.Figure([go.Scatter(x=[1, 2], y=[6, 40]), go.Bar(x=[1], y=[None]), go.Scatter(x=[3], y=[120])])  # fmt: skip
    fig.add_annotation(text="no y", x=1, y=1)
    ticks, text = charts.log_ticks(6, 120)
    out = charts.apply_log_axis(fig)
    assert out is fig and fig.layout.yaxis.type == "log"
    assert list(fig.layout.yaxis.tickvals) == ticks and list(fig.layout.yaxis.ticktext) == text
    explicit = charts.apply_log_axis(go.Figure(), values=[6, 120])
    assert explicit.layout.yaxis.to_plotly_json() == fig.layout.yaxis.to_plotly_json()


def test_growth_waterfall_steps_from_the_first_figure_to_the_last(ds):
    full = (1992, 2007)
    fig = charts.growth_waterfall(transform.growth_periods(ds, full), transform.trade_by_year(ds, full))  # fmt: skip
    [trace] = fig.data
    assert list(trace.x) == ["1992", "1992→c. 1997", "c. 1997→2006", "2006→c. 2007", "c. 2007 total"]  # fmt: skip
    assert list(trace.y) == pytest.approx([6.0, 1.0, 26.4, 6.6, 0])
    assert list(trace.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(trace.text) == ["US$6 bn", "+1.0<br>3.1%/yr", "+26.4<br>19.0%/yr", "+6.6<br>19.8%/yr", "nearly / at least US$40 bn"]  # fmt: skip
    assert list(trace.textposition) == ["outside"] * 4 + ["inside"]
    both = "nearly $40 billion; already reached $40 billion"
    assert list(trace.hovertext) == [
        "1992: US$6 billion in 1992",
        "1992 → c. 1997: +1.0 bn over 5 yr, ×1.17, CAGR 3.1%<br>from “US$6 billion in 1992” to “about $7 billion”",
        "c. 1997 → 2006: +26.4 bn over 9 yr, ×4.77, CAGR 19.0%<br>from “about $7 billion” to “US$33.4 billion in 2006”",
        f"2006 → c. 2007: +6.6 bn over 1 yr, ×1.20, CAGR 19.8%<br>from “US$33.4 billion in 2006” to “{both}”",
        f"c. 2007: {both}",
    ]  # fmt: skip
    assert trace.hovertemplate == "%{hovertext}<extra></extra>"
    assert trace.insidetextfont.color == "white"
    assert trace.connector.line.to_plotly_json() == {"color": "#9aa5b1", "dash": "dot"}
    colours = (trace.increasing.marker.color, trace.decreasing.marker.color, trace.totals.marker.color)  # fmt: skip
    assert colours == ("#3c8d6e", "#b13d2e", "#2f5d9e")
    assert charts.header(fig)["title"] == "How trade grew between figures (US$ billion; CAGR per period)"  # fmt: skip
    assert list(fig.layout.yaxis.range) == [0, 50.0] and fig.layout.height == 420


def test_growth_waterfall_of_one_figure_says_growth_needs_two(ds):
    fig = charts.growth_waterfall(transform.growth_periods(ds, (1992, 1993)), transform.trade_by_year(ds, (1992, 1993)))  # fmt: skip
    assert fig.layout.title.text == "How trade grew between figures (US$ billion; CAGR per period)"
    assert [a.text for a in fig.layout.annotations] == [
        "Growth needs at least two years with trade figures in the range."
    ]


# --- The log axis: refused values, ticks below 1; the trade chart's yearly ticks -----------------


@pytest.mark.parametrize("lo, hi", [(0, 5), (-1, 5), (5, 0), (5, -1), (0, 0), (0, 10)])
def test_log_ticks_refuse_zero_and_negative_ends(lo, hi):
    with pytest.raises(ValueError, match="^a log axis needs positive values$"):
        charts.log_ticks(lo, hi)


def test_log_ticks_below_one_are_written_as_they_are():
    assert charts.log_ticks(0.2, 0.5) == ([0.2, 0.5], ["0.2", "0.5"])
    assert charts.log_ticks(0.3, 7) == ([0.2, 0.5, 1.0, 2.0, 5.0, 10.0], ["0.2", "0.5", "1", "2", "5", "10"])  # fmt: skip


def _log_axis(values):
    fig = charts.apply_log_axis(charts.go.Figure(), values=values)
    return fig.layout.yaxis.to_plotly_json()


def test_log_axis_leaves_out_missing_zero_and_negative_values():
    """Only positive values set the ticks: None, NaN, 0 and negatives are not on a log axis."""
    assert _log_axis([None, float("nan"), 0, -3, 2, 30]) == _log_axis([2, 30])
    assert _log_axis([2, 30])["tickvals"] == [2.0, 5.0, 10.0, 20.0, 50.0]


def test_log_axis_of_nothing_positive_leaves_the_figure_alone():
    assert _log_axis([None, 0, -1]) == {}


def test_log_axis_reads_the_traces_that_have_y_and_skips_the_rest():
    fig = charts.go.Figure([charts.go.Pie(values=[1, 2]), charts.go.Scatter(x=[1, 2], y=[3, 40])])
    charts.apply_log_axis(fig)
    assert fig.layout.yaxis.tickvals == (2.0, 5.0, 10.0, 20.0, 50.0)


@pytest.mark.parametrize("last, dtick", [(2007, 1), (2008, None)])
def test_trade_chart_ticks_every_year_below_eight_years_shown(ds, last, dtick):
    """Under eight years between the first and last mark, a tick per year; from eight, Plotly's."""
    trade = transform.trade_series(ds, (2006, 2007)).assign(year=[2000] + [last] * 2)
    fig = charts.trade_timeseries(trade, transform._trade_by_year(trade))
    assert fig.layout.xaxis.dtick == dtick


def test_a_qualifier_outside_the_vocabulary_is_drawn_as_a_plain_circle_and_written_as_itself():
    """Imported observation tables may carry qualifiers the documents never use."""
    marker = charts.qualifier_marker(["nearly", "roughly"], "#123456")
    assert marker["symbol"] == ["triangle-down", "circle"]
    assert charts.qualified(5, "roughly") == "roughly US$5 bn"
    assert charts.qualified(5, "nearly / roughly") == "nearly / roughly US$5 bn"


def test_log_axis_keeps_values_below_one():
    assert _log_axis([0.3, 30])["tickvals"] == [0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
