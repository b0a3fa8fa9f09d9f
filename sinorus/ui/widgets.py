"""Widgets every section shares: guarded parts, charts, downloads with their bundle, code and
citation, and the cached (frame, figure) builds."""

from __future__ import annotations

import logging
import threading
import time

import pandas as pd
import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from sinorus import (
    __version__,
    bundle,
    charts,
    export,
    i18n,
    images,
    paths,
    share,
    snippets,
    transform,
    views,
)
from sinorus.i18n import N_, _
from sinorus.load import DataError, Dataset
from sinorus.markup import md, md_table
from sinorus.ui import language

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
            _("This part of the page could not be shown. The rest of the page is unaffected."),
            icon=":material/error:",
        )


def error_panel(err: DataError) -> None:
    st.title("sinorus")
    st.error(
        _(
            "The data package cannot be shown: {count} problem(s) were found. Nothing is "
            "displayed until they are fixed. Each line reads FILE:ROW: FIELD: problem."
        ).format(count=len(err.problems)),
        icon=":material/error:",
    )
    # the problem lines themselves are diagnostics, in English as the command line prints them
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.caption(
        _("Check the package with: {command}").format(command="python -m sinorus validate DATA_DIR")
    )


#: What a section has nothing of in the range (`no_figures`'s `what`), each a whole message.
NO_FIGURES = {
    "figures": N_("No figures between {first} and {last}. Widen the year range to see them."),
    "trade figures": N_(
        "No trade figures between {first} and {last}. Widen the year range to see them."
    ),
    "claims": N_("No claims between {first} and {last}. Widen the year range to see them."),
    "commodity rows": N_(
        "No commodity rows between {first} and {last}. Widen the year range to see them."
    ),
}


def no_figures(year_range: tuple[int, int], what: str = "figures") -> None:
    lo, hi = year_range
    if what in NO_FIGURES:
        text = _(NO_FIGURES[what]).format(first=lo, last=hi)
    else:
        text = _("No {what} between {first} and {last}. Widen the year range to see them.").format(
            what=what, first=lo, last=hi
        )
    st.info(text, icon=":material/search:")


def downloads(
    frame: pd.DataFrame, ds: Dataset, slug: str, year_range, fig=None, memo=None, **options
):
    """PNG and SVG of `fig` (when given), CSV, Excel and JSON of exactly `frame` (the chart's own
    frame, from the registry's view `slug`), plus its bundle, code and citation. `memo`: what
    is made from `frame` alone, kept with it (`built`)."""
    title = views.view(slug).title
    empty = frame.empty
    row = st.container(horizontal=True, gap="small")
    if fig is not None:
        _picture_buttons(row, fig, ds, frame, slug, year_range, empty, options, memo)
    for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON")):
        name, mime = export.filename(slug, year_range, fmt), export.FORMATS[fmt]
        row.download_button(
            label,
            icon=":material/download:",
            data=kept(
                lambda fmt=fmt: export.render(fmt, frame, ds.sources, title, year_range),
                mime,
                name,
                f"{slug}-{fmt}",
            ),
            file_name=name,
            mime=mime,
            key=f"dl-{slug}-{fmt}",
            on_click="ignore",
            disabled=empty,
            help=_("No rows in this range to download.")
            if empty
            else _("{title}, {first}–{last}, with sources and quotes").format(
                title=_(title), first=year_range[0], last=year_range[1]
            ),
        )
    # built and sent only once opened (a rerun): a range change redraws no hidden code blocks
    reuse = row.popover(_("Bundle · code · cite"), key=f"reuse-{slug}", on_change="rerun")
    if reuse.open:
        with reuse:
            _reuse(frame, ds, slug, year_range, options)
    if fig is not None and slug in share.SECTION_OF:
        sharing = row.popover(_("Share"), key=f"share-{slug}", on_change="rerun")
        if sharing.open:
            with sharing:
                share_panel(slug, title)


def share_panel(slug: str, title: str) -> None:
    """The link to this chart at this range and these switches, and the code that embeds it
    (at a size the reader picks), each with its copy button."""
    params = st.query_params.to_dict()  # the view's state, as the page has just written it
    st.markdown(_("**Link to this chart**"))
    st.code(share.chart_link(page_base(), params, slug), language=None, wrap_lines=True)
    st.markdown(_("**Embed this chart** (the chart alone, with its source and a link back)"))
    size = st.radio(_("Size"), list(share.SIZES), key=f"share-size-{slug}", horizontal=True)
    src = share.embed_src(page_base(), params, slug)
    st.code(
        share.iframe(src, size, _("{title} · sinorus").format(title=_(title))),
        language="html",
        wrap_lines=True,
    )


def kept(build, mime: str, file_name: str, key: str):
    """`build` as a deferred download's data, whose file, once built, stays this reader's until
    their next run.

    Streamlit stores a deferred download's file (content-addressed) referenced by no session:
    the clean-up after any reader's script run marks it, the next one deletes it, so with many
    readers at once it was often gone (HTTP 404 on /media/<id>) before the browser fetched it.
    The same bytes added for this session, at a place of their own (`key`), are kept until this
    reader's page runs again, as an eager download's file is. It is built in the page's
    language (`language.deferred`)."""
    build = language.deferred(build)
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not runtime.exists():  # no server (tests, bare mode): nothing to keep
        return build
    files = runtime.get_instance().media_file_mgr

    def data() -> bytes:
        out = build()
        keep = threading.Thread(
            target=files.add,
            args=(out, mime, f"sinorus-kept-{key}"),
            kwargs={"file_name": file_name, "is_for_static_download": True},
            name="sinorus-keep-download",
        )
        add_script_run_ctx(keep, ctx)  # the reader's session: the file is counted as theirs
        keep.start()
        keep.join()
        return out

    return data


def _picture_buttons(
    row, fig, ds: Dataset, frame, slug: str, year_range, empty: bool, options, memo=None
) -> None:
    """PNG and SVG of the chart, drawn on the server only when asked for (never on first view),
    with title, notes, source line, licence and the view's address inside.

    A click hands the picture to the server's picture pool (`images`), which draws one or two
    at a time in processes of their own, never in the threads that serve other downloads; the
    button (a fragment: a click reruns it alone, not the page) shows it being drawn, then
    becomes the download of the drawn picture; a full queue or a failure is said beside it."""
    reason = _("Nothing in this range to draw.") if empty else images.unavailable()
    provenance = _provenance(ds, frame, memo)
    for fmt in images.FORMATS:
        # what the picture shows: its address holds the range, scale and section; the options
        # hold the rest (a treemap's year, direction, reporter)
        wanted = (
            fmt,
            provenance,
            tuple(year_range),
            tuple(sorted(options.items())),
            i18n.current(),
        )
        name = export.filename(slug, year_range, fmt)
        with row:
            _picture_button(f"picture-{slug}-{fmt}", wanted, fig, name, reason)


class _Refused:
    """A drawing that never started: done at once, its result the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def done(self) -> bool:
        return True

    def result(self) -> bytes:
        raise images.ImageUnavailable(self.reason)


def _pictures() -> dict:
    """This reader's pictures (kept with their session only: they carry the view's address):
    key -> (what it shows, its drawing)."""
    return st.session_state.setdefault("pictures", {})


#: Seconds between two looks at a picture being drawn.
POLL_SECONDS = 0.3


@st.fragment
def _picture_button(key: str, wanted, fig, name: str, reason: str | None) -> None:
    """One picture's button: draw (a click reruns this fragment alone, which waits for the
    picture), being drawn, save, or why not."""
    language.resume()
    fmt = wanted[0]
    label = fmt.upper()
    found = _pictures().get(key)
    drawing = found[1] if found and found[0] == wanted else None  # else drawn for another view
    failed = None
    if drawing is not None and drawing.done():
        try:
            data = drawing.result()
        except images.ImageUnavailable as err:
            logger.warning("sinorus: %s picture not drawn: %s", fmt, err)
            drawing, failed = None, str(err)
    slot = st.empty()  # the draw button, replaced by the download once drawn
    if reason or drawing is None:
        asked = slot.button(
            _("{format}: try again").format(format=label) if failed else label,
            icon=":material/image:",
            key=key,
            disabled=reason is not None,
            help=failed
            or reason
            or _(
                "Draw the chart as a picture (a few seconds), with its title, source, licence "
                "and this view's address; then save it"
            ),
        )
        if failed:
            st.caption(_("{format} not drawn: {reason}").format(format=label, reason=failed))
        if not asked:
            return
        drawing = _start_picture(key, wanted, fig)
        _wait(drawing, label)
        try:
            data = drawing.result()
        except images.ImageUnavailable as err:  # the button stays, to try again
            st.caption(_("{format} not drawn: {reason}").format(format=label, reason=err))
            return
    elif not drawing.done():  # asked for before this run of the page: look now and then
        _being_drawn(key, label)
        return
    slot.download_button(
        label,
        icon=":material/download:",
        data=data,
        file_name=name,
        mime=images.FORMATS[fmt],
        key=f"dl-{key.removeprefix('picture-')}",
        on_click="ignore",
        type="primary",
        help=_("The chart as a picture, drawn: save it"),
    )


def _wait(drawing, label: str) -> None:
    """Wait for `drawing`, saying so. Each look lets a page rerun the reader asked for begin
    (which shows the picture as being drawn, `_being_drawn`); another fragment's rerun (such
    as the other picture's button) waits its turn."""
    note = st.empty()
    while not drawing.done():
        note.caption(_being_drawn_words(label))
        time.sleep(POLL_SECONDS)
    note.empty()


@st.fragment(run_every=1.0)
def _being_drawn(key: str, label: str) -> None:
    """A picture asked for before the page ran again: the page is drawn again once it is
    done, so that its button becomes its download."""
    language.resume()
    found = _pictures().get(key)
    if found is None or found[1].done():
        st.rerun(scope="app")
    st.caption(_being_drawn_words(label))


def _being_drawn_words(label: str) -> str:
    return _(
        ":material/hourglass_empty: {format}: being drawn ({count} on the server now)…"
    ).format(format=label, count=images.under_way())


def _start_picture(key: str, wanted, fig):
    fmt, provenance = wanted[:2]
    try:
        drawing = images.draw(fig, fmt, provenance)
    except images.ImageUnavailable as err:  # a full queue, or no browser here: said in words
        drawing = _Refused(str(err))
    _pictures()[key] = (wanted, drawing)
    return drawing


def _provenance(ds: Dataset, frame: pd.DataFrame, memo: dict | None = None) -> images.Provenance:
    """Every source the chart draws, grouped, with licences in readers' words (no ids)."""
    source, licence = derived(memo, "provenance", lambda: export.provenance(frame, ds.sources))
    return images.Provenance(source=source, licence=licence, address=view_url())


def view_url() -> str:
    """This view's address: the page with its year range, scale and section."""
    from urllib.parse import urlencode

    query = urlencode(st.query_params.to_dict())
    return base_url().rstrip("/") + "/" + (f"?{query}" if query else "")


def _reuse(frame: pd.DataFrame, ds: Dataset, slug: str, year_range, options: dict) -> None:
    """The bundle twin (this view or the full table), code that loads the same rows (where the
    rows have a public address), and the citation."""
    v = views.view(slug)
    span = v.years(ds)  # the years its rows can cover: the documents', or the later reports'
    choice = "view"
    if year_range[0] <= span[0] and span[1] <= year_range[1]:  # the view is the full table
        st.caption(_("The full table, {first}–{last}.").format(first=span[0], last=span[1]))
    else:
        # worded now, in this run's language (a format function may be called outside the run)
        holds = {
            "view": _("this view, {first}–{last}").format(first=year_range[0], last=year_range[1]),
            "full": _("the full table, {first}–{last}").format(first=span[0], last=span[1]),
        }
        choice = st.radio(
            _("The bundle holds"),
            ["view", "full"],
            format_func=holds.get,
            key=f"bundle-range-{slug}",
            horizontal=True,
        )
    bundle_range = tuple(year_range) if choice == "view" else span
    name, mime = export.filename(slug, bundle_range, "zip"), export.FORMATS["zip"]

    def build() -> bytes:
        rows = frame if choice == "view" else v.frame(ds, span, **options)
        return bundle.to_bundle(
            rows, ds.sources, v.title, bundle_range, slug=slug, observations=ds.observations
        )

    st.download_button(
        _("ZIP: CSV + datapackage.json + README"),
        icon=":material/download:",
        data=kept(build, mime, name, f"{slug}-zip"),
        file_name=name,
        mime=mime,
        key=f"dl-{slug}-zip",
        on_click="ignore",
        disabled=frame.empty,
        width="stretch",
        help=_(
            "The data, a Frictionless description of its columns, and a README with sources, "
            "licences and caveats."
        ),
    )
    if v.published and not ds.private:
        _code(ds, slug, year_range)
    else:
        st.caption(
            _(
                "Code snippets load the data from this server's public addresses; data you "
                "uploaded stays in your session and has none, so use the bundle."
            )
        )
    st.markdown(_("**Cite this**"))
    st.code(citations(ds)["dashboard"]["text"], language=None, wrap_lines=True)


def _code(ds: Dataset, slug: str, year_range) -> None:
    st.markdown(_("**Use this data in code** (loads what the chart shows, years applied in code)"))
    code = snippets.code_snippets(slug, year_range, base_url(), slot=paths.slot(ds.root))
    for tab, (lang, label) in zip(
        st.tabs(["pandas", "R", "curl"]),
        (("pandas", "python"), ("r", "r"), ("curl", "bash")),
        strict=True,
    ):
        tab.code(code[lang], language=label)


def base_url() -> str:
    try:
        return snippets.base_url_from_page(st.context.url)
    except Exception:  # no browser context (tests, bare mode)
        return "http://localhost:8501"


def page_base() -> str:
    """The page's own address as the browser shows it (no query), or "" (a relative link)
    where there is no browser (tests, bare mode)."""
    url = st.context.url if runtime.exists() else None
    return snippets.base_url_from_page(url) if url else ""


def citations(ds: Dataset) -> dict:
    if ds.private:  # names a reader's files: never in a cache other readers share
        return per_reader(
            ds,
            ("citations", base_url()),
            lambda: snippets.citations(ds.sources, __version__, url=base_url()),
        )
    return _cached_citations(str(ds.root), base_url(), ds.sources)


@st.cache_data(max_entries=16, show_spinner=False, ttl=3600)
def _cached_citations(key: str, url: str, _sources: pd.DataFrame) -> dict:
    return snippets.citations(_sources, __version__, url=url)


#: A chart's description longer than this (characters) is shown under its plot, not above.
LONG_DESCRIPTION = 320


def chart(
    fig, name: str, year_range, *, description: str | None = None, table=None, controls=None
) -> None:
    """A chart with its text alternative: its title as a heading (the chart's name), a sentence
    saying what it shows, the plot, its notes, then the same rows as a table on demand.

    The chart's accessible name is its title, that sentence and the sentence on each context
    layer it draws (`charts.describe_layer`); on the page those layers are told in the notes
    under the plot, so the sentence above it stays on the chart's subject.
    `controls` (optional) draws widgets that act on this chart, right under the plot.
    """
    head = charts.header(fig)
    if head["title"]:
        # h2 under the page's h1: the chart's name; its anchor (`#slug`) is what a shared link
        # to this chart opens on
        st.header(md(head["title"]), anchor=name)
    # a sentence above the plot; a longer account (one line per claim, say) under it, so that
    # the plot is on the first screen
    above = description if description and len(description) <= LONG_DESCRIPTION else None
    if above:
        st.markdown(md(above))
    alt = (
        " ".join(
            filter(None, [". ".join(filter(None, [head["title"], description]))] + head["layers"])
        )
        or None
    )
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"chart-{name}", alt=alt)
    if controls is not None:
        controls()
    if description and not above:
        st.markdown(md(description))
    if head["layers"] or head["notes"]:
        st.caption(md(" ".join(head["notes"] + head["layers"])))
    if table is not None and not table.empty:
        box = opened_expander(_("Table: the figures this chart shows"), f"table-{name}")
        if box is not None:
            with box:
                # st.table renders cells as Markdown: data shows as text, never a link or LaTeX
                st.table(
                    md_table(table),
                    hide_index=True,
                    alt=_("{title}: the figures as a table").format(title=head["title"]),
                )


def opened_expander(label: str, key: str):
    """An expander whose content is built and sent only once a reader opens it (a rerun), so a
    range change redraws no hidden tables: the expander when open, else None."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def described_chart(
    fig, frame, ds: Dataset, slug: str, year_range, controls=None, memo=None
) -> None:
    """`chart` with the sentence and table its view's words (`sinorus.alttext`) make from its
    frame (kept in `memo` with the frame, when given: made once per frame, not once per run)."""
    labels = source_labels(ds)
    v = views.view(slug)
    chart(
        fig,
        slug,
        year_range,
        description=derived(memo, "description", lambda: v.describe(frame, year_range, labels)),
        table=derived(memo, "table", lambda: v.table(frame, labels)),
        controls=controls,
    )


def derived(memo: dict | None, key: str, build):
    """`build()`, kept in `memo` (a built view's own: made from its frame alone) when given."""
    return build() if memo is None else transform.once(memo, key, build)


source_labels = views.source_labels


PER_READER_ENTRIES = 64


def per_reader(ds: Dataset, key, build):
    """`build()` cached with this reader's own dataset (it holds their file names), bounded."""
    cache = ds.memo.setdefault("builds", {})
    if key not in cache:
        if len(cache) >= PER_READER_ENTRIES:
            cache.pop(next(iter(cache)))
        cache[key] = build()
    return cache[key]


@st.cache_resource(max_entries=64, show_spinner=False)
def _built(key: str, slug: str, year_range: tuple, options: tuple, _ds: Dataset, lang: str):
    """(frame, figure, memo) of one view, built once and shared between readers of the shared
    data: the frames and figures are never modified after this; the memo keeps what is made
    from them (sentence, table, picture's source line) for the next run."""
    return _build(_ds, slug, year_range, dict(options))


def _build(ds: Dataset, slug: str, year_range, options: dict):
    v = views.view(slug)
    frame = v.frame(ds, year_range, **options)
    fig = v.figure(ds, year_range, frame, **options)
    separators = i18n.plotly_separators()
    if fig is not None and separators:  # 33,4 in Russian, as the page's other numbers
        fig.update_layout(separators=separators)
    return frame, fig, {}


def built(ds: Dataset, slug: str, year_range, **options):
    """(frame, figure, memo) of one registered view: shared by every reader of the shared
    dataset; with a reader's uploads, kept with that reader only (labels and hover name their
    files)."""
    key = tuple(sorted(options.items()))
    lang = i18n.current()  # its words are the page's language: one build per language
    if ds.private:
        return per_reader(
            ds, (slug, tuple(year_range), key, lang), lambda: _build(ds, slug, year_range, options)
        )
    return _built(str(ds.root), slug, tuple(year_range), key, ds, lang)


def frame_and_figure(ds: Dataset, slug: str, year_range, **options):
    """(frame, figure) of one registered view (`built`)."""
    return built(ds, slug, year_range, **options)[:2]


def show(ds: Dataset, slug: str, year_range, *, controls=None, empty: str = "figures", **options):
    """One registered chart: its heading, sentence, plot and table, then its downloads, all
    from the same frame."""
    frame, fig, memo = built(ds, slug, year_range, **options)
    if fig is None:
        no_figures(year_range, empty)
        if controls is not None:
            controls()
    else:
        described_chart(fig, frame, ds, slug, year_range, controls=controls, memo=memo)
    downloads(frame, ds, slug, year_range, fig=fig, memo=memo, **options)
    return frame
