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
    flow_charts,
    flows,
    publish,
    snippets,
    transform,
    urlstate,
    views,
)
from sinorus.importers import MAX_UPLOAD_MB, load_upload
from sinorus.load import DataError, Dataset, data_dir, load, normalise_text

logger = logging.getLogger(__name__)
PAGE_ICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
SECTIONS = {
    "trade": "Trade over time",
    "composition": "Composition",
    "data": "Data",
    "sources": "Sources",
    "yours": "Your data",
}
TABLE_ROWS = 1000  # rows shown in the Data table; downloads hold every row
SOURCE_FIGURES = 20  # figures listed per source in Sources
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
#: Where GitHub-flavoured Markdown would turn bare text into a link (http://, www., a@b);
#: a word joiner (U+2060, invisible) there keeps it text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(/[A-Za-z0-9._~/%?=&+-]*)?")


def md(text) -> str:
    """Escape text from the data for Streamlit Markdown: no formatting, no links (not even bare
    URLs), no LaTeX, no HTML."""
    text = _AUTOLINK.sub("\u2060", "" if text is None else str(text))
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(url: str) -> str:
    """A source's http(s) URL as a link, if it is a plain one; otherwise escaped text."""
    if _SAFE_URL.fullmatch(url or ""):
        return f"[{md(url)}]({url})"
    return md(url)


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
    ds = _with_uploads(ds)
    span = transform.year_span(ds)
    _init_state(span)
    st.title("China–Russia trade, as two 2007 documents report it")
    st.markdown(
        "Every number on this page is a sentence from a Voice of America article or an East Asian "
        "Institute brief, both of August 2007, with its hedge kept: *about*, *nearly*, *already "
        "reached*. Hover over a mark to read the sentence; **Sources** shows each in context."
    )
    year_range, log_scale, show_events = _controls(span)
    for notice in st.session_state.get("url_notices", []):
        st.warning(md(notice), icon="⚠️")
    for notice in ds.notices:
        st.info(md(notice), icon="ℹ️")

    _guarded(_headline, ds, year_range, span)
    st.segmented_control(
        "Section",
        list(SECTIONS),
        format_func=SECTIONS.get,
        key="view",
        required=True,
        on_change=_on_change,
        label_visibility="collapsed",
    )
    _write_url(span)
    # Only the chosen section is built and sent: hidden charts cost the browser as much as shown ones.
    section = st.session_state.view
    if section == "trade":
        _guarded(_trade_over_time, ds, year_range, log_scale, show_events)
    elif section == "composition":
        _guarded(_composition, ds, year_range)
    elif section == "data":
        _guarded(_data_table, ds, year_range)
    elif section == "sources":
        _guarded(_sources, ds, year_range)
    else:
        _guarded(_your_data, ds, year_range)


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
    """On a session's first run, take the view from the URL (fixing what is wrong, with notices).

    Later, if an upload widens or narrows the data's span, a range that showed everything keeps
    showing everything, and any other range is kept within the span."""
    if "year_range" in st.session_state:
        old = st.session_state.get("span", span)
        if tuple(old) != tuple(span):
            lo, hi = st.session_state.year_range
            if (lo, hi) == tuple(old):
                lo, hi = span
            lo, hi = min(max(lo, span[0]), span[1]), min(max(hi, span[0]), span[1])
            st.session_state.year_range = (lo, hi)
            st.session_state.span = span
        return
    st.session_state.span = span
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state, notices = urlstate.parse(params, span)
    st.session_state.year_range = state["year_range"]
    st.session_state.log_scale = state["scale"] == "log"
    st.session_state.view = state["view"]
    st.session_state.show_events = True
    st.session_state.url_notices = notices
    _write_url(span)


def _on_change() -> None:
    st.session_state.url_notices = []


def _write_url(span: tuple[int, int]) -> None:
    state = {
        "year_range": tuple(st.session_state.year_range),
        "scale": "log" if st.session_state.log_scale else "linear",
        "view": st.session_state.get("view") or urlstate.VIEWS[0],
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


def _downloads(
    frame: pd.DataFrame, ds: Dataset, slug: str, year_range, title: str | None = None
) -> None:
    """CSV, Excel and JSON of exactly `frame` (the chart's own frame), plus its bundle, code and
    citation, each with its sources."""
    title = title or views.view(slug).title
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
        if slug in views.VIEWS:
            _reuse(ds, slug, title, year_range)
        else:
            _reuse_uploaded(frame, ds, slug, title, year_range)


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


def _reuse_uploaded(frame: pd.DataFrame, ds: Dataset, slug: str, title: str, year_range) -> None:
    """Uploaded data stays in the session, so it has a bundle but no public URL to load from."""
    st.download_button(
        "⬇ ZIP: CSV + datapackage.json + README",
        data=lambda: export.render(
            "zip", frame, ds.sources, title, year_range, slug=slug, observations=ds.observations
        ),
        file_name=export.filename(slug, year_range, "zip"),
        mime=export.FORMATS["zip"],
        key=f"dl-{slug}-zip",
        on_click="ignore",
        disabled=frame.empty,
        width="stretch",
    )
    st.caption(
        "Code snippets load data from this server's public URLs; uploaded data never leaves "
        "your session, so use the bundle."
    )
    st.markdown("**Cite this**")
    st.code(_citations(ds)["dashboard"]["text"], language=None, wrap_lines=True)


def _base_url() -> str:
    try:
        return snippets.base_url_from_page(st.context.url)
    except Exception:  # no browser context (tests, bare mode)
        return "http://localhost:8501"


def _citations(ds: Dataset) -> dict:
    return _cached_citations(_ds_key(ds), _base_url(), ds.sources)


@st.cache_data(max_entries=16, show_spinner=False, ttl=3600)
def _cached_citations(key: str, base_url: str, _sources: pd.DataFrame) -> dict:
    return snippets.citations(_sources, __version__, url=base_url)


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


def _ds_key(ds: Dataset) -> str:
    """What a dataset is, for caching: its directory plus the checksums of any uploaded files."""
    if "checksum" not in ds.sources:
        return str(ds.root)
    uploaded = sorted(c for c in ds.sources["checksum"] if isinstance(c, str) and c)
    return "|".join([str(ds.root), *uploaded])


def _build_trade(ds: Dataset, year_range, log_scale: bool, show_events: bool):
    trade = transform.trade_series(ds, year_range)
    if trade.empty:
        return trade, None
    by_year = transform.trade_by_year(ds, year_range)
    events = transform.events_in_range(ds, year_range) if show_events else None
    fig = charts.trade_timeseries(
        trade,
        by_year,
        events,
        log=log_scale,
        source_labels=_source_labels(ds),
        marks=transform.trade_marks_in(ds, year_range),
    )
    if ds.trade_flows is not None and not ds.trade_flows.empty:
        fig = flow_charts.overlay_imported_totals(fig, flows.totals_frame(ds, year_range))
    return trade, fig


def _build_share(ds: Dataset, year_range):
    share = transform.share_of_china_trade(ds, year_range)
    return share, charts.share_bar(share)


def _build_growth(ds: Dataset, year_range):
    periods = transform.growth_periods(ds, year_range)
    return periods, charts.growth_waterfall(periods, transform.trade_by_year(ds, year_range))


def _build_gdp(ds: Dataset, year_range):
    ratio = transform.trade_to_gdp(ds, year_range)
    return ratio, charts.trade_gdp_bars(ratio)


def _build_contributions(ds: Dataset, year_range):
    contrib = transform.source_contributions(ds, year_range)
    return contrib, charts.source_bars(contrib, _source_labels(ds))


BUILDERS = {
    "trade-total": _build_trade,
    "share-of-china-trade": _build_share,
    "growth": _build_growth,
    "trade-to-gdp": _build_gdp,
    "source-contributions": _build_contributions,
}


@st.cache_resource(max_entries=64, show_spinner=False)
def _built(key: str, slug: str, year_range: tuple, options: tuple, _ds: Dataset):
    """(frame, figure) of one chart for one view, built once and shared between readers of the
    same data: the frames and figures are never modified after this."""
    return BUILDERS[slug](_ds, year_range, *options)


def _frame_and_figure(ds: Dataset, slug: str, year_range, *options):
    return _built(_ds_key(ds), slug, tuple(year_range), options, ds)


def _trade_over_time(ds: Dataset, year_range, log_scale: bool, show_events: bool) -> None:
    trade, fig = _frame_and_figure(ds, "trade-total", year_range, log_scale, show_events)
    if fig is None:
        _no_figures(year_range, "trade figures")
    else:
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
    for row in (("share-of-china-trade", "growth"), ("trade-to-gdp", "source-contributions")):
        for col, slug in zip(st.columns(2), row, strict=True):
            with col:
                _guarded(_chart_section, ds, slug, year_range)
    _guarded(_makeup, ds, year_range)


def _chart_section(ds: Dataset, slug: str, year_range) -> None:
    """One composition chart and its downloads, from the same frame."""
    if slug == "trade-to-gdp" and ds.gdp is None:
        st.info(
            "GDP context is unavailable (the gdp table is missing), so trade relative to GDP "
            "cannot be shown.",
            icon="ℹ️",
        )
        return
    frame, fig = _frame_and_figure(ds, slug, year_range)
    _chart(fig, slug, year_range)
    _downloads(frame, ds, slug, year_range)


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
        if len(view) > TABLE_ROWS:
            st.caption(
                f"Showing the first {TABLE_ROWS:,} of {len(view):,} rows; the downloads below hold them all."
            )
        view_shown = view.head(TABLE_ROWS)
        shown = view_shown.assign(flag=view_shown["flag"].map(lambda f: f"⚠ {f}" if f else ""))
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


# --- uploaded trade tables (per session; nothing is written on the server) ---------------------


def _with_uploads(ds: Dataset) -> Dataset:
    """The shared dataset, or this reader's own copy merged with the files they uploaded.

    The uploader sits in the sidebar so it is always on the page; its files live in this
    session only. A rejected file leaves the documents' data as it was and says why.
    """
    with st.sidebar:
        st.header("Your data")
        files = st.file_uploader(
            "Add a China–Russia trade table",
            type=["csv", "json"],
            accept_multiple_files=True,
            key="uploads",
            help=f"UN Comtrade+ CSV or JSON, a legacy Comtrade CSV, or a sinorus observations "
            f"CSV; up to {MAX_UPLOAD_MB} MB each. It stays in your browser session: nothing "
            "is written on the server and no other reader sees it.",
        )
        st.caption(
            f"UN Comtrade+ (CSV/JSON), legacy Comtrade CSV or sinorus observations; ≤ {MAX_UPLOAD_MB} MB. "
            "Shown beside the documents' figures, never mixed with them."
        )
    key = tuple((f.file_id, f.name, f.size) for f in files or [])
    if not key:
        st.session_state.pop("merged", None)
        return ds
    cached = st.session_state.get("merged")
    if cached is None or cached[0] != key:
        merged, reports, problems = ds, [], []
        for f in files:
            try:
                merged, result = load_upload(merged, f.getvalue(), f.name)
                reports.extend(result.summary())
            except DataError as err:
                problems.append((f.name, err.problems))
        cached = (key, merged, reports, problems)
        st.session_state.merged = cached
    _, merged, reports, problems = cached
    with st.sidebar:
        for name, found in problems:
            st.error(f"{md(name)} was not used: {len(found)} problem(s).", icon="🛑")
            st.code("\n".join(str(p) for p in found[:50]), language=None)
        if reports:
            with st.expander("What was imported", expanded=not problems):
                st.code("\n".join(reports), language=None)
    return merged


def _your_data(ds: Dataset, year_range) -> None:
    imported = flows.imported_sources(ds)
    if imported.empty:
        st.info(
            "Upload a China–Russia trade table in the sidebar (a UN Comtrade+ download, a legacy "
            "Comtrade CSV or a sinorus observations CSV) to see it here by direction and by "
            "commodity, and beside the documents' figures under Trade over time. It stays in your "
            "session only.",
            icon="📄",
        )
        return
    st.dataframe(imported, hide_index=True)
    totals = flows.totals_frame(ds, year_range)
    _chart(flow_charts.totals_chart(totals), "documents-and-imported-totals", year_range)
    _downloads(
        totals,
        ds,
        "documents-and-imported-totals",
        year_range,
        title="Documents' figures and imported totals",
    )
    direction = flows.direction_frame(ds, year_range)
    _chart(flow_charts.direction_chart(direction), "direction", year_range)
    _downloads(
        direction,
        ds,
        "direction",
        year_range,
        title="China's exports to and imports from Russia, by reporter",
    )
    with_codes = imported[imported["has_commodities"]]
    if with_codes.empty:
        st.caption(
            "The uploaded files have no commodity codes, so there is no commodity breakdown."
        )
        return
    st.subheader("By commodity (HS)")
    source_id = st.selectbox(
        "File",
        list(with_codes["source_id"]),
        format_func=dict(zip(with_codes["source_id"], with_codes["series"], strict=True)).get,
    )
    available = ds.trade_flows[(ds.trade_flows["source_id"] == source_id)]
    c1, c2, c3, c4 = st.columns(4)
    flow = c1.selectbox(
        "Direction", ["china_exports", "china_imports"], format_func=FLOW_LABELS.get
    )
    reporter = c2.selectbox(
        "Reporter", sorted(r for r in set(available["reporter"]) if r), format_func=REPORTERS.get
    )
    years = sorted(int(y) for y in set(available["year"]) if year_range[0] <= y <= year_range[1])
    if not years:
        _no_figures(year_range, "commodity rows")
        return
    year = c3.selectbox("Year", years, index=len(years) - 1)
    level = c4.selectbox("Level", ["section", "chapter"], format_func=str.capitalize)
    tree = flows.commodity_frame(
        ds, year, flow, reporter, top_n=10, level=level, source_id=source_id
    )
    _chart(flow_charts.commodity_treemap(tree), "commodity-treemap", (year, year))
    _downloads(tree, ds, "commodity-treemap", (year, year), title=f"Trade by HS {level}, {year}")
    area = flows.commodity_over_time(
        ds, year_range, flow, reporter, top_n=8, level=level, source_id=source_id
    )
    _chart(flow_charts.commodity_area(area), "commodity-area", year_range)
    _downloads(area, ds, "commodity-area", year_range, title=f"Trade by HS {level} over time")


FLOW_LABELS = {
    "china_exports": "China's exports to Russia",
    "china_imports": "China's imports from Russia",
}
REPORTERS = {"CHN": "as China reports", "RUS": "as Russia reports"}


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
            facts.append(f"**URL:** {md_link(row.url)}")
        st.markdown(" · ".join(facts))
        if row.note:
            st.caption(md(row.note))
        figures = obs[obs["source_id"] == row.id]
        shown_figures = figures.head(SOURCE_FIGURES)
        if len(figures):
            lines = [
                f"- {'⚠ **doubtful** · ' if f.flag else ''}{md(indicators.get(f.indicator, f.indicator))}, "
                f"{md(transform.year_label(f.year, f.year_basis))}: "
                f"**{md(f.reported_as)}** ({md(f.qualifier)})"
                for f in shown_figures.itertuples()
            ]
            if len(figures) > len(shown_figures):
                lines.append(f"- … and {len(figures) - len(shown_figures):,} more (see Data)")
            st.markdown(
                f"Figures from this source in {year_range[0]}–{year_range[1]}:\n" + "\n".join(lines)
            )
        if row.id in ds.source_texts:
            quotes = [
                q
                for table in (
                    ds.observations.drop_duplicates(["source_id", "quote"]),
                    ds.events,
                    ds.trade_makeup,
                )
                for q in table.loc[table["source_id"] == row.id, "quote"]
            ]
            with st.expander("Full text, with the quoted sentences highlighted"):
                st.markdown(_highlighted(ds.source_texts[row.id], quotes))
        st.divider()
    st.caption(md(export.DASHBOARD_CITATION))
