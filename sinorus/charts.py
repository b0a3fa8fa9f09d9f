"""Pure figure factories: a frame from `sinorus.transform` in, a `plotly.graph_objects.Figure` out.

No Streamlit here. Every figure uses the house template `sinorus` (registered in
`plotly.io.templates` on import), titles its axes with units, and carries a source line, so a PNG
exported from the chart still says where its numbers come from. Text from the data reaches
Plotly only through `esc()`: Plotly renders a subset of HTML in hover and annotation text, and a
quote must show as the words it is, never as markup.
"""

from __future__ import annotations

import functools
import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sinorus.transform import capped_join, trade_marks, year_label

TEMPLATE = "sinorus"
INK = "#1d2733"
MUTED = "#6b7785"
GRID = "#e6e9ee"
SOURCE_COLOURS = {"eai-bb346": "#b13d2e", "voa-2007-08": "#2f5d9e"}
OTHER_COLOURS = ["#3c8d6e", "#8a5a9e", "#c77c1e", "#4b4b4b"]
COUNTRY_COLOURS = {"China": "#c0392b", "Russia": "#2f5d9e"}
INDICATOR_COLOURS = {
    "trade_total": "#2f5d9e",
    "share_of_china_total_trade": "#3c8d6e",
    "arms_purchases": "#9a9a9a",
}
#: How each qualifier is drawn: filled = as stated; hollow = approximate; a triangle points the
#: way the true value lies from the stated one ("nearly" = a little below; "at least" = above).
QUALIFIER_MARKS = {  # symbol, legend text
    "exact": ("circle", "exact: as stated"),
    "about": ("circle-open", "about: approximate"),
    "nearly": ("triangle-down", "nearly: a little below"),
    "at_least": ("triangle-up", "at least: reached or above"),
}
QUALIFIER_WORDS = {"exact": "", "about": "about ", "nearly": "nearly ", "at_least": "at least "}

MARK_KEY = "● exact  ○ about  ▼ nearly  ▲ at least; colour = source."
CONNECTOR_NOTE = (
    "Marks are the figures as the texts state them. Dotted lines only join them: "
    "there are no figures for the years between."
)


def _register_template() -> None:
    """The house look, built from scratch (not on plotly_white) so that each figure's JSON
    carries only the few settings used here."""
    axis = dict(automargin=True, color=INK, title=dict(standoff=8))
    template = go.layout.Template(
        layout=dict(
            font=dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13, color=INK),
            title=dict(
                font=dict(size=16, color=INK),
                x=0,
                xanchor="left",
                xref="paper",
                yref="container",
                y=0.98,
                yanchor="top",
            ),
            paper_bgcolor="white",
            plot_bgcolor="white",
            colorway=list(SOURCE_COLOURS.values()) + OTHER_COLOURS,
            margin=dict(l=56, r=16, t=64, b=40),
            hoverlabel=dict(
                bgcolor="white", bordercolor=GRID, font=dict(size=12, color=INK), align="left"
            ),
            legend=dict(
                orientation="h", yanchor="top", y=-0.12, x=0, xanchor="left", title_text=""
            ),
            xaxis=dict(
                axis,
                showgrid=False,
                linecolor=MUTED,
                ticks="outside",
                tickcolor=MUTED,
                zeroline=False,
            ),
            yaxis=dict(axis, gridcolor=GRID, zeroline=False, rangemode="tozero", linecolor=MUTED),
        )
    )
    pio.templates[TEMPLATE] = template


_register_template()


def esc(text, width: int | None = None) -> str:
    """Plain text made safe for Plotly's HTML-like labels, optionally wrapped with <br>."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return _esc(text, width)


@functools.lru_cache(maxsize=4096)
def _esc(text: str, width: int | None) -> str:
    lines = textwrap.wrap(text, width) if width else [text]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def qualified(value: float, qualifier: str, unit: str = "US$ bn") -> str:
    """The figure with its hedge, e.g. 'nearly US$40 bn' or 'nearly / at least US$40 bn'."""
    words = " / ".join(
        filter(None, (QUALIFIER_WORDS.get(q, q).strip() for q in qualifier.split(" / ")))
    )
    number = f"{value:,.1f}".removesuffix(".0")
    amount = f"US${number} bn" if unit == "US$ bn" else f"{number} {unit}"
    return f"{words} {amount}".strip()


def _subtitle(fig: go.Figure, *notes: str, width: int = 56) -> None:
    """Notes under the title (so they travel with a PNG export). Plotly does not wrap titles,
    so title and notes are wrapped here to fit a 390-px phone screen, flush left."""
    title = fig.layout.title.text or ""
    title_lines = textwrap.wrap(title, 44) or [""]
    lines = [line for note in notes for line in textwrap.wrap(note, width)]
    fig.update_layout(
        title=dict(
            text="<br>".join(title_lines),  # already escaped by the caller where it is data
            subtitle=dict(
                text="<br>".join(esc(line) for line in lines), font=dict(size=11, color=MUTED)
            ),
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yanchor="top",
            pad=dict(l=12, t=14, b=8),
        ),
        margin=dict(t=60 + 20 * len(title_lines) + 15 * len(lines)),
    )


def empty_figure(title: str, message: str) -> go.Figure:
    """A chart frame with nothing in range: says so instead of drawing blank axes."""
    fig = go.Figure(layout=dict(template=TEMPLATE, title=esc(title), height=320))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=esc(message),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=14, color=MUTED),
    )
    return fig


def _source_colour(source_id: str, order: list[str]) -> str:
    if source_id in SOURCE_COLOURS:
        return SOURCE_COLOURS[source_id]
    return OTHER_COLOURS[order.index(source_id) % len(OTHER_COLOURS)]


def trade_timeseries(
    trade: pd.DataFrame,
    by_year: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    log: bool = False,
    source_labels: dict[str, str] | None = None,
    marks: pd.DataFrame | None = None,
) -> go.Figure:
    """Bilateral trade, one mark per stated figure.

    `trade` is `transform.trade_series`, `by_year` its per-year summary (for the dotted
    connector), `events` (optional) `transform.events_in_range`, drawn as hoverable diamonds on a
    strip along the bottom. Colour = source, symbol = qualifier. Readings of the same year are
    nudged apart sideways so neither hides the other.
    """
    title = "China–Russia trade, US$ billion"
    if trade.empty:
        return empty_figure(title, "No trade figures in this year range.")
    labels = source_labels or {}
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=by_year["year"],
            y=by_year["trade_usd_bn"],
            mode="lines",
            line=dict(color="#9aa5b1", width=1.5, dash="dot"),
            hoverinfo="skip",
            name="joins figures (no data between)",
            showlegend=len(by_year) > 1,
        )
    )
    marks = trade_marks(trade) if marks is None else marks  # see transform.trade_marks_in
    offsets = (
        marks.groupby("year").cumcount() - (marks.groupby("year")["id"].transform("size") - 1) / 2
    )
    x = marks["year"].astype(float) + offsets * 0.3
    order = list(dict.fromkeys(marks["source_id"]))
    for source_id in order:
        rows = marks["source_id"] == source_id
        part = marks[rows]
        colour = _source_colour(source_id, order)
        source = esc(labels.get(source_id, part["source_title"].iloc[0]))
        spread = (part["high_usd_bn"] - part["low_usd_bn"]).abs().sum() > 0
        fig.add_trace(
            go.Scatter(
                x=x[rows],
                y=part["trade_usd_bn"],
                mode="markers",
                name=source,
                legendgroup="sources",
                marker=dict(
                    size=13,
                    color=colour,
                    symbol=[QUALIFIER_MARKS[q][0] for q in part["qualifier"]],
                    line=dict(width=2, color=colour),
                ),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=part["high_usd_bn"] - part["trade_usd_bn"],
                    arrayminus=part["trade_usd_bn"] - part["low_usd_bn"],
                    color=colour,
                    thickness=1,
                )
                if spread
                else None,
                customdata=part[["id", "qualifier"]].to_numpy(),
                hovertext=[_mark_hover(r, source) for r in part.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if events is not None and not events.empty:
        when = events["date"].dt
        event_x = when.year + (when.day_of_year - 1) / 365.25
        fig.add_trace(
            go.Scatter(
                x=event_x,
                y=[0.04] * len(events),
                yaxis="y2",
                mode="markers",
                name="events named in the texts",
                marker=dict(symbol="diamond", size=10, color="#c77c1e"),
                hovertext=[
                    f"<b>{esc(e.title, 60)}</b><br>{esc(e.when)} ({esc(e.status)}, date {esc(e.date_basis)})<br>"
                    f"source: {esc(e.source_title)}<br><i>“{esc(e.quote, 70)}”</i>"
                    for e in events.itertuples()
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
        fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1], visible=False, fixedrange=True))
    lo, hi = int(trade["year"].min()), int(trade["year"].max())
    if events is not None and not events.empty:
        hi = max(hi, int(events["date"].dt.year.max()))
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        height=460,
        hovermode="closest",
        xaxis=dict(
            range=[lo - 0.7, hi + 0.7],
            dtick=1 if hi - lo < 8 else None,
            tickformat="d",
        ),
        yaxis=dict(
            title="Trade, US$ billion" + (" (log scale)" if log else ""),
            type="log" if log else "linear",
        ),
    )
    _subtitle(
        fig,
        MARK_KEY + " " + CONNECTOR_NOTE,
        "Sources: " + "; ".join(labels.get(s, s) for s in order) + ".",
    )
    return fig


def _mark_hover(r, source: str) -> str:
    """Hover text of one mark: a figure as stated, or (for large tables) a group of figures."""
    when = esc(year_label(r.year, r.year_basis))
    if r.figures > 1:
        head = (
            f"<b>{r.figures:,} figures</b> ({esc(r.qualifier)}) in {when}: median "
            f"US${r.trade_usd_bn:,.1f} bn, range {r.low_usd_bn:,.1f}–{r.high_usd_bn:,.1f}<br>"
            f"first: “{esc(r.reported_as)}”<br>"
        )
    else:
        head = (
            f"<b>{esc(qualified(r.trade_usd_bn, r.qualifier))}</b> in {when}<br>"
            f"qualifier: {esc(r.qualifier)} · as written: “{esc(r.reported_as)}”<br>"
        )
    note = (" — " + esc(r.year_note, 70)) if r.year_note else ""
    return (
        f"{head}year: {esc(r.year_basis)}{note}<br>source: {source}<br><i>“{esc(r.quote, 70)}”</i>"
    )


def growth_waterfall(periods: pd.DataFrame, by_year: pd.DataFrame) -> go.Figure:
    """From the first figure to the last, step by step, each step labelled with its CAGR."""
    title = "How trade grew between figures (US$ billion; CAGR per period)"
    if periods.empty:
        return empty_figure(
            title, "Growth needs at least two years with trade figures in the range."
        )
    first = by_year.iloc[0]
    last = by_year.iloc[-1]
    labels = {int(r.year): year_label(int(r.year), r.year_basis) for r in by_year.itertuples()}
    x = (
        [labels[int(first.year)]]
        + [f"{labels[int(p.from_year)]}→{labels[int(p.to_year)]}" for p in periods.itertuples()]
        + [f"{labels[int(last.year)]} total"]
    )
    y = [first.trade_usd_bn] + list(periods["change_usd_bn"]) + [0]
    text = (
        [esc(qualified(first.trade_usd_bn, first.qualifier))]
        + [f"{p.change_usd_bn:+.1f}<br>{p.cagr_percent:.1f}%/yr" for p in periods.itertuples()]
        + [esc(qualified(last.trade_usd_bn, last.qualifier))]
    )
    hover = (
        [f"{esc(labels[int(first.year)])}: {esc(first.reported_as)}"]
        + [
            f"{esc(labels[int(p.from_year)])} → {esc(labels[int(p.to_year)])}: {p.change_usd_bn:+.1f} bn "
            f"over {p.years} yr, ×{p.multiple:.2f}, CAGR {p.cagr_percent:.1f}%<br>"
            f"from “{esc(p.from_reported_as)}” to “{esc(p.to_reported_as)}”"
            for p in periods.itertuples()
        ]
        + [f"{esc(labels[int(last.year)])}: {esc(last.reported_as)}"]
    )
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=["absolute"] + ["relative"] * len(periods) + ["total"],
            text=text,
            textposition=["outside"] * (len(x) - 1) + ["inside"],
            insidetextfont=dict(color="white"),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            connector=dict(line=dict(color="#9aa5b1", dash="dot")),
            increasing=dict(marker=dict(color="#3c8d6e")),
            decreasing=dict(marker=dict(color="#b13d2e")),
            totals=dict(marker=dict(color="#2f5d9e")),
        )
    )
    top = max(by_year["trade_usd_bn"]) * 1.25
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        height=420,
        showlegend=False,
        xaxis=dict(type="category"),
        yaxis=dict(title="Trade, US$ billion", range=[0, top]),
    )
    _subtitle(
        fig,
        "CAGR = compound annual growth rate between two figures; approximate where either figure is.",
    )
    return fig


def share_bar(share: pd.DataFrame) -> go.Figure:
    """A donut per year: China–Russia trade's share of China's total trade, and the rest.

    The subtitle gives the total the share implies (trade ÷ share), as hedged as the share.
    """
    title = "China–Russia trade as a share of China's total trade"
    if share.empty:
        return empty_figure(title, "The texts give no share for the years in this range.")
    fig = go.Figure()
    n = len(share)
    for i, row in enumerate(share.itertuples()):
        hedge = QUALIFIER_WORDS.get(row.qualifier, "")
        implied = (
            f"implied China total: {esc(qualified(row.implied_china_total_usd_bn, row.implied_qualifier))}"
            f" (US${row.trade_usd_bn:g} bn ÷ {row.share_percent:g}%)"
            if pd.notna(row.implied_china_total_usd_bn)
            else "no trade figure for that year, so no implied total"
        )
        quote = f"<i>“{esc(row.quote, 70)}”</i>"
        fig.add_trace(
            go.Pie(
                labels=["China–Russia", "rest of China's trade"],
                values=[row.share_percent, 100 - row.share_percent],
                hole=0.62,
                sort=False,
                direction="clockwise",
                marker=dict(colors=["#b13d2e", "#d5dae1"], line=dict(color="white", width=1)),
                textinfo="none",
                hovertext=[
                    f"China–Russia: {hedge}{row.share_percent:g}% in {row.year}<br>{implied}<br>{quote}",
                    f"rest of China's trade: {hedge}{100 - row.share_percent:g}%<br>{implied}",
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                domain=dict(x=[i / n, (i + 1) / n], y=[0, 1]),
                showlegend=i == 0,
                name=str(row.year),
            )
        )
        fig.add_annotation(
            text=f"<b>{esc(hedge)}{row.share_percent:g}%</b><br>{esc(transform_year(row))}",
            x=(i + 0.5) / n,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font=dict(size=15, color=INK),
        )
    fig.update_layout(template=TEMPLATE, title=dict(text=title), height=400)
    notes = [
        f"{r.year}: {QUALIFIER_WORDS.get(r.qualifier, '')}{r.share_percent:g}% of China's trade; with "
        f"US${r.trade_usd_bn:g} bn of China–Russia trade that implies a China total of "
        f"{qualified(r.implied_china_total_usd_bn, r.implied_qualifier)}."
        for r in share.itertuples()
        if pd.notna(r.implied_china_total_usd_bn)
    ]
    _subtitle(fig, *(notes or ["No trade figure for the share's year, so no implied total."]))
    return fig


def transform_year(row) -> str:
    return year_label(int(row.year), row.year_basis)


def trade_gdp_bars(ratio: pd.DataFrame) -> go.Figure:
    """Trade as a percentage of each economy's GDP, grouped by year."""
    title = "China–Russia trade relative to each economy's GDP"
    if ratio.empty:
        return empty_figure(title, "No year in this range has both a trade figure and GDP data.")
    fig = go.Figure()
    for country, part in ratio.groupby("country", sort=True):
        fig.add_trace(
            go.Bar(
                x=part["year"].astype(str),
                y=part["trade_pct_of_gdp"],
                name=esc(country),
                marker_color=COUNTRY_COLOURS.get(country, MUTED),
                texttemplate="%{y:.1f}%",
                textposition="outside",
                hovertext=[
                    f"<b>{esc(r.country)} {r.year}</b>: trade {esc(qualified(r.trade_usd_bn, r.qualifier))} "
                    f"= {QUALIFIER_WORDS.get(r.qualifier.split(' / ')[0], '')}{r.trade_pct_of_gdp:.2f}% "
                    f"of GDP (US${r.gdp_usd_bn:,.0f} bn, World Bank)"
                    for r in part.itertuples()
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        barmode="group",
        height=400,
        xaxis=dict(type="category"),
        yaxis=dict(title="Trade, % of GDP"),
    )
    _subtitle(
        fig,
        "GDP: World Bank, GDP (current US$), NY.GDP.MKTP.CD, CC BY 4.0. Trade: the documents' figures.",
    )
    return fig


def source_bars(contrib: pd.DataFrame, source_labels: dict[str, str] | None = None) -> go.Figure:
    """How many figures each source gives, per indicator (doubtful ones flagged in the legend)."""
    title = "What each source contributes (number of figures)"
    if contrib.empty:
        return empty_figure(title, "No figures in this year range.")
    frame = contrib.assign(
        source=[
            esc((source_labels or {}).get(i, t), 40)
            for i, t in zip(contrib["source_id"], contrib["source_title"], strict=True)
        ],
        legend=[
            label + (" (⚠ doubtful)" if doubtful else "")
            for label, doubtful in zip(contrib["indicator_label"], contrib["doubtful"], strict=True)
        ],
    )
    fig = go.Figure()
    for legend, part in frame.groupby("legend", sort=False):
        fig.add_trace(
            go.Bar(
                y=part["source"],
                x=part["figures"],
                orientation="h",
                name=esc(legend),
                marker_color=INDICATOR_COLOURS.get(part["indicator"].iloc[0], MUTED),
                hovertext=[
                    f"{esc(legend)}: {n}<br>{esc(capped_join(ids.split('; ')), 60)}"
                    for n, ids in zip(part["figures"], part["ids"], strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    fig.update_layout(
        template=TEMPLATE, title=dict(text=title), barmode="stack", height=340, xaxis=dict(dtick=1)
    )
    _subtitle(fig, "Bars count the figures each source states in the range, by what they measure.")
    return fig
