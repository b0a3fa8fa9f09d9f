"""Widgets every section shares: guarded parts, charts, downloads with their bundle, code and
citation, and the cached (frame, figure) builds."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from sinorus import (
    __version__,
    alttext,
    bundle,
    charts,
    export,
    flow_charts,
    flows,
    images,
    paths,
    snippets,
    transform,
    views,
)
from sinorus.load import DataError, Dataset
from sinorus.markup import md

logger = logging.getLogger(__name__)


# No mode bar: it covered chart titles and added up to 8 tab stops per chart; pictures come from
# the PNG/SVG downloads (with title, source, licence and address drawn in), zoom from dragging and
# double-click, the figures themselves from each chart's table.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


def guarded(part, *args) -> None:
    """Draw one part of the page; if it fails, say so there and keep the rest of the page."""
    try:
        part(*args)
    except Exception:  # Streamlit's own rerun/stop signals are BaseException and pass through
        logger.exception("sinorus: %s failed", part.__name__)
        st.error(
            "This part of the page could not be shown. The rest of the page is unaffected.",
            icon="🛑",
        )


def error_panel(err: DataError) -> None:
    st.title("sinorus")
    st.error(
        f"The data package cannot be shown: {len(err.problems)} problem(s) were found. "
        "Nothing is displayed until they are fixed. Each line reads FILE:ROW: FIELD: problem.",
        icon="🛑",
    )
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.caption("Check the package with: python -m sinorus validate DATA_DIR")


def no_figures(year_range: tuple[int, int], what: str = "figures") -> None:
    lo, hi = year_range
    st.info(f"No {what} between {lo} and {hi}. Widen the year range to see them.", icon="🔎")


def downloads(
    frame: pd.DataFrame,
    ds: Dataset,
    slug: str,
    year_range,
    title: str | None = None,
    fig=None,
) -> None:
    """PNG and SVG of `fig` (when given), CSV, Excel and JSON of exactly `frame` (the chart's own
    frame), plus its bundle, code and citation, each with its sources."""
    title = title or views.view(slug).title
    empty = frame.empty
    row = st.container(horizontal=True, gap="small")
    if fig is not None:
        _picture_buttons(row, fig, ds, frame, slug, year_range, empty)
    for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON")):
        row.download_button(
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
        )
    with row.popover("Bundle · code · cite"):
        if slug in views.VIEWS:
            _reuse(ds, slug, title, year_range)
        else:
            _reuse_uploaded(frame, ds, slug, title, year_range)


def _picture_buttons(row, fig, ds: Dataset, frame, slug: str, year_range, empty: bool) -> None:
    """PNG and SVG of the chart, drawn on the server only when asked for (never on first view),
    with title, notes, source line, licence and the view's address inside."""
    reason = "Nothing in this range to draw." if empty else images.unavailable()
    provenance = _provenance(ds, frame)
    for fmt in images.FORMATS:
        row.download_button(
            f"⬇ {fmt.upper()}",
            data=(lambda fmt=fmt: _picture(fig, fmt, provenance)),
            file_name=export.filename(slug, year_range, fmt),
            mime=images.FORMATS[fmt],
            key=f"dl-{slug}-{fmt}",
            on_click="ignore",
            disabled=reason is not None,
            help=reason
            or "The chart as a picture, with its title, source, licence and this view's address",
        )


def _picture(fig, fmt: str, provenance: images.Provenance) -> bytes:
    try:
        return images.render(fig, fmt, provenance)
    except images.ImageUnavailable as err:  # a click cannot show a message: the file says why
        logger.warning("sinorus: %s picture not drawn: %s", fmt, err)
        return str(err).encode()


def _provenance(ds: Dataset, frame: pd.DataFrame) -> images.Provenance:
    cited = export.sources_for(frame, ds.sources)
    labels = source_labels(ds)
    return images.Provenance(
        source="; ".join(labels.get(i, t) for i, t in zip(cited["id"], cited["title"], strict=True))
        or "sinorus",
        licence="; ".join(
            f"{labels.get(i, i).split(',')[0]}: {lic}"
            for i, lic in zip(cited["id"], cited["license"], strict=True)
        )
        + "; curation CC BY 4.0",
        address=view_url(),
    )


def view_url() -> str:
    """This view's address: the page with its year range, scale and section."""
    from urllib.parse import urlencode

    query = urlencode(st.query_params.to_dict())
    return base_url().rstrip("/") + "/" + (f"?{query}" if query else "")


def _reuse(ds: Dataset, slug: str, title: str, year_range) -> None:
    """The bundle twin (current view or full table), code that loads the same rows, citation."""
    span = transform.year_span(ds)
    if tuple(year_range) == tuple(span):  # one choice only: no radio offering the same twice
        choice = "view"
        st.caption(f"The full table, {span[0]}–{span[1]}.")
    else:
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
    code = snippets.code_snippets(slug, year_range, base_url(), slot=paths.slot(ds.root))
    for tab, (lang, label) in zip(
        st.tabs(["pandas", "R", "curl"]),
        (("pandas", "python"), ("r", "r"), ("curl", "bash")),
        strict=True,
    ):
        tab.code(code[lang], language=label)
    st.markdown("**Cite this**")
    st.code(citations(ds)["dashboard"]["text"], language=None, wrap_lines=True)


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
    st.code(citations(ds)["dashboard"]["text"], language=None, wrap_lines=True)


def base_url() -> str:
    try:
        return snippets.base_url_from_page(st.context.url)
    except Exception:  # no browser context (tests, bare mode)
        return "http://localhost:8501"


def citations(ds: Dataset) -> dict:
    if is_private(ds):  # names a reader's files: never in a cache other readers share
        return per_reader(ds, ("citations", base_url()), lambda: snippets.citations(ds.sources, __version__, url=base_url()))  # fmt: skip
    return _cached_citations(str(ds.root), base_url(), ds.sources)


@st.cache_data(max_entries=16, show_spinner=False, ttl=3600)
def _cached_citations(key: str, url: str, _sources: pd.DataFrame) -> dict:
    return snippets.citations(_sources, __version__, url=url)


def chart(
    fig, name: str, year_range, *, description: str | None = None, table=None, controls=None
) -> None:
    """A chart with its text alternative: its title as a heading (the chart's name), a sentence
    saying what it shows, the plot, its notes, then the same rows as a table on demand.

    `controls` (optional) draws widgets that act on this chart, right under the plot.
    """
    head = charts.header(fig)
    if head["title"]:
        st.markdown(f"## {md(head['title'])}")  # h2 under the page's h1: the chart's name
    if description:
        st.markdown(md(description))
    alt = ". ".join(filter(None, [head["title"], description])) or None
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"chart-{name}", alt=alt)
    if controls is not None:
        controls()
    if head["notes"]:
        st.caption(md(" ".join(head["notes"])))
    if table is not None and not table.empty:
        with st.expander("Table: the figures this chart shows"):
            st.table(table, hide_index=True, alt=f"{head['title']}: the figures as a table")


def described_chart(fig, frame, ds: Dataset, slug: str, year_range, controls=None) -> None:
    """`chart` with the sentence and table `sinorus.alttext` makes from the chart's own frame."""
    labels = source_labels(ds)
    chart(
        fig,
        slug,
        year_range,
        description=alttext.describe(slug, frame, tuple(year_range), labels),
        table=alttext.table(slug, frame, labels),
        controls=controls,
    )


def source_labels(ds: Dataset) -> dict[str, str]:
    return {
        row.id: charts.source_label(row.publisher, row.published) for row in ds.sources.itertuples()
    }


PRIVATE = "private"
PER_READER_ENTRIES = 64


def is_private(ds: Dataset) -> bool:
    """A reader's own dataset (the shared one plus their uploads)."""
    return bool(ds.memo.get(PRIVATE))


def per_reader(ds: Dataset, key, build):
    """`build()` cached with this reader's own dataset (it holds their file names), bounded."""
    cache = ds.memo.setdefault("builds", {})
    if key not in cache:
        if len(cache) >= PER_READER_ENTRIES:
            cache.pop(next(iter(cache)))
        cache[key] = build()
    return cache[key]


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
        source_labels=source_labels(ds),
        marks=transform.trade_marks_in(ds, year_range),
    )
    if ds.trade_flows is not None and len(ds.trade_flows):
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
    return contrib, charts.source_bars(contrib, source_labels(ds))


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


def frame_and_figure(ds: Dataset, slug: str, year_range, *options):
    """(frame, figure) of one chart: shared by every reader of the shared dataset; with a
    reader's uploads, kept with that reader only (labels and hover name their files)."""
    if is_private(ds):
        key = (slug, tuple(year_range), options)
        return per_reader(ds, key, lambda: BUILDERS[slug](ds, year_range, *options))
    return _built(str(ds.root), slug, tuple(year_range), options, ds)
