"""The only Streamlit module: page layout, widgets, URL state, caching and downloads.

Everything shown is built by `transform` (frames) and `charts` (figures); each chart's download
is made from the very frame the chart was drawn from. Text from the data is shown either in
widgets that never interpret it (dataframes, code blocks) or escaped for Markdown by `md()`.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from sinorus import (
    __version__,
    bundle,
    charts,
    export,
    publish,
    snippets,
    transform,
    urlstate,
    views,
)
from sinorus.load import DataError, Dataset, data_dir, load, normalise_text

logger = logging.getLogger(__name__)
PAGE_ICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
MAKEUP_FLOWS = {
    "china_imports": "China buys from Russia",
    "china_exports": "China sells to Russia",
    "cooperation": "Cooperation the texts name",
}
QUALIFIER_HELP = (
    "**How to read the marks.** Filled circle: the figure as stated. Hollow circle: *about*. "
    'Triangle down: *nearly* (a little below). Triangle up: *at least* ("already reached"). '
    "Colour: the source. A year written *c. 1997* was read from context, not stated."
)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def md(text) -> str:
    """Escape text from the data for Streamlit Markdown (no formatting, links, LaTeX or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


@st.cache_resource(show_spinner=False)
def _dataset(path: str) -> Dataset:
    """One validated, read-only dataset per data directory, shared by every session."""
    return load(path)


def main() -> None:
    st.set_page_config(
        page_title="China–Russia trade · sinorus",
        page_icon=str(PAGE_ICON),
        layout="wide",
        menu_items={
            "About": "sinorus: China–Russia trade figures, each tied to the sentence it came from."
        },
    )
    try:
        ds = _dataset(str(data_dir()))
    except DataError as err:
        _error_panel(err)
        return
    except Exception:  # never a traceback in the browser
        logger.exception("sinorus: loading the data failed")
        st.error("The data could not be read. The server log has the details.", icon="🛑")
        return

    _publish(ds)
    span = transform.year_span(ds)
    _init_state(span)
    st.title("China–Russia trade, as two 2007 documents report it")
    st.markdown(
        "Every number on this page is a sentence from a Voice of America article or an East Asian "
        "Institute brief, both of August 2007, with its hedge kept: *about*, *nearly*, *already "
        "reached*. Hover over a mark to read the sentence; the **Sources** tab shows each in context."
    )
    year_range, log_scale, show_events = _controls(span)
    for notice in st.session_state.get("url_notices", []):
        st.warning(md(notice), icon="⚠️")
    for notice in ds.notices:
        st.info(md(notice), icon="ℹ️")

    _headline(ds, year_range, span)
    over_time, composition, data, sources = st.tabs(
        ["Trade over time", "Composition", "Data", "Sources"]
    )
    with over_time:
        _guarded(_trade_over_time, ds, year_range, log_scale, show_events)
    with composition:
        _guarded(_composition, ds, year_range)
    with data:
        _guarded(_data_table, ds, year_range)
    with sources:
        _guarded(_sources, ds, year_range)


def _guarded(part, *args) -> None:
    """Draw one part of the page; if it fails, say so there and keep the rest of the page."""
    try:
        part(*args)
    except Exception:  # Streamlit's own rerun/stop signals are BaseException and pass through
        logger.exception("sinorus: %s failed", part.__name__)
        st.error(
            "This part of the page could not be shown. The rest of the page is unaffected.",
            icon="🛑",
        )


@st.cache_resource(show_spinner=False)
def _published(root: str, _ds: Dataset) -> int:
    """Write the static data files (stable URLs) once per data directory and process."""
    return len(publish.publish(_ds))


def _publish(ds: Dataset) -> None:
    try:
        _published(str(ds.root), ds)
    except OSError:  # a read-only install still serves the page; only the data URLs are missing
        logger.exception("sinorus: publishing the static data files failed")


# --- state -------------------------------------------------------------------------------------


def _init_state(span: tuple[int, int]) -> None:
    """On a session's first run, take the view from the URL (fixing what is wrong, with notices)."""
    if "year_range" in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state, notices = urlstate.parse(params, span)
    st.session_state.year_range = state["year_range"]
    st.session_state.log_scale = state["scale"] == "log"
    st.session_state.show_events = True
    st.session_state.url_notices = notices
    _write_url(span)


def _on_change() -> None:
    st.session_state.url_notices = []


def _write_url(span: tuple[int, int]) -> None:
    state = {
        "year_range": tuple(st.session_state.year_range),
        "scale": "log" if st.session_state.log_scale else "linear",
    }
    wanted = urlstate.to_params(state, span)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {k: [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


def _controls(span: tuple[int, int]) -> tuple[tuple[int, int], bool, bool]:
    first, last = span
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        if first < last:
            st.slider(
                "Years",
                first,
                last,
                key="year_range",
                on_change=_on_change,
                help="Every chart, metric and table follows this range. It is kept in the page's address, so a view can be shared.",
            )
        else:
            st.caption(f"All figures are from {first}.")
    with right:
        st.toggle("Log scale", key="log_scale", on_change=_on_change)
        st.toggle("Show events", key="show_events", on_change=_on_change)
    _write_url(span)
    lo, hi = st.session_state.year_range
    return (int(lo), int(hi)), bool(st.session_state.log_scale), bool(st.session_state.show_events)


# --- pieces ------------------------------------------------------------------------------------


def _error_panel(err: DataError) -> None:
    st.title("sinorus")
    st.error(
        f"The data package cannot be shown: {len(err.problems)} problem(s) were found. "
        "Nothing is displayed until they are fixed. Each line reads FILE:ROW: FIELD: problem.",
        icon="🛑",
    )
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.caption("Check the package with: python -m sinorus validate DATA_DIR")


def _no_figures(year_range: tuple[int, int], what: str = "figures") -> None:
    lo, hi = year_range
    st.info(f"No {what} between {lo} and {hi}. Widen the year range to see them.", icon="🔎")


def _headline(ds: Dataset, year_range: tuple[int, int], span: tuple[int, int]) -> None:
    head = transform.headline(ds, year_range)
    if head is None:
        years = ", ".join(str(y) for y in transform.trade_by_year(ds, span)["year"])
        st.info(
            f"No trade figures between {year_range[0]} and {year_range[1]}. "
            f"The documents give trade figures for {years}.",
            icon="🔎",
        )
        return
    latest, first = head["latest_year"], head["first_year"]
    approx = "≈ " if {head["latest_qualifier"], head["first_qualifier"]} != {"exact"} else ""
    cols = st.columns(3)
    words = " · ".join(
        charts.QUALIFIER_WORDS.get(q, q).strip() or "exact"
        for q in head["latest_qualifier"].split(" / ")
    )
    cols[0].metric(
        f"Latest figure ({transform.year_label(latest, head['latest_year_basis'])})",
        charts.qualified(head["latest_usd_bn"], "exact"),
        delta=words + (" (two readings)" if " / " in head["latest_qualifier"] else ""),
        delta_color="off",
        delta_arrow="off",
        help=f"As written: {md(head['latest_reported_as'])}",
        border=True,
    )
    if head["multiple"] is None:
        cols[1].metric("Growth", "—", help="One year only in this range.", border=True)
        cols[2].metric(
            "Average annual growth", "—", help="One year only in this range.", border=True
        )
        return
    basis = f"from {charts.qualified(head['first_usd_bn'], head['first_qualifier'])} in {first}"
    cols[1].metric(
        f"Growth {first}–{latest}",
        f"{approx}×{head['multiple']:.1f}",
        delta=basis,
        delta_color="off",
        delta_arrow="off",
        help="The last figure in the range divided by the first.",
        border=True,
    )
    cols[2].metric(
        f"Average annual growth {first}–{latest}",
        f"{approx}{head['cagr_percent']:.1f}% a year",
        delta=f"compound, over {latest - first} years",
        delta_color="off",
        delta_arrow="off",
        help="Compound annual growth rate between the first and last figures in the range"
        + ("; approximate, since a figure it rests on is hedged." if approx else "."),
        border=True,
    )


def _downloads(frame: pd.DataFrame, ds: Dataset, slug: str, year_range) -> None:
    """CSV, Excel and JSON of exactly `frame` (the chart's own frame), plus its bundle, code and
    citation, each with its sources."""
    title = views.view(slug).title
    empty = frame.empty
    cols = st.columns([1, 1, 1, 1.3])
    for col, (fmt, label) in zip(
        cols, (("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON")), strict=False
    ):
        col.download_button(
            f"⬇ {label}",
            data=(lambda fmt=fmt: export.render(fmt, frame, ds.sources, title, year_range)),
            file_name=export.filename(slug, year_range, fmt),
            mime=export.FORMATS[fmt],
            key=f"dl-{slug}-{fmt}",
            on_click="ignore",
            disabled=empty,
            help="No rows in this range to download."
            if empty
            else f"{title}, {year_range[0]}–{year_range[1]}, with sources and quotes",
            width="stretch",
        )
    with cols[3].popover("Bundle · code · cite", width="stretch"):
        _reuse(ds, slug, title, year_range)


def _reuse(ds: Dataset, slug: str, title: str, year_range) -> None:
    """The bundle twin (current view or full table), code that loads the same rows, citation."""
    span = transform.year_span(ds)
    choice = st.radio(
        "The bundle holds",
        ["view", "full"],
        format_func=lambda c: (
            f"this view, {year_range[0]}–{year_range[1]}"
            if c == "view"
            else f"the full table, {span[0]}–{span[1]}"
        ),
        key=f"bundle-range-{slug}",
        horizontal=True,
    )
    bundle_range = tuple(year_range) if choice == "view" else span
    st.download_button(
        "⬇ ZIP: CSV + datapackage.json + README",
        data=lambda: bundle.bundle_for(ds, slug, bundle_range)[1],
        file_name=export.filename(slug, bundle_range, "zip"),
        mime=export.FORMATS["zip"],
        key=f"dl-{slug}-zip",
        on_click="ignore",
        width="stretch",
        help="The data, a Frictionless description of its columns, and a README with sources, "
        "licences and caveats.",
    )
    st.markdown("**Use this data in code** (loads what the chart shows, years applied in code)")
    code = snippets.code_snippets(slug, year_range, _base_url())
    for tab, (lang, label) in zip(
        st.tabs(["pandas", "R", "curl"]),
        (("pandas", "python"), ("r", "r"), ("curl", "bash")),
        strict=True,
    ):
        tab.code(code[lang], language=label)
    st.markdown("**Cite this**")
    st.code(_citations(ds)["dashboard"]["text"], language=None, wrap_lines=True)


def _base_url() -> str:
    try:
        return snippets.base_url_from_page(st.context.url)
    except Exception:  # no browser context (tests, bare mode)
        return "http://localhost:8501"


def _citations(ds: Dataset) -> dict:
    return snippets.citations(ds.sources, __version__, url=_base_url())


def _chart(fig, name: str, year_range) -> None:
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {
            **PLOTLY_CONFIG["toImageButtonOptions"],
            "filename": export.filename(name, year_range, "png")[:-4],
        },
    }
    st.plotly_chart(fig, theme=None, config=config, key=f"chart-{name}")


def _source_labels(ds: Dataset) -> dict[str, str]:
    return {
        row.id: f"{row.publisher.split(',')[0]} ({row.published[:7]})"
        if row.published
        else row.publisher
        for row in ds.sources.itertuples()
    }


def _trade_over_time(ds: Dataset, year_range, log_scale: bool, show_events: bool) -> None:
    trade = transform.trade_series(ds, year_range)
    if trade.empty:
        _no_figures(year_range, "trade figures")
    else:
        by_year = transform.trade_by_year(ds, year_range)
        events = transform.events_in_range(ds, year_range) if show_events else None
        fig = charts.trade_timeseries(
            trade, by_year, events, log=log_scale, source_labels=_source_labels(ds)
        )
        _chart(fig, "trade-total", year_range)
        st.caption(QUALIFIER_HELP)
    _downloads(trade, ds, "trade-total", year_range)
    if show_events:
        events = transform.events_in_range(ds, year_range)
        with st.expander(f"Events named in the texts ({len(events)} in range)"):
            st.dataframe(
                events[["when", "title", "status", "date_basis", "source_title", "quote"]],
                hide_index=True,
                column_config={
                    "when": "Date",
                    "title": "Event",
                    "date_basis": "Date",
                    "source_title": "Source",
                    "quote": st.column_config.TextColumn("Sentence", width="large"),
                },
            )
            _downloads(views.view("events").frame(ds, year_range), ds, "events", year_range)


def _composition(ds: Dataset, year_range) -> None:
    left, right = st.columns(2)
    with left:
        _guarded(_share, ds, year_range)
    with right:
        _guarded(_growth, ds, year_range)
    left, right = st.columns(2)
    with left:
        _guarded(_trade_to_gdp, ds, year_range)
    with right:
        _guarded(_contributions, ds, year_range)
    _guarded(_makeup, ds, year_range)


def _share(ds: Dataset, year_range) -> None:
    share = transform.share_of_china_trade(ds, year_range)
    _chart(charts.share_bar(share), "share-of-china-trade", year_range)
    _downloads(share, ds, "share-of-china-trade", year_range)


def _growth(ds: Dataset, year_range) -> None:
    periods = transform.growth_periods(ds, year_range)
    by_year = transform.trade_by_year(ds, year_range)
    _chart(charts.growth_waterfall(periods, by_year), "growth", year_range)
    _downloads(periods, ds, "growth", year_range)


def _trade_to_gdp(ds: Dataset, year_range) -> None:
    if ds.gdp is None:
        st.info(
            "GDP context is unavailable (the gdp table is missing), so trade relative to GDP "
            "cannot be shown.",
            icon="ℹ️",
        )
        return
    ratio = transform.trade_to_gdp(ds, year_range)
    _chart(charts.trade_gdp_bars(ratio), "trade-to-gdp", year_range)
    _downloads(ratio, ds, "trade-to-gdp", year_range)


def _contributions(ds: Dataset, year_range) -> None:
    contrib = transform.source_contributions(ds, year_range)
    _chart(charts.source_bars(contrib, _source_labels(ds)), "source-contributions", year_range)
    _downloads(contrib, ds, "source-contributions", year_range)


def _makeup(ds: Dataset, year_range) -> None:
    st.subheader("What the trade is made of, in the texts' words")
    st.caption(
        "The documents give no figures for the trade's make-up, so none are shown: "
        "only what they say, with the sentence."
    )
    makeup = transform.trade_makeup(ds)
    labels = _source_labels(ds)
    for col, (flow, heading) in zip(st.columns(3), MAKEUP_FLOWS.items(), strict=True):
        rows = makeup[makeup["flow"] == flow]
        lines = [
            f"- **{md(r.item)}**  \n  :gray[*“{md(r.quote)}”* "
            f"({md(labels.get(r.source_id, r.source_id))})]"
            for r in rows.itertuples()
        ]
        col.markdown(f"**{heading}**\n\n" + "\n".join(lines))
    _downloads(makeup, ds, "trade-makeup", year_range)


def _data_table(ds: Dataset, year_range) -> None:
    view = transform.observations_view(ds, year_range)
    st.caption(
        f"{len(view)} figure(s) in {year_range[0]}–{year_range[1]}, every indicator, as stated. Rows marked ⚠ are doubtful: kept as reported, never added to trade."
    )
    if view.empty:
        _no_figures(year_range)
    else:
        shown = view.assign(flag=view["flag"].map(lambda f: f"⚠ {f}" if f else ""))
        st.dataframe(
            shown[
                [
                    "flag",
                    "indicator",
                    "year",
                    "year_start",
                    "value",
                    "unit",
                    "qualifier",
                    "reported_as",
                    "year_basis",
                    "year_note",
                    "flag_note",
                    "source_title",
                    "quote",
                ]
            ],
            hide_index=True,
            column_config={
                "flag": st.column_config.TextColumn("Flag", width="small"),
                "indicator": "Indicator",
                "value": "Value",
                "unit": "Unit",
                "qualifier": "Qualifier",
                "reported_as": "As written",
                "year_basis": "Year basis",
                "year_note": "Year note",
                "flag_note": "Why flagged",
                "year_start": st.column_config.NumberColumn("From year", format="%d"),
                "year": st.column_config.NumberColumn("Year", format="%d"),
                "quote": st.column_config.TextColumn("Sentence", width="large"),
                "source_title": "Source",
            },
        )
    _downloads(view, ds, "observations", year_range)


def _highlighted(text: str, quotes: list[str]) -> str:
    """The text as Markdown, paragraph by paragraph, with each quoted sentence highlighted."""
    targets = [normalise_text(q) for q in quotes]
    out = []
    for para in re.split(r"\n\s*\n", text):
        plain = normalise_text(para)
        if not plain:
            continue
        spans = sorted(
            (m.start(), m.start() + len(t))
            for t in set(targets)
            for m in re.finditer(re.escape(t), plain)
        )
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        pieces, pos = [], 0
        for start, end in merged:
            pieces.append(md(plain[pos:start]))
            pieces.append(f":orange-background[{md(plain[start:end])}]")
            pos = end
        pieces.append(md(plain[pos:]))
        out.append("".join(pieces))
    return "\n\n".join(out)


def _sources(ds: Dataset, year_range) -> None:
    st.subheader("Cite this")
    cites = _citations(ds)
    plain, bib = st.tabs(["Plain text", "BibTeX"])
    plain.code(cites["text"], language=None, wrap_lines=True)
    bib.code(cites["bibtex"], language="bibtex")
    st.download_button(
        "⬇ The whole dataset (ZIP: every table, datapackage.json, README, source texts)",
        data=lambda: bundle.dataset_bundle(ds),
        file_name="sinorus-data.zip",
        mime=export.FORMATS["zip"],
        key="dl-dataset-zip",
        on_click="ignore",
    )
    st.divider()
    obs = transform.observations_view(ds, year_range)
    indicators = dict(zip(ds.indicators["id"], ds.indicators["label"], strict=True))
    for row in ds.sources.itertuples():
        st.subheader(md(row.title))
        st.markdown(md(row.citation))
        facts = [f"**Licence:** {md(row.license)}", f"**Publisher:** {md(row.publisher)}"]
        if row.url:
            facts.append(f"**URL:** {md(row.url)}")
        st.markdown(" · ".join(facts))
        if row.note:
            st.caption(md(row.note))
        figures = obs[obs["source_id"] == row.id]
        if len(figures):
            lines = [
                f"- {'⚠ **doubtful** · ' if f.flag else ''}{md(indicators.get(f.indicator, f.indicator))}, "
                f"{md(transform.year_label(f.year, f.year_basis))}: "
                f"**{md(f.reported_as)}** ({md(f.qualifier)})"
                for f in figures.itertuples()
            ]
            st.markdown(
                f"Figures from this source in {year_range[0]}–{year_range[1]}:\n" + "\n".join(lines)
            )
        if row.id in ds.source_texts:
            quotes = [
                q
                for table in (ds.observations, ds.events, ds.trade_makeup)
                for q in table.loc[table["source_id"] == row.id, "quote"]
            ]
            with st.expander("Full text, with the quoted sentences highlighted"):
                st.markdown(_highlighted(ds.source_texts[row.id], quotes))
        st.divider()
    st.caption(md(export.DASHBOARD_CITATION))
