"""Figure factories for imported trade: a frame from `sinorus.flows` in, a Plotly figure out.

House template and escaping as in `sinorus.charts`: every text from the data reaches Plotly
through `esc()`. Mirror figures are told apart by line dash and marker: solid lines and filled
circles for what China reports, dashed lines and open diamonds for what Russia reports.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sinorus import i18n
from sinorus.charts import (
    HOVER,
    LEGEND_CHARS,
    MUTED,
    TEMPLATE,
    empty_figure,
    esc,
    gap_bridges,
    marks_key,
    over_years,
    qualified,
    qualifier_marker,
    series_colour,
    side_by_side,
    subtitle,
    with_breaks,
)
from sinorus.flows import REPORTER_NAMES, flow_shown, label_shown, series_shown
from sinorus.i18n import N_, _, money_bn

FLOW_COLOURS = {"china_exports": "#b13d2e", "china_imports": "#2f5d9e", "balance": "#3c8d6e"}
REPORTER_STYLE = {  # dash, marker symbol
    "CHN": ("solid", "circle"),
    "RUS": ("dash", "diamond-open"),
    "": ("dot", "square-open"),
}
SECTION_PALETTE = [
    "#2f5d9e",
    "#b13d2e",
    "#3c8d6e",
    "#c77c1e",
    "#8a5a9e",
    "#4b8fb3",
    "#a34d6d",
    "#6b8e23",
    "#b5892e",
    "#5a6f8a",
    "#9e5a3c",
    "#3f7f7f",
]
OTHER_GREY = "#b9c0c8"
MIRROR_NOTE = N_(
    "Solid lines, filled marks: as China reports. Dashed lines, open diamonds: as Russia reports "
    "(mirror figures: imports are valued CIF, exports FOB, so the two differ; never added "
    "together). Balance = China's exports − China's imports, within one reporter's figures."
)


def _refs(text: str, limit: int = 3) -> str:
    parts = [p for p in str(text).split("; ") if p]
    shown = "<br>".join(esc(p, 80) for p in parts[:limit])
    more = _("… and {count} more row(s)").format(count=len(parts) - limit)
    return shown + (f"<br>{more}" if len(parts) > limit else "")


#: Whose figures a series is, by reporter (Russia's are the mirror of China's).
REPORTED_BY = {"CHN": N_("reported by China"), "RUS": N_("reported by Russia (mirror)")}
#: The same, in a chart's title.
AS_REPORTED = {"CHN": N_("as China reports it"), "RUS": N_("as Russia reports it")}


def reported_by(reporter: str) -> str:
    """'reported by China', 'reported by Russia (mirror)', in the page's language."""
    if reporter in REPORTED_BY:
        return _(REPORTED_BY[reporter])
    return _("reported by {reporter}").format(reporter=REPORTER_NAMES.get(reporter, reporter))


def as_reported(reporter: str) -> str:
    """'as China reports it', in the page's language."""
    if reporter in AS_REPORTED:
        return _(AS_REPORTED[reporter])
    return _("as {reporter} reports it").format(reporter=REPORTER_NAMES.get(reporter, reporter))


def broken_line(part: pd.DataFrame, value: str, hover: list[str], **style) -> list[go.Scatter]:
    """A series' line and marks (`style`: name, colours, customdata columns in
    `style["customdata"]`) broken where it has no figure for a year, and a thin dotted line of
    the same colour across each gap (no data: no hover, not in the legend), as the documents'
    own chart joins its figures."""
    part = part.sort_values("year", kind="stable").assign(_hover=hover)
    columns = style.pop("customdata", None)
    full = with_breaks(part)
    trace = go.Scatter(
        x=full["year"],
        y=full[value],
        hovertext=full["_hover"].fillna("").tolist(),
        customdata=full[columns].to_numpy() if columns else None,
        hovertemplate=HOVER,
        **style,
    )
    x, y = gap_bridges(part["year"], part[value])
    if not x:
        return [trace]
    bridge = go.Scatter(
        x=x,
        y=y,
        mode="lines",
        line=dict(color=style["line"]["color"], width=1.5, dash="dot"),
        hoverinfo="skip",
        showlegend=False,
        legendgroup=style.get("legendgroup") or style.get("name"),
        name=_("{name}: no figures between (dotted)").format(name=style.get("name", "")),
    )
    return [trace, bridge]


def direction_chart(frame: pd.DataFrame) -> go.Figure:
    """China's exports to / imports from Russia and the balance, per reporter, over time.

    `frame` is `flows.direction_frame`. One trace per file, reporter and flow.
    """
    title = _("China–Russia trade by direction, US$ billion (imported data)")
    if frame.empty:
        return empty_figure(title, _("No imported trade by direction in this year range."))
    fig = go.Figure()
    several = frame["family"].nunique() > 1
    for (_family, rep, flow), part in frame.groupby(["family", "reporter", "flow"], sort=False):
        dash, symbol = REPORTER_STYLE.get(rep, REPORTER_STYLE[""])
        colour = FLOW_COLOURS.get(flow, MUTED)
        who = reported_by(rep)
        name = _("{flow}, {who}").format(flow=flow_shown(flow), who=who) + (
            f" · {series_shown(part['series'].iloc[0])}" if several else ""
        )
        hover = [
            _("<b>{flow}</b>, {year}: {amount}<br>{who}; valuation {valuation}").format(
                flow=esc(flow_shown(r.flow)),
                year=r.year,
                amount=money_bn(r.value_usd_bn, ",.2f"),
                who=esc(who),
                valuation=esc(r.valuation),
            )
            + f"<br>{esc(series_shown(r.series))} · {esc(r.basis, 80)}<br><i>{_refs(r.row_refs)}</i>"
            for r in part.itertuples()
        ]
        for trace in broken_line(
            part,
            "value_usd_bn",
            hover,
            mode="lines+markers",
            name=esc(name, LEGEND_CHARS),
            legendgroup=esc(name, LEGEND_CHARS),
            line=dict(color=colour, dash=dash, width=2),
            marker=dict(symbol=symbol, size=10, color=colour, line=dict(width=2, color=colour)),
            customdata=["family", "reporter", "flow"],
        ):
            fig.add_trace(trace)
    lo, hi = int(frame["year"].min()), int(frame["year"].max())
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        height=560,  # six legend entries of two or three lines each, under the plot on a phone
        hovermode="closest",
        xaxis=over_years(lo, hi, 0.5, dense_below=12),
        yaxis=dict(title=_("US$ billion"), rangemode="normal", zeroline=True, zerolinecolor=MUTED),
        # the figure's width, not the plot's, and no gap between entries (each is a group of
        # its line and its dotted bridge): fits a phone
        legend=dict(xref="container", x=0, tracegroupgap=0),
    )
    subtitle(
        fig,
        _(MIRROR_NOTE),
        _("Source: {source}.").format(
            source="; ".join(series_shown(s) for s in dict.fromkeys(frame["series"]))
        ),
    )
    return fig


def commodity_treemap(frame: pd.DataFrame) -> go.Figure:
    """One year's trade by HS chapter within its section (or by section), top N plus other.

    `frame` is `flows.commodity_frame`.
    """
    if frame.empty:
        return empty_figure(
            _("Trade by commodity (imported data)"),
            _("No HS commodity rows for this year, direction and reporter."),
        )
    first = frame.iloc[0]
    fields = dict(
        flow=flow_shown(first["flow"]), year=int(first["year"]), who=as_reported(first["reporter"])
    )
    if first["level"] == "chapter":
        title = _("{flow}, {year}, {who}: by HS chapter").format(**fields)
    elif first["level"] == "section":
        title = _("{flow}, {year}, {who}: by HS section").format(**fields)
    else:
        title = _("{flow}, {year}, {who}: by HS {level}").format(**fields, level=first["level"])
    total = float(frame["value_usd_bn"].sum())
    nodes = [
        (
            "root",
            esc(_("All commodities")),
            "",
            0.0,
            _("All commodity rows: {total}").format(total=money_bn(total, ",.2f")),
            "white",
        )
    ]
    palette: dict = {}
    if first["level"] == "chapter":
        nodes += _section_nodes(frame, palette)
    nodes += [_commodity_node(r, palette) for r in frame.itertuples()]
    ids, labels, parents, values, hovers, colours = (list(x) for x in zip(*nodes, strict=True))
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="remainder",  # parents add up their children exactly
            marker=dict(colors=colours, line=dict(color="white", width=1)),
            hovertext=hovers,
            hovertemplate=HOVER,
            texttemplate=[
                "%{label}" if i.startswith(("root", "s-")) else _("%{label}<br>%{value:,.1f} bn")
                for i in ids
            ],
            sort=True,
        )
    )
    fig.update_layout(template=TEMPLATE, title=dict(text=esc(title)), height=520)
    subtitle(
        fig,
        _(
            "US$ billion; shares are of the file's commodity rows for this selection ({total}). "
            "HS sections: World Customs Organization."
        ).format(total=money_bn(total, ",.1f")),
        _("Source: {source}.").format(source=series_shown(first["series"])),
    )
    return fig


def _section_nodes(frame: pd.DataFrame, palette: dict) -> list[tuple]:
    """One node per HS section (id, label, parent, value, hover, colour): the sum of its
    chapters ("remainder"), each section its own colour (kept in `palette`)."""
    nodes = []
    for section, part in frame[frame["code"] != "other"].groupby("section", sort=False):
        palette[section] = SECTION_PALETTE[len(palette) % len(SECTION_PALETTE)]
        label = label_shown(part["section_label"].iloc[0], section, "section")
        hover = (
            f"<b>{esc(label)}</b>: {money_bn(part['value_usd_bn'].sum(), ',.2f')} "
            f"({i18n.percent(part['share_percent'].sum(), '.1f')})"
        )
        nodes.append((f"s-{section}", esc(label, 28), "root", 0.0, hover, palette[section]))
    return nodes


def _commodity_node(r, palette: dict) -> tuple:
    """One chapter's (or section's, or 'other''s) node."""
    is_other = r.code == "other"
    label = label_shown(r.label, r.code, r.level)
    hover = (
        f"<b>{esc(label)}</b><br>"
        + _("{amount}, {share} of the commodity rows · {rows} row(s)").format(
            amount=money_bn(r.value_usd_bn, ",.2f"),
            share=i18n.percent(r.share_percent, ".1f"),
            rows=r.rows,
        )
        + (_codes(r.codes) if is_other else "")
    )
    if is_other:
        colour = OTHER_GREY
    elif r.level == "chapter":
        colour = palette[r.section]
    else:
        colour = SECTION_PALETTE[(r.rank - 1) % len(SECTION_PALETTE)]
    parent = "root" if is_other or r.level == "section" else f"s-{r.section}"
    return (f"c-{r.code}", esc(label, 24), parent, float(r.value_usd_bn), hover, colour)


def _codes(codes: str) -> str:
    return "<br>" + _("codes: {codes}").format(codes=esc(codes, 80))


def commodity_area(frame: pd.DataFrame) -> go.Figure:
    """Trade by HS section (or chapter) over the years, stacked; `flows.commodity_over_time`."""
    if frame.empty:
        return empty_figure(
            _("Trade by commodity over time (imported data)"),
            _("No HS commodity rows for this range, direction and reporter."),
        )
    first = frame.iloc[0]
    fields = dict(flow=flow_shown(first["flow"]), who=as_reported(first["reporter"]))
    if first["level"] == "chapter":
        title = _("{flow}, {who}: by HS chapter, US$ billion").format(**fields)
    elif first["level"] == "section":
        title = _("{flow}, {who}: by HS section, US$ billion").format(**fields)
    else:
        title = _("{flow}, {who}: by HS {level}, US$ billion").format(
            **fields, level=first["level"]
        )
    fig = go.Figure()
    for i, (code, part) in enumerate(frame.groupby("code", sort=False)):
        colour = OTHER_GREY if code == "other" else SECTION_PALETTE[i % len(SECTION_PALETTE)]
        label = label_shown(part["label"].iloc[0], code, first["level"])
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["value_usd_bn"],
                name=esc(label, 40),
                mode="lines",
                stackgroup="one",
                line=dict(color=colour, width=1),
                fillcolor=colour,
                customdata=part[["code", "share_percent"]].to_numpy(),
                hovertext=[
                    f"<b>{esc(label)}</b>, {r.year}: {money_bn(r.value_usd_bn, ',.2f')} "
                    f"({i18n.percent(r.share_percent, '.1f')})"
                    + (_codes(r.codes) if code == "other" else "")
                    for r in part.itertuples()
                ],
                hovertemplate=HOVER,
            )
        )
    lo, hi = int(frame["year"].min()), int(frame["year"].max())
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=esc(title)),
        height=480,
        hovermode="x unified",
        xaxis=dict(range=[lo, hi], dtick=1 if hi - lo < 12 else None, tickformat="d"),
        yaxis=dict(title=_("US$ billion")),
    )
    subtitle(
        fig,
        _(
            "Stacked: the top categories over the whole range, the rest as 'other'. Only years "
            "with commodity rows are drawn. HS sections: World Customs Organization."
        ),
        _("Source: {source}.").format(source=series_shown(first["series"])),
    )
    return fig


def imported_total_traces(totals: pd.DataFrame) -> list[go.Scatter]:
    """One line trace per imported series of `flows.totals_frame` (documents left out), to add
    to any trade-over-time figure: `for t in imported_total_traces(f): fig.add_trace(t)`."""
    imported = totals[totals["kind"] == "imported"]
    order = list(dict.fromkeys(imported["series"]))
    traces = []
    for series, part in imported.groupby("series", sort=False):
        rep = part["reporter"].iloc[0]
        dash, symbol = REPORTER_STYLE.get(rep, REPORTER_STYLE[""])
        colour = series_colour(series, order)
        part = part.sort_values("year", kind="stable")
        shown = series_shown(series)
        hover = [
            _("<b>{amount}</b> in {year}").format(
                amount=esc(qualified(r.value_usd_bn, r.qualifier)), year=r.year
            )
            + f"<br>{esc(shown)}<br>{esc(r.basis, 80)}<br><i>{_refs(r.row_refs)}</i>"
            for r in part.itertuples()
        ]
        traces += broken_line(
            part,
            "value_usd_bn",
            hover,
            mode="lines+markers",
            name=esc(shown, LEGEND_CHARS),
            legendgroup="imported",
            line=dict(color=colour, dash=dash, width=2),
            marker=dict(symbol=symbol, size=9, color=colour, line=dict(width=2, color=colour)),
            customdata=["ids"],
        )
    return traces


def totals_chart(totals: pd.DataFrame) -> go.Figure:
    """The documents' figures (marks, by source and qualifier) and each imported total series
    (lines) on the same axes; `flows.totals_frame`."""
    title = _("China–Russia trade: the documents' figures and imported totals, US$ billion")
    if totals.empty:
        return empty_figure(title, _("No trade figures in this year range."))
    fig = go.Figure()
    docs = totals[totals["kind"] == "document"]
    order = list(dict.fromkeys(docs["series_id"]))
    for (sid, series), part in docs.groupby(["series_id", "series"], sort=False):
        colour = series_colour(sid, order)
        fig.add_trace(
            go.Scatter(
                x=part["year"] + side_by_side(part["year"]),  # one year's readings side by side
                y=part["value_usd_bn"],
                mode="markers",
                name=esc(_("document: {series}").format(series=series), LEGEND_CHARS),
                legendgroup="documents",
                marker=qualifier_marker(part["qualifier"], colour),
                customdata=part[["ids"]].to_numpy(),
                hovertext=[
                    _("<b>{amount}</b> in {year}").format(
                        amount=esc(qualified(r.value_usd_bn, r.qualifier)), year=r.year
                    )
                    + f"<br>{esc(series)}<br>{esc(r.basis, 80)}<br><i>“{esc(r.row_refs, 70)}”</i>"
                    for r in part.itertuples()
                ],
                hovertemplate=HOVER,
            )
        )
    for trace in imported_total_traces(totals):
        fig.add_trace(trace)
    lo, hi = int(totals["year"].min()), int(totals["year"].max())
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        height=480,
        hovermode="closest",
        xaxis=over_years(lo, hi, 0.7),
        yaxis=dict(title=_("Trade, US$ billion")),
        legend=dict(xref="container", x=0),  # the figure's width, not the plot's: fits a phone
    )
    subtitle(
        fig,
        _(
            "Marks: the documents' figures as stated ({marks}). Lines: imported totals, one per "
            "dataset and reporter (solid China, dashed Russia); each is its own series, never "
            "combined with the documents or with each other."
        ).format(marks=marks_key()),
    )
    return fig


def overlay_imported_totals(fig: go.Figure, totals: pd.DataFrame) -> go.Figure:
    """Add the imported total series to an existing trade-over-time figure (e.g.
    `charts.trade_timeseries`), widening its x range to cover them. Returns `fig`."""
    traces = imported_total_traces(totals)
    if not traces:
        return fig
    for trace in traces:
        fig.add_trace(trace)
    imported = totals[totals["kind"] == "imported"]
    current = fig.layout.xaxis.range
    lo, hi = int(imported["year"].min()), int(imported["year"].max())
    if current is not None:
        lo, hi = min(lo, current[0] + 0.7), max(hi, current[1] - 0.7)
    fig.update_layout(xaxis=dict(range=[lo - 0.7, hi + 0.7], dtick=None))
    return fig
