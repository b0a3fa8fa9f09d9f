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
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sinorus import i18n
from sinorus.flows import series_shown
from sinorus.i18n import N_, _, data_label, long_date, money_bn, money_bn_range, month_year, number
from sinorus.record import FLAG_PCT, basis_shown, reason_shown
from sinorus.transform import by_year_of, capped_join, trade_marks, year_label
from sinorus.vocab import QUALIFIERS

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
QUALIFIER_MARKS = {q.id: (q.symbol, q.legend) for q in QUALIFIERS.values()}  # symbol, legend
#: The hedge words before an amount, in English ('about '); in the page's language:
#: `qualifier_word`, `qualified`, `hedged_percent`.
QUALIFIER_WORDS = {q.id: q.words for q in QUALIFIERS.values()}

#: Which way a triangle points, in the marks' key (after the qualifier's label).
_MARK_HINTS = {"nearly": N_("a little below"), "at_least": N_("reached or above")}


def marks_key() -> str:
    """The marks' key in the page's language:
    '● exact  ○ about  ▼ nearly (a little below)  ▲ at least (reached or above)'."""
    return "  ".join(
        f"{q.mark} "
        + (
            _("{label} ({hint})").format(label=_(q.label), hint=_(_MARK_HINTS[q.id]))
            if q.id in _MARK_HINTS
            else _(q.label)
        )
        for q in QUALIFIERS.values()
    )


#: The marks' key in English (see `marks_key` for the page's language).
MARKS = "  ".join(
    f"{q.mark} {q.label}" + (f" ({_MARK_HINTS[q.id]})" if q.id in _MARK_HINTS else "")
    for q in QUALIFIERS.values()
)


def mark_key() -> str:
    """'<marks>; colour = source; c. 1997 = a year read from context.' in the page's language."""
    return _("{marks}; colour = source; {example} = a year read from context.").format(
        marks=marks_key(), example=year_label(1997, "derived")
    )


MARK_KEY = f"{MARKS}; colour = source; c. 1997 = a year read from context."
CONNECTOR_NOTE = N_(
    "Marks are the figures as the texts state them. Dotted lines only join them: "
    "there are no figures for the years between."
)


def _register_template() -> None:
    """The house look, built from scratch (not on plotly_white) so that each figure's JSON
    carries only the few settings used here."""
    axis = dict(automargin=True, color=INK, title=dict(standoff=8), tickfont=dict(size=12))
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
            margin=dict(l=56, r=16, t=16, b=40),
            hoverlabel=dict(
                bgcolor="white", bordercolor=GRID, font=dict(size=12, color=INK), align="left"
            ),
            # Below the plot, measured from the figure's bottom edge (not a fraction of the plot
            # height), so at any width it sits under the tick labels, never on them.
            legend=dict(
                orientation="h",
                yref="container",
                y=0,
                yanchor="bottom",
                x=0,
                xanchor="left",
                title_text="",
                font=dict(size=12),
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
    """The figure with its hedge, e.g. 'nearly US$40 bn' or 'nearly / at least US$40 bn'; up to
    two decimals, as figures are written (US$48.16 bn, never rounded to US$48.2 bn). In the
    page's language: '近400亿美元', 'почти 40 млрд долл. США'."""
    words = " / ".join(filter(None, (qualifier_word(q) for q in qualifier.split(" / "))))
    amount = money_bn(value, "~") if unit == "US$ bn" else f"{number(value, '~')} {unit}"
    if not words:
        return amount
    return _("{hedge} {amount}").format(hedge=words, amount=amount)


def qualifier_word(qualifier: str) -> str:
    """The hedge written before an amount ('about'), in the page's language; '' for exact."""
    q = QUALIFIERS.get(qualifier)
    if q is None:
        return qualifier
    return _(q.label) if q.words else ""


def hedged_percent(value: float, qualifier, spec: str = "g") -> str:
    """A percentage with its hedge ('about 2%', '约2%', 'около 2 %'); a qualifier that is not
    one of the vocabulary's (or 'exact') adds no word."""
    amount = i18n.percent(value, spec)
    word = qualifier_word(qualifier) if qualifier in QUALIFIERS else ""
    return _("{hedge} {amount}").format(hedge=word, amount=amount) if word else amount


def signed_bn(value: float, spec: str = "+.1f") -> str:
    """A change in US$ billion with its sign: '+12.3 bn' in English, '+123亿美元',
    '+12,3 млрд долл. США'."""
    if i18n.current() in (i18n.DEFAULT, i18n.PSEUDO):
        return f"{number(value, spec)} bn"
    sign = "+" if value >= 0 else "−"
    return sign + money_bn(abs(value), spec.replace("+", ""))


def subtitle(fig: go.Figure, *notes: str) -> None:
    """File the figure's title and notes as its header (`layout.meta["header"]`, plain text).

    On the page the header is HTML above the chart (`sinorus.ui.widgets.chart`): a heading that
    names the chart and notes that wrap to the chart's width at any screen size, which Plotly's
    unwrapped SVG titles cannot do. Exports put it back inside the picture (`with_header`), with
    the source line, licence and address (`sinorus.images`). The plot itself keeps only a thin top
    margin, so nothing of Plotly's sits between the header and the plot.
    """
    title = fig.layout.title.text or ""
    fig.update_layout(
        title=None,
        meta={"header": {"title": _plain(title), "notes": [n for n in notes if n]}},
    )


def _plain(text: str) -> str:
    """Plotly label text (escaped, with <br>) back to plain text."""
    return html.unescape(text.replace("<br>", " ")).strip()


def header(fig: go.Figure) -> dict:
    """The figure's header: {"title": str, "notes": [str], "layers": [str]} in plain text
    (unescaped). `layers` are sentences on what a context layer drawn in the figure shows
    (`describe_layer`): said after the chart's own sentence on the page and in its accessible
    name, and with the notes in a picture."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    found = meta.get("header") or {}
    title = found.get("title") or _plain(fig.layout.title.text or "")
    return {
        "title": title,
        "notes": list(found.get("notes") or []),
        "layers": list(found.get("layers") or []),
    }


def describe_layer(fig: go.Figure, sentence: str) -> go.Figure:
    """File one sentence on a context layer of `fig` in its header (see `header`)."""
    head = header(fig)
    fig.update_layout(meta={"header": {**head, "layers": head["layers"] + [sentence]}})
    return fig


def with_header(
    fig: go.Figure, *, footer: list[str] | None = None, width: int = 1000, chars: int = 100
) -> go.Figure:
    """A copy of `fig`, `width` px wide, with its header inside the picture (title and notes
    wrapped at `chars` characters) and `footer` lines (source, licence, address) under the plot:
    a chart that still says what it is and where it comes from once pasted elsewhere.

    The bottom margin is reserved in pixels (tick labels, legend rows, footer), so the legend
    sits above the footer and below the ticks whatever the plot's size.
    """
    head = header(fig)
    out = go.Figure(fig)
    title_lines = textwrap.wrap(head["title"], int(chars * 0.75)) or [""]
    notes = [line for note in head["notes"] + head["layers"] for line in textwrap.wrap(note, chars)]
    foot = [line for text in footer or [] for line in textwrap.wrap(text, int(chars * 1.2))]
    # a treemap (or any trace without a legend entry) has no `showlegend`: it takes no legend row
    legend_items = sum(
        1 for t in out.data if getattr(t, "showlegend", False) is not False and t.name
    )
    legend_rows = math.ceil(legend_items * 230 / (width - 80)) if legend_items > 1 else 0
    foot_px = 14 * len(foot) + 10 if foot else 0
    legend_px = 22 * legend_rows
    ticks_px = 56
    top = 28 + 24 * len(title_lines) + 17 * len(notes) + 12
    bottom = ticks_px + legend_px + foot_px
    height = int((out.layout.height or 450) - 56 + top + bottom)
    out.update_layout(
        width=width,
        height=height,
        title=dict(
            text="<br>".join(esc(line) for line in title_lines),
            subtitle=dict(
                text="<br>".join(esc(line) for line in notes), font=dict(size=13, color=MUTED)
            ),
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(l=16, t=20, b=8),
            font=dict(size=20, color=INK),
        ),
        margin=dict(t=top, b=bottom, l=max(out.layout.margin.l or 56, 56)),
        legend=dict(yref="container", y=(foot_px + 4) / height, yanchor="bottom"),
    )
    if foot:
        out.add_annotation(
            text="<br>".join(esc(line) for line in foot),
            x=0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            yshift=-bottom + 6,
            align="left",
            showarrow=False,
            font=dict(size=11, color=MUTED),
        )
    return out


def fold_axis_titles(fig: go.Figure, longer_than: int = 16) -> go.Figure:
    """Each y-axis title of `fig` longer than `longer_than` characters on two lines, the same
    words (in place). For a short plot, such as a chart alone in a frame 400 px tall: a title
    in one line ran the whole height of its axis, from the top tick to the x axis."""

    def fold(axis) -> None:
        text = axis.title.text
        if not text or "<br>" in text or len(_plain(text)) <= longer_than:
            return
        words = _plain(text).split()
        lines = min(
            ([" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))),
            key=lambda two: max(map(len, two)),
            default=[" ".join(words)],
        )
        axis.update(title_text="<br>".join(esc(line) for line in lines))

    fig.for_each_yaxis(fold)
    return fig


def log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Whole-value ticks for a log axis, 1-2-5 per decade (… 1, 2, 5, 10, 20, 50 …), from the
    tick at or below `lo` to the one at or above `hi`, each labelled with its full value.

    Plotly's own log ticks label 20, 30, 40 as "2, 3, 4" inside a decade: numbers that read as
    wrong ones. These never do.
    """
    if not (lo > 0 and hi > 0):
        raise ValueError("a log axis needs positive values")
    lo, hi = min(lo, hi), max(lo, hi)
    steps = [
        float(f"{mantissa * 10.0**exponent:.12g}")
        for exponent in range(math.floor(math.log10(lo)) - 1, math.floor(math.log10(hi)) + 2)
        for mantissa in (1, 2, 5)
    ]
    first = [v for v in steps if v <= lo][-1]
    last = next(v for v in steps if v >= hi)
    if first == last:
        i = steps.index(first)
        first, last = steps[i - 1], steps[i + 1]
    values = [v for v in steps if first <= v <= last]
    return values, [_tick_text(v) for v in values]


def _tick_text(value: float) -> str:
    return number(value, ",.0f") if value >= 1 else number(value, "g")


def apply_log_axis(fig: go.Figure, axis: str = "yaxis", values=None) -> go.Figure:
    """Make `axis` a log axis with `log_ticks` over `values` (default: every trace's y)."""
    if values is None:
        values = [v for t in fig.data if getattr(t, "y", None) is not None for v in t.y]
    positive = [float(v) for v in values if v is not None and not pd.isna(v) and float(v) > 0]
    if not positive:
        return fig
    ticks, text = log_ticks(min(positive), max(positive))
    pad = 0.04 * (math.log10(ticks[-1]) - math.log10(ticks[0]) or 1)
    fig.update_layout(
        {
            axis: dict(
                type="log",
                tickmode="array",
                tickvals=ticks,
                ticktext=text,
                range=[math.log10(ticks[0]) - pad, math.log10(ticks[-1]) + pad],
                minor=dict(showgrid=False, ticks=""),
            )
        }
    )
    return fig


QUALIFIER_LABELS = {q.id: q.label for q in QUALIFIERS.values()}


def qualifier_label(qualifier) -> str:
    """'at_least' -> 'at least'; 'nearly / at_least' -> 'nearly / at least'; none -> ''."""
    if qualifier is None or (isinstance(qualifier, float) and pd.isna(qualifier)):
        return ""
    return " / ".join(
        _(QUALIFIER_LABELS[q]) if q in QUALIFIER_LABELS else q.replace("_", " ")
        for q in str(qualifier).split(" / ")
    )


def date_label(published) -> str:
    """'2007-08' -> 'Aug 2007', '2007-08-08' -> '8 Aug 2007', '2007' -> '2007'; else as given.
    (In the page's language: '2007年8月8日', '8 авг. 2007 г.'.)"""
    text = (
        ""
        if published is None or (isinstance(published, float) and pd.isna(published))
        else str(published)
    )
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return long_date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return month_year(int(parts[0]), int(parts[1]))
    except (ValueError, IndexError):
        return text
    return text


def source_label(publisher, published) -> str:
    """A source as a reader names it: 'East Asian Institute, 8 Aug 2007' (publisher before the
    first comma, and the date spelled out, so "(2007-08)" never reads as a period)."""
    name = str(publisher or "").split(",")[0].strip()
    when = date_label(published)
    return f"{name}, {when}" if when else name


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


def series_colour(key: str, order: list[str]) -> str:
    """A source's house colour, else the next of the other colours in the order drawn."""
    if key in SOURCE_COLOURS:
        return SOURCE_COLOURS[key]
    return OTHER_COLOURS[order.index(key) % len(OTHER_COLOURS)]


def qualifier_marker(qualifiers, colour: str, size: int = 12) -> dict:
    """The marks of figures as stated: one symbol per qualifier (see sinorus.vocab), in the
    series' colour; every chart that draws the documents' figures draws them so."""
    return dict(
        size=size,
        color=colour,
        symbol=[QUALIFIER_MARKS.get(q, ("circle",))[0] for q in qualifiers],
        line=dict(width=2, color=colour),
    )


#: Hover shows the trace's own text, escaped by `esc`, and nothing Plotly adds.
HOVER = "%{hovertext}<extra></extra>"


#: How far from its year a mark may be drawn, so that it reads as that year's: same-year marks
#: sit side by side within ±SAME_YEAR_SPREAD of it (more marks, closer together).
SAME_YEAR_SPREAD = 0.2


def side_by_side(years: pd.Series, spread: float = SAME_YEAR_SPREAD) -> pd.Series:
    """Each row's offset from its year, in years: 0 when alone in its year, else the year's
    rows evenly from −`spread` to +`spread` in their order (two: ±spread/2)."""
    rank = years.groupby(years).cumcount()
    count = years.groupby(years).transform("size")
    step = (2 * spread / (count - 1).clip(lower=1)).clip(upper=spread)
    return ((rank - (count - 1) / 2) * step).where(count > 1, 0.0).astype("float64")


def _gaps(years) -> list[int]:
    """The positions i (in `years`, ascending) after which years are missing: years[i + 1] is
    more than a year after years[i]."""
    years = [int(y) for y in years]
    return [i for i in range(len(years) - 1) if years[i + 1] - years[i] > 1]


def gap_bridges(years: pd.Series, values: pd.Series) -> tuple[list, list]:
    """x and y of the dotted segments across the years a series has no figure for: from the
    last figure before each gap to the first after it (None between segments)."""
    x, y = [], []
    pairs = list(zip(years.astype(int), values, strict=True))
    for i in _gaps(year for year, _value in pairs):
        (y0, v0), (y1, v1) = pairs[i], pairs[i + 1]
        x += [y0, y1, None]
        y += [v0, v1, None]
    return x, y


def with_breaks(part: pd.DataFrame) -> pd.DataFrame:
    """`part` (sorted by `year`) with an empty row in each run of missing years, so that a line
    drawn from it breaks there (Plotly joins only neighbouring points with values)."""
    years = part["year"].astype(int).tolist()
    missing = [years[i] + 1 for i in _gaps(years)]
    if not missing:
        return part
    holes = pd.DataFrame({"year": missing})
    return pd.concat([part, holes], ignore_index=True).sort_values("year", kind="stable")


def over_years(lo: int, hi: int, pad: float, dense_below: int = 8) -> dict:
    """An x axis of whole years from `lo` to `hi`, padded; a tick a year when the span is short."""
    return dict(
        range=[lo - pad, hi + pad], dtick=1 if hi - lo < dense_below else None, tickformat="d"
    )


EVENT_COLOUR = "#a0581a"  # 4.6:1 on white: the events strip's marks and label


def trade_timeseries(
    trade: pd.DataFrame,
    by_year: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    log: bool = False,
    source_labels: dict[str, str] | None = None,
    marks: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
    official: pd.DataFrame | None = None,
) -> go.Figure:
    """Bilateral trade, one mark per stated figure.

    `trade` is `transform.trade_series`, `by_year` its per-year summary (for the dotted
    connector), `events` (optional) `transform.events_in_range`, drawn as hoverable diamonds on a
    strip of their own under the plot (never on the US$ axis, where they would read as data).
    Colour = source, symbol = qualifier. Readings of the same year are nudged apart sideways, by
    a share of the span shown, so they stay apart on a phone too.

    `reports` (optional) is `transform.later_reports`: drawn as one muted trace of small grey
    squares under the documents' marks (`reports_layer`), listed last in the legend. The title,
    colours and legend order stay the documents'; the x range covers both.

    `official` (optional) is the official record's rows (`sinorus.layers`: one row per reporter
    and year, its exports FOB + imports CIF): one line per reporter under everything else, the
    China-reported total darker, the Russia-reported total lighter (two readings, never added).
    """
    title = _("China–Russia trade, US$ billion")
    has_layer = reports is not None and not reports.empty
    has_record = official is not None and not official.empty
    if trade.empty and not has_layer and not has_record:
        return empty_figure(title, _("No trade figures in this year range."))
    labels = source_labels or {}
    marks = trade_marks(trade) if marks is None else marks  # see transform.trade_marks_in
    has_events = events is not None and not events.empty
    drawn = [
        f[["year", "trade_usd_bn"]] for f in (reports, official) if f is not None and not f.empty
    ]
    context = pd.concat(drawn) if drawn else pd.DataFrame(columns=["year", "trade_usd_bn"])
    lo, hi = _years_drawn(trade, events if has_events else None, context if len(context) else None)
    nudge = max(0.3, min((hi - lo) * 0.05, 1.0))  # years between two readings of one year
    fig = go.Figure()
    if has_record:
        for trace in record_lines(official):
            fig.add_trace(trace)
    if not trade.empty:
        fig.add_trace(_connector(by_year))
    if has_layer:
        fig.add_trace(reports_layer(reports))  # under the documents' marks
    order = _document_marks(fig, marks, nudge, labels) if not trade.empty else []
    if has_events:
        _events_strip(fig, events)
    pad = nudge + max(0.4, (hi - lo) * 0.03)
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        height=480 if has_events else 440,
        hovermode="closest",
        xaxis=dict(
            range=[lo - pad, hi + pad],
            dtick=1 if hi - lo < 8 else None,
            tickformat="d",
            anchor="y2" if has_events else "y",
        ),
        yaxis=dict(
            title=_("Trade, US$ billion (log scale)") if log else _("Trade, US$ billion"),
            domain=[0.2, 1] if has_events else [0, 1],
        ),
    )
    if log:
        values = marks["low_usd_bn"].tolist() + marks["high_usd_bn"].tolist()
        apply_log_axis(
            fig, values=values + (context["trade_usd_bn"].tolist() if len(context) else [])
        )
    subtitle(fig, *_trade_notes(order, labels, has_record))
    if has_record:
        _record_end(fig, official, context)
    return fig


#: The official record's lines: China-reported darker and solid, Russia-reported lighter and
#: dashed (a second reading of the same trade, never added to China's).
RECORD_STYLE = {
    "CHN": dict(color="#4a5a6a", width=2.2, dash="solid"),
    "RUS": dict(color="#a3adb8", width=1.8, dash="dash"),
}
_RECORD_HOVER = N_(
    "<b>%{customdata[0]}</b> in %{x}<br>%{customdata[1]}<br>%{customdata[2]}<br>"
    "<i>IMF Direction of Trade Statistics (the official record)</i>"
)
RECORD_HOVER = _RECORD_HOVER + "<extra></extra>"
#: Whose reading a figure is ('China-reported'), by reporter.
REPORTED_BY = {"CHN": N_("China-reported"), "RUS": N_("Russia-reported")}


def reported_by(reporter) -> str:
    """'China-reported' in the page's language ('{reporter}-reported' for another)."""
    reporter = str(reporter)
    if reporter in REPORTED_BY:
        return _(REPORTED_BY[reporter])
    return _("{reporter}-reported").format(reporter=reporter)


def record_lines(official: pd.DataFrame) -> list[go.Scatter]:
    """One line per reporter of the official record (`sinorus.layers` rows of layer
    `official`), named by its `series`; hover names the reporter and the valuation."""
    traces = []
    for reporter, part in official.groupby("reporter", sort=True):
        part = part.sort_values("year")
        traces.append(
            go.Scatter(
                x=part["year"],
                y=part["trade_usd_bn"],
                mode="lines+markers",
                name=esc(_(part["series"].iloc[0])),  # marked N_ in sinorus.layers
                legendrank=1500,
                line=RECORD_STYLE.get(str(reporter), RECORD_STYLE["RUS"]),
                marker=dict(
                    size=4, color=RECORD_STYLE.get(str(reporter), RECORD_STYLE["RUS"])["color"]
                ),
                customdata=[
                    [
                        esc(qualified(r.trade_usd_bn, "exact")),
                        _("{reporter} ({valuation})").format(
                            reporter=reported_by(reporter),
                            valuation=esc(_(r.valuation)),  # marked N_ in sinorus.layers
                        ),
                        _("exports {exports} FOB + imports {imports} CIF").format(
                            exports=money_bn(r.exports_usd_bn, ",.1f"),
                            imports=money_bn(r.imports_usd_bn, ",.1f"),
                        ),
                    ]
                    for r in part.itertuples()
                ],
                hovertemplate=_(_RECORD_HOVER) + "<extra></extra>",
            )
        )
    return traces


def _record_end(fig: go.Figure, official: pd.DataFrame, context: pd.DataFrame) -> None:
    """Where the official record ends and the later reports carry on: a line and a note."""
    last = int(official["year"].max())
    if not (context["year"] > last).any():
        return
    fig.add_vline(x=last + 0.5, line=dict(color=MUTED, width=1, dash="dot"))
    fig.add_annotation(
        x=last + 0.5,
        y=1,
        yref="paper",
        xanchor="right",
        yanchor="top",
        showarrow=False,
        text=_("official record ends {year} ·<br>reports carry on →").format(year=last),
        font=dict(size=11, color=MUTED),
        align="right",
    )


def _years_drawn(trade, events, reports) -> tuple[int, int]:
    """First and last year of everything the time series draws."""
    years = [int(y) for y in (trade["year"].min(), trade["year"].max()) if pd.notna(y)]
    if events is not None:
        years += [int(events["date"].dt.year.min()), int(events["date"].dt.year.max())]
    if reports is not None:
        years += [int(reports["year"].min()), int(reports["year"].max())]
    return min(years), max(years)


REPORT_COLOUR = "#7d8590"  # 3.7:1 on white (over the 3:1 for marks): muted beside the sources
REPORTS_LEGEND = N_("later reports (context)")
#: What the layer is, after the sentence on what it shows (`sinorus.views` files both with
#: `describe_layer`: under the chart, in its accessible name and in its pictures).
REPORTS_NOTE = N_(
    "Hollow where a report hedges. Restated in our words and listed under Later reports and in "
    "Sources: context beside the documents' figures, never averaged with them or with each "
    "other. The headline names whose each figure is."
)


def _trade_notes(order: list, labels: dict, record: bool = False) -> list[str]:
    notes = [mark_key() + " " + _(CONNECTOR_NOTE)] if order else []
    if order:
        notes.append(
            _("Sources: {sources}.").format(sources="; ".join(labels.get(s, s) for s in order))
        )
    elif record:
        notes.append(
            _(
                "The documents give no figures in this range: only the official record and "
                "later reports are drawn."
            )
        )
    else:
        notes.append(
            _("The documents give no figures in this range: only later reports are drawn.")
        )
    if record:
        notes.append(_(RECORD_NOTE))
    return notes


#: What the official record's two lines are (under the chart and in its pictures).
RECORD_NOTE = N_(
    "Lines: the official record (IMF Direction of Trade Statistics), each country's exports "
    "FOB + imports CIF as it reports them; China-reported solid, Russia-reported dashed: two "
    "readings of the same trade, never added together."
)


def trade_chart(frame: pd.DataFrame, *, log: bool = False) -> go.Figure:
    """The trade chart drawn from its one frame (`sinorus.layers.trade_frame`): the documents'
    marks, the official record's lines, the later reports' squares and the events, each from
    the rows of its `layer`, named by their `series`. Imported totals are added by
    `flow_charts.overlay_imported_totals` from the same frame's `imported` rows."""
    part = {
        name: frame[frame["layer"] == name].reset_index(drop=True)
        for name in ("documents", "official", "reports", "events")
    }
    docs, events = part["documents"], part["events"]
    if len(events):
        events = events.assign(date=pd.to_datetime(events["date"], format="%Y-%m-%d"))
    labels = dict(zip(docs["source_id"], docs["source_label"], strict=True))
    return trade_timeseries(
        docs,
        by_year_of(docs),
        events if len(events) else None,
        log=log,
        source_labels=labels,
        reports=part["reports"] if len(part["reports"]) else None,
        official=part["official"] if len(part["official"]) else None,
    )


def reports_layer(reports: pd.DataFrame) -> go.Scatter:
    """The later reports' layer: one trace for all of them (however many), small muted squares,
    filled where the report states the figure plainly and hollow where it hedges; reports of
    the same year are spread a little around it, so each can be hovered."""
    reports = reports.sort_values("qualifier", key=lambda q: q != "exact", kind="stable")
    # (the legend shows the first point's symbol)
    x = (reports["year"] + side_by_side(reports["year"])).round(3)
    return _context_marks(
        x,
        reports["trade_usd_bn"],
        _(REPORTS_LEGEND),
        _context_marker(reports["qualifier"], "square", REPORT_COLOUR, 7),
        customdata=[_report_hover(r) for r in reports.itertuples()],
        hovertemplate=_(_REPORT_HOVER) + "<extra></extra>",
    )


def _context_marker(qualifiers, symbol: str, colour: str, size: int) -> dict:
    """Marks of context (later or official figures): filled where stated plainly, else hollow."""
    return dict(
        size=size,
        color=colour,
        symbol=[symbol if q == "exact" else f"{symbol}-open" for q in qualifiers],
        line=dict(width=1.5, color=colour),
    )


def _context_marks(x, y, name: str, marker: dict, **hover) -> go.Scatter:
    """A trace of context marks, listed after the documents' sources."""
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        name=name,
        legendrank=2000,
        cliponaxis=False,
        marker=marker,
        **hover,
    )


#: The layer's hover: its words once, each report's own parts from `customdata` (id, figure,
#: words, measure, publisher and date, address), so the page carries the template only once.
_REPORT_HOVER = N_(
    "<b>%{customdata[1]}</b> · later report<br>as reported: “%{customdata[2]}”<br>"
    "measured by: %{customdata[3]}<br>%{customdata[4]}<br>%{customdata[5]}<br>"
    "<i>restated in our words; see Sources › Later reports</i>"
)
REPORT_HOVER = _REPORT_HOVER + "<extra></extra>"


def _report_hover(r) -> list[str]:
    """One report's parts of `REPORT_HOVER`, escaped: the figure, its words, whose statistics,
    who and when, where."""
    amount = esc(qualified(r.trade_usd_bn, r.qualifier))
    if getattr(r, "kind", "") == "estimate":
        figure = _("{amount} in {year} (an estimate)").format(amount=amount, year=r.year)
    else:
        figure = _("{amount} in {year}").format(amount=amount, year=r.year)
    return [
        r.id,
        figure,
        esc(r.reported_as),
        esc(r.measured_by),
        f"{esc(r.publisher, 48)}, {esc(date_label(r.published))}",
        esc(r.url, 48),
    ]


def _connector(by_year: pd.DataFrame) -> go.Scatter:
    """The dotted line joining the figures: it only joins them, it is no data."""
    return go.Scatter(
        x=by_year["year"],
        y=by_year["trade_usd_bn"],
        mode="lines",
        line=dict(color="#9aa5b1", width=1.5, dash="dot"),
        hoverinfo="skip",
        name=_("dotted line: joins figures (no data between)"),
        showlegend=len(by_year) > 1,
    )


def _document_marks(fig: go.Figure, marks: pd.DataFrame, nudge: float, labels: dict) -> list:
    """One trace of marks per source (colour = source, symbol = qualifier), readings of one year
    nudged apart; a group of figures (large tables) with its range as an error bar. Returns the
    sources in the order drawn."""
    offsets = (
        marks.groupby("year").cumcount() - (marks.groupby("year")["id"].transform("size") - 1) / 2
    )
    x = marks["year"].astype(float) + offsets * nudge
    order = list(dict.fromkeys(marks["source_id"]))
    for source_id in order:
        rows = marks["source_id"] == source_id
        part = marks[rows]
        colour = series_colour(source_id, order)
        source = esc(labels.get(source_id, part["source_title"].iloc[0]))
        spread = (part["high_usd_bn"] - part["low_usd_bn"]).abs().sum() > 0
        fig.add_trace(
            go.Scatter(
                x=x[rows],
                y=part["trade_usd_bn"],
                mode="markers",
                name=source,
                legendgroup="sources",
                cliponaxis=False,
                marker=qualifier_marker(part["qualifier"], colour),
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
                hovertemplate=HOVER,
            )
        )
    return order


def _events_strip(fig: go.Figure, events: pd.DataFrame) -> None:
    """Dated events as diamonds on a strip of their own under the plot, sharing its years."""
    when = events["date"].dt
    event_x = when.year + (when.day_of_year - 1) / 365.25
    fig.add_trace(
        go.Scatter(
            x=event_x,
            y=[0.5] * len(events),
            yaxis="y2",
            mode="markers",
            name=_("events named in the texts"),
            cliponaxis=False,
            marker=dict(symbol="diamond", size=10, color=EVENT_COLOUR, opacity=0.85),
            hovertext=[_event_hover(e) for e in events.itertuples()],
            hovertemplate=HOVER,
        )
    )
    fig.update_layout(
        yaxis2=dict(
            domain=[0, 0.09],
            range=[0, 1],
            fixedrange=True,
            showgrid=False,
            zeroline=False,
            showline=False,
            tickmode="array",
            tickvals=[0.5],
            ticktext=[_("events")],
            tickfont=dict(size=11, color=EVENT_COLOUR),
            ticks="",
            rangemode="normal",
        )
    )


#: An event's status and how its date was read, as its hover says them.
EVENT_WORDS = {
    "held": N_("held"),
    "scheduled": N_("scheduled"),
    "stated": N_("stated"),
    "derived": N_("derived"),
}


def _event_hover(e) -> str:
    return (
        _("<b>{title}</b><br>{when} ({status}; date {basis})<br>source: {source}").format(
            title=esc(data_label(e.title), 60),
            when=esc(event_when(e.date, e.when)),
            status=esc(_(EVENT_WORDS[e.status]) if e.status in EVENT_WORDS else e.status),
            basis=esc(
                _(EVENT_WORDS[e.date_basis]) if e.date_basis in EVENT_WORDS else e.date_basis
            ),
            source=esc(e.source_title),
        )
        + f"<br><i>“{esc(e.quote, 70)}”</i>"
    )


def event_when(date, when: str) -> str:
    """An event's date as precise as its text ('8 June 2007', 'August 2007', '2007': `when`),
    in the page's language ('2007年6月8日', 'авг. 2007 г.'); English: `when` as it is."""
    if i18n.current() in (i18n.DEFAULT, i18n.PSEUDO) or date is None or pd.isna(date):
        return when
    day = pd.Timestamp(date)
    text = str(when).strip()
    if text == str(day.year):
        return text
    if text[:1].isdigit():
        return long_date(day.year, day.month, day.day)
    return month_year(day.year, day.month)


def _mark_hover(r, source: str) -> str:
    """Hover text of one mark: a figure as stated, or (for large tables) a group of figures."""
    when = esc(year_label(r.year, r.year_basis))
    if r.figures > 1:
        head = _(
            "<b>{count} figures</b> ({qualifier}) in {year}: median {median}, range {low}–{high}"
            "<br>first: “{reported_as}”<br>"
        ).format(
            count=number(r.figures, ",.0f"),
            qualifier=esc(qualifier_label(r.qualifier)),
            year=when,
            median=money_bn(r.trade_usd_bn, ",.1f"),
            low=number(r.low_usd_bn, ",.1f"),
            high=number(r.high_usd_bn, ",.1f"),
            reported_as=esc(r.reported_as),
        )
    else:
        head = _(
            "<b>{amount}</b> in {year}<br>qualifier: {qualifier} · as written: “{reported_as}”<br>"
        ).format(
            amount=esc(qualified(r.trade_usd_bn, r.qualifier)),
            year=when,
            qualifier=esc(qualifier_label(r.qualifier)),
            reported_as=esc(r.reported_as),
        )
    note = esc(r.year_note, 70)
    note = f" — {note}" if note else ""
    basis = (
        _(YEAR_BASIS_LABELS[r.year_basis]) if r.year_basis in YEAR_BASIS_LABELS else r.year_basis
    )
    return (
        head
        + _("year: {basis}").format(basis=esc(basis))
        + f"{note}<br>"
        + _("source: {source}").format(source=source)
        + f"<br><i>“{esc(r.quote, 70)}”</i>"
    )


YEAR_BASIS_LABELS = {"stated": N_("as stated"), "derived": N_("read from context")}


def _round_sig(value: float, digits: int = 2) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _share_bounds(share: float, qualifier: str) -> tuple[float, float]:
    """What a share may stand for: exact as given; hedged, ± half a unit of its last digit
    ('about 2%' -> 1.5–2.5%)."""
    if qualifier == "exact":
        return share, share
    text = f"{share:g}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    half = 0.5 * 10**-decimals
    return share - half, share + half


def implied_total_text(trade_usd_bn: float, share_percent: float, qualifier: str) -> str:
    """China's total trade implied by trade ÷ share, no more precise than the share allows:
    'US$1,670 bn' for an exact 2%, 'roughly US$1,300–2,200 bn' for 'about 2%' (1.5–2.5%)."""
    low_share, high_share = _share_bounds(share_percent, qualifier)
    if low_share == high_share:
        return money_bn(_round_sig(trade_usd_bn / share_percent * 100, 3), ",.0f")
    low = _round_sig(trade_usd_bn / high_share * 100)
    high = _round_sig(trade_usd_bn / low_share * 100)
    amount = money_bn(low, ",.0f") if low == high else money_bn_range(low, high, ",.0f")
    return _("roughly {amount} (if “{share}” means {bounds})").format(
        amount=amount,
        share=_("{hedge} {amount}").format(
            hedge=qualifier_label(qualifier), amount=i18n.percent(share_percent, "g")
        ),
        bounds=f"{number(low_share, 'g')}–{i18n.percent(high_share, 'g')}",
    )


def growth_waterfall(periods: pd.DataFrame, by_year: pd.DataFrame | None = None) -> go.Figure:
    """From the first figure to the last, step by step, each step labelled with its CAGR.
    Drawn from `periods` (`transform.growth_periods`) alone; `by_year` is no longer needed."""
    title = _("How trade grew between figures (US$ billion; CAGR per period)")
    if periods.empty:
        return empty_figure(
            title, _("Growth needs at least two years with trade figures in the range.")
        )
    by_year = _years_of(periods)
    first = by_year.iloc[0]
    last = by_year.iloc[-1]
    labels = {int(r.year): year_label(int(r.year), r.year_basis) for r in by_year.itertuples()}
    x = (
        [labels[int(first.year)]]
        + [f"{labels[int(p.from_year)]}→{labels[int(p.to_year)]}" for p in periods.itertuples()]
        + [_("{year} total").format(year=labels[int(last.year)])]
    )
    y = [first.trade_usd_bn] + list(periods["change_usd_bn"]) + [0]
    text = (
        [esc(qualified(first.trade_usd_bn, first.qualifier))]
        + [
            _("{change}<br>{rate}/yr").format(
                change=number(p.change_usd_bn, "+.1f"), rate=i18n.percent(p.cagr_percent, ".1f")
            )
            for p in periods.itertuples()
        ]
        + [esc(qualified(last.trade_usd_bn, last.qualifier))]
    )
    hover = _waterfall_hover(periods, labels, first, last)
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=["absolute"] + ["relative"] * len(periods) + ["total"],
            text=text,
            textposition=["outside"] * (len(x) - 1) + ["inside"],
            insidetextfont=dict(color="white"),
            hovertext=hover,
            hovertemplate=HOVER,
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
        yaxis=dict(title=_("Trade, US$ billion"), range=[0, top]),
    )
    subtitle(
        fig,
        _(
            "CAGR = compound annual growth rate between two figures; approximate where either "
            "figure is."
        ),
    )
    return fig


def _waterfall_hover(periods: pd.DataFrame, labels: dict, first, last) -> list[str]:
    """Each step's hover: the figures' own words at the ends, the change and CAGR between."""
    return (
        [f"{esc(labels[int(first.year)])}: {esc(first.reported_as)}"]
        + [
            _(
                "{start} → {end}: {change} over {years} yr, ×{multiple}, CAGR {rate}<br>"
                "from “{first}” to “{last}”"
            ).format(
                start=esc(labels[int(p.from_year)]),
                end=esc(labels[int(p.to_year)]),
                change=signed_bn(p.change_usd_bn),
                years=p.years,
                multiple=number(p.multiple, ".2f"),
                rate=i18n.percent(p.cagr_percent, ".1f"),
                first=esc(p.from_reported_as),
                last=esc(p.to_reported_as),
            )
            for p in periods.itertuples()
        ]
        + [f"{esc(labels[int(last.year)])}: {esc(last.reported_as)}"]
    )


def _years_of(periods: pd.DataFrame) -> pd.DataFrame:
    """The years a growth frame joins (year, trade_usd_bn, qualifier, reported_as, year_basis)."""
    ends = [
        periods[
            [
                f"{end}_year",
                f"{end}_usd_bn",
                f"{end}_qualifier",
                f"{end}_reported_as",
                f"{end}_year_basis",
            ]
        ].set_axis(["year", "trade_usd_bn", "qualifier", "reported_as", "year_basis"], axis=1)
        for end in ("from", "to")
    ]
    return pd.concat(ends).drop_duplicates("year").sort_values("year", ignore_index=True)


def share_bar(share: pd.DataFrame) -> go.Figure:
    """A donut per year: China–Russia trade's share of China's total trade, and the rest.

    The subtitle gives the total the share implies (trade ÷ share), as hedged as the share.
    """
    title = _("China–Russia trade as a share of China's total trade")
    if share.empty:
        return empty_figure(title, _("The texts give no share for the years in this range."))
    fig = go.Figure()
    n = len(share)
    for i, row in enumerate(share.itertuples()):
        pct = esc(hedged_percent(row.share_percent, row.qualifier))
        implied = (
            _("implied China total: {total}").format(
                total=esc(
                    implied_total_text(row.trade_usd_bn, row.share_percent, row.qualifier), 60
                )
            )
            + f"<br>({money_bn(row.trade_usd_bn, 'g')} ÷ {pct})"
            if pd.notna(row.implied_china_total_usd_bn)
            else _("no trade figure for that year, so no implied total")
        )
        quote = f"<i>“{esc(row.quote, 70)}”</i>"
        fig.add_trace(
            go.Pie(
                labels=[_("China–Russia"), _("rest of China's trade")],
                values=[row.share_percent, 100 - row.share_percent],
                hole=0.62,
                sort=False,
                direction="clockwise",
                marker=dict(colors=["#b13d2e", "#d5dae1"], line=dict(color="white", width=1)),
                textinfo="none",
                hovertext=[
                    _("China–Russia: {share} in {year}").format(share=pct, year=row.year)
                    + f"<br>{implied}<br>{quote}",
                    _("rest of China's trade: {share}").format(
                        share=esc(hedged_percent(100 - row.share_percent, row.qualifier))
                    )
                    + f"<br>{implied}",
                ],
                hovertemplate=HOVER,
                domain=dict(x=[i / n, (i + 1) / n], y=[0, 1]),
                showlegend=i == 0,
                name=str(row.year),
            )
        )
        fig.add_annotation(
            text=f"<b>{pct}</b><br>{esc(transform_year(row))}",
            x=(i + 0.5) / n,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font=dict(size=15, color=INK),
        )
    # a ring is as wide as it is tall: a plot taller than the ring (on a phone, where the width
    # decides its size) only pushes the ring down, below the first screen
    fig.update_layout(template=TEMPLATE, title=dict(text=title), height=340)
    notes = [
        _(
            "{year}: {share} of China's trade; with {trade} of China–Russia trade that implies "
            "a China total of {total}."
        ).format(
            year=r.year,
            share=hedged_percent(r.share_percent, r.qualifier),
            trade=money_bn(r.trade_usd_bn, "g"),
            total=implied_total_text(r.trade_usd_bn, r.share_percent, r.qualifier),
        )
        for r in share.itertuples()
        if pd.notna(r.implied_china_total_usd_bn)
    ]
    subtitle(fig, *(notes or [_("No trade figure for the share's year, so no implied total.")]))
    return fig


def _percent_sign() -> str:
    """What follows a number to make it a percentage: '%' ('\u00a0%' in Russian)."""
    return i18n.percent(0, ".0f").removeprefix(number(0, ".0f"))


def transform_year(row) -> str:
    return year_label(int(row.year), row.year_basis)


def trade_gdp_bars(ratio: pd.DataFrame) -> go.Figure:
    """Trade as a percentage of each economy's GDP, grouped by year."""
    title = _("China–Russia trade relative to each economy's GDP")
    if ratio.empty:
        return empty_figure(title, _("No year in this range has both a trade figure and GDP data."))
    fig = go.Figure()
    for country, part in ratio.groupby("country", sort=True):
        fig.add_trace(
            go.Bar(
                x=part["year"].astype(str),
                y=part["trade_pct_of_gdp"],
                name=esc(_(country)),  # vocab.COUNTRIES' names (marked N_ there)
                marker_color=COUNTRY_COLOURS.get(country, MUTED),
                texttemplate="%{y:.1f}" + _percent_sign(),
                textposition="outside",
                hovertext=[
                    _(
                        "<b>{country} {year}</b>: trade {amount} = {share} of GDP "
                        "({gdp}, World Bank)"
                    ).format(
                        country=esc(_(r.country)),
                        year=r.year,
                        amount=esc(qualified(r.trade_usd_bn, r.qualifier)),
                        share=hedged_percent(
                            r.trade_pct_of_gdp, r.qualifier.split(" / ")[0], ".2f"
                        ),
                        gdp=money_bn(r.gdp_usd_bn, ",.0f"),
                    )
                    for r in part.itertuples()
                ],
                hovertemplate=HOVER,
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        barmode="group",
        height=400,
        xaxis=dict(type="category"),
        yaxis=dict(title=_("Trade, % of GDP")),
    )
    subtitle(
        fig,
        _(
            "GDP: World Bank, GDP (current US$), NY.GDP.MKTP.CD, CC BY 4.0. Trade: the "
            "documents' figures."
        ),
    )
    return fig


#: A legend entry longer than this (characters) is wrapped, so that it fits a narrow chart.
LEGEND_CHARS = 28


def source_bars(contrib: pd.DataFrame, source_labels: dict[str, str] | None = None) -> go.Figure:
    """How many figures each source gives, per indicator (doubtful ones flagged in the legend)."""
    title = _("What each source contributes (number of figures)")
    if contrib.empty:
        return empty_figure(title, _("No figures in this year range."))
    named = (
        contrib["source_publisher"].map(lambda p: source_label(p, None))
        if "source_publisher" in contrib
        else contrib["source_title"]
    )
    frame = contrib.assign(
        source=[
            esc((source_labels or {}).get(i, t), 22)
            for i, t in zip(contrib["source_id"], named, strict=True)
        ],
        legend=[
            _("{label} (⚠ doubtful)").format(label=data_label(label))
            if doubtful
            else data_label(label)
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
                name=esc(legend, LEGEND_CHARS),
                marker_color=INDICATOR_COLOURS.get(part["indicator"].iloc[0], MUTED),
                hovertext=[
                    f"{esc(legend)}: {n}<br>{esc(capped_join(ids.split('; ')), 60)}"
                    for n, ids in zip(part["figures"], part["ids"], strict=True)
                ],
                hovertemplate=HOVER,
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        barmode="stack",
        height=340,
        xaxis=dict(dtick=1, title=_("figures")),  # short: under a narrow plot (the title says what)
        # from the figure's left edge, not the plot's (the source names take the left margin):
        # at half a page's width (800 px) each entry fits
        legend=dict(xref="container", x=0),
    )
    subtitle(
        fig, _("Bars count the figures each source states in the range, by what they measure.")
    )
    return fig


OFFICIAL_COLOUR = "#3c8d6e"  # 4.4:1 on white: the official totals, when imported


def claims_chart(frame: pd.DataFrame) -> go.Figure:
    """Claims against the record: each claim's gap to each official reading of its year, in
    percent (x = year, y = gap). One trace per (whose claim, which reading); a claim's two marks
    (China-reported and Russia-reported) are joined by a thin line, the band of ±`FLAG_PCT`% is
    shaded, a flagged claim's marks have a dark red ring. Drawn from `frame` alone
    (`sinorus.record.against_record`): every mark is one of its rows with a gap."""
    title = _("Claims against the official record: the gap to each reading, %")
    read = frame[frame["gap_pct"].notna()] if len(frame) else frame
    if read.empty:
        message = (
            _("No claims in this year range.")
            if frame.empty
            else _("The official record has no reading for the claims in this year range.")
        )
        return empty_figure(title, message)
    read = read.assign(x=read["year"] + _spread(read))
    fig = go.Figure()
    fig.add_hrect(
        y0=-FLAG_PCT, y1=FLAG_PCT, fillcolor=GRID, opacity=0.6, line_width=0, layer="below"
    )
    fig.add_hline(y=0, line=dict(color=MUTED, width=1))
    fig.add_trace(_claims_lines(read))
    for (layer, record, reporter), part in read.groupby(
        ["layer", "record", "reporter"], sort=False
    ):
        fig.add_trace(_claims_marks(part, layer, record, reporter))
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=esc(title)),
        height=460,
        hovermode="closest",
        xaxis=dict(title=_("Year the claim is about"), dtick=_year_step(read["year"])),
        # short enough to fit the plot's height on a phone; the formula is in the notes
        yaxis=dict(title=_("Gap to the reading, %"), rangemode="normal"),
        legend=dict(traceorder="normal"),
    )
    flagged = read.drop_duplicates("id")["flagged"].sum()
    unread = frame[frame["gap_pct"].isna()].drop_duplicates("id")
    subtitle(
        fig,
        _(
            "Each mark is a claim set against one official reading of its year: ● China-reported, "
            "◆ Russia-reported (mirror statistics, never added). Gap, %: (claim − reading) ÷ "
            "reading × 100. Shaded: within ±{limit}. Ringed: flagged ({flagged}), more than "
            "{limit} from every reading or a problem known at its source."
        ).format(limit=i18n.percent(FLAG_PCT, "g"), flagged=int(flagged))
        + (
            " "
            + _("{count} claim(s) in range have no reading (the record ends in 2020).").format(
                count=len(unread)
            )
            if len(unread)
            else ""
        ),
        _("Sources: {sources}").format(sources=_claims_sources(read)),
    )
    return fig


def _spread(frame: pd.DataFrame) -> pd.Series:
    """Claims of one year side by side, at most ±0.2 of a year apart, each claim's marks at one x."""
    ids = frame[["year", "id"]].drop_duplicates()
    rank = ids.groupby("year").cumcount()
    size = ids.groupby("year")["id"].transform("size")
    offset = ((rank - (size - 1) / 2) * (0.4 / size.clip(lower=2))).where(size > 1, 0.0)
    by_id = dict(zip(ids["id"], offset, strict=True))
    return frame["id"].map(by_id).astype("float64")


def _year_step(years: pd.Series) -> int | None:
    span = int(years.max()) - int(years.min())
    return 1 if span <= 8 else None


def _claims_sources(frame: pd.DataFrame) -> str:
    docs = frame.loc[frame["layer"] == "documents", "source"].drop_duplicates()
    reports = frame.loc[frame["layer"] == "reports", "id"].nunique()
    records = frame["record_source"].drop_duplicates()  # an imported series' name as shown
    parts = list(docs) + [series_shown(source) for source in records]
    if reports:
        parts.append(
            _("{count} later report figure(s), listed under Sources").format(count=reports)
        )
    return "; ".join(parts)


def _claims_lines(read: pd.DataFrame) -> go.Scatter:
    """A thin line joining each claim's readings (no data of its own)."""
    x, y = [], []
    for _id, group in read.groupby("id", sort=False):
        if len(group) > 1:
            x += [group["x"].iloc[0]] * 2 + [None]
            y += [group["gap_pct"].min(), group["gap_pct"].max(), None]
    return go.Scatter(
        x=x, y=y, mode="lines", line=dict(color=MUTED, width=1), hoverinfo="skip", showlegend=False
    )


#: (whose claim, which record) -> (legend words, colour)
_CLAIM_LOOK = {
    ("documents", "official"): (N_("the 2007 documents"), "#2f5d9e"),
    ("reports", "official"): (N_("later reports"), REPORT_COLOUR),
    ("documents", "imported"): (N_("the 2007 documents vs imported totals"), "#2f5d9e"),
    ("reports", "imported"): (N_("later reports vs imported totals"), REPORT_COLOUR),
}
_READER_WORDS = REPORTED_BY
FLAG_RING = "#8b1a1a"


def _claims_marks(part: pd.DataFrame, layer: str, record: str, reporter: str) -> go.Scatter:
    words, colour = _CLAIM_LOOK.get((layer, record), (layer, MUTED))
    words = _(words) if (layer, record) in _CLAIM_LOOK else words
    imported = record == "imported"
    symbol = ("circle" if reporter == "CHN" else "diamond") + ("-open" if imported else "")
    flagged = part["flagged"].astype(bool)
    return go.Scatter(
        x=part["x"],
        y=part["gap_pct"],
        mode="markers",
        name=_("{claims}, vs {reading}").format(
            claims=words,
            reading=_(_READER_WORDS[reporter]) if reporter in _READER_WORDS else reporter,
        ),
        cliponaxis=False,
        marker=dict(
            symbol=symbol,
            size=[11 if f else 9 for f in flagged],
            color=colour,
            line=dict(
                color=[FLAG_RING if f else "white" for f in flagged],
                width=[2.5 if f else 1 for f in flagged],
            ),
        ),
        hovertext=[_claim_hover(r) for r in part.itertuples()],
        hovertemplate=HOVER,
    )


def _claim_hover(r) -> str:
    who = _("a 2007 document") if r.layer == "documents" else _("a later report")
    flag = "<br><b>" + _("flagged") + "</b>" if r.flagged else ""
    reason = (
        "<br>"
        + _("why they may differ: {reason}").format(
            reason=esc(reason_shown(r.reason, r.flag, r.qualifier, r.reported_as, r.year_basis), 60)
        )
        if r.reason
        else ""
    )
    indicator = _(_INDICATOR[r.indicator]) if r.indicator in _INDICATOR else r.indicator
    basis = basis_shown(r.record_basis)
    return (
        _(
            "<b>{claim}</b> for {year} ({indicator}) · {who}<br>as written: “{reported_as}”<br>"
            "by: {source}<br>{basis}: {reading} ({record})<br>gap {gap}"
        ).format(
            claim=esc(qualified(r.claim_usd_bn, r.qualifier)),
            year=esc(year_label(int(r.year), r.year_basis)),
            indicator=esc(indicator),
            who=who,
            reported_as=esc(r.reported_as, 60),
            source=esc(r.source, 60),
            basis=esc(basis, 60),
            reading=esc(qualified(r.record_usd_bn, "exact")),
            record=esc(r.record_source),
            gap=gap_text(r.gap_pct),
        )
        + flag
        + reason
    )


_INDICATOR = {
    "trade_total": N_("total trade"),
    "trade_china_exports": N_("China's exports to Russia"),
    "trade_china_imports": N_("China's imports from Russia"),
}


def gap_text(gap) -> str:
    """A gap in percent as a reader reads it: '−17.0%', '+14.4%', '0.0%', '—' for none."""
    if gap is None or pd.isna(gap):
        return "—"
    if gap == 0:
        return i18n.percent(0.0, ".1f")
    return i18n.percent(gap, "+.1f").replace("-", "−")
