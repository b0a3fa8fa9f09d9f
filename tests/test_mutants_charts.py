"""Tests that kill mutants `make mutate` found alive in sinorus/charts.py (docs/mutation.md):
the house template as registered, the exported header's pixel layout, the empty chart and the
log axis, each asserted value by value."""

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from sinorus import charts
from sinorus.charts import GRID, INK, MUTED


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


@pytest.mark.parametrize(
    "named, height, left, width, chars, expect",
    [
        # one legend item needs no legend row; no footer, no footer pixels
        (1, 300, 80, 1000, 100, dict(height=300 - 56 + 139 + 56, t=139, b=56, l=80, y=4 / 439)),
        # 4 items x 230 px over 1000 - 80 px: one row
        (4, None, None, 1000, 100, dict(height=450 - 56 + 139 + 78, t=139, b=78, l=56, y=4 / 611)),
        # 2 items x 230 px over 300 - 80 px: three rows; at 20 characters a line (15 for the
        # title) 7 title lines and 6 + 1 note lines: 28 + 24 x 7 + 17 x 7 + 12 = 327
        (2, None, 30, 300, 20, dict(height=450 - 56 + 327 + 122, t=327, b=122, l=56, y=4 / 843)),
    ],
)
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
    from sinorus import transform

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
    from sinorus import transform

    fig = charts.growth_waterfall(transform.growth_periods(ds, (1992, 1993)), transform.trade_by_year(ds, (1992, 1993)))  # fmt: skip
    assert fig.layout.title.text == "How trade grew between figures (US$ billion; CAGR per period)"
    assert [a.text for a in fig.layout.annotations] == [
        "Growth needs at least two years with trade figures in the range."
    ]
