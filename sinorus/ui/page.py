"""The page: data loading, the header, the controls and the chosen section."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from sinorus import engine, publish, transform
from sinorus.i18n import N_, _
from sinorus.load import DataError, Dataset, data_dir, load
from sinorus.markup import md
from sinorus.ui import (
    claims,
    composition,
    data,
    embed,
    headline,
    language,
    layout,
    sources,
    trade,
    yours,
)
from sinorus.ui.state import controls, init_state, on_change, unread_url_notice, write_url
from sinorus.ui.widgets import error_panel, guarded
from sinorus.ui.yours import refused_uploads, with_uploads

logger = logging.getLogger(__name__)


PAGE_ICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"


SECTIONS = {
    "trade": N_("Trade over time"),
    "composition": N_("Composition"),
    "data": N_("Data"),
    # after Data, beside Sources: two rows of buttons at 390 px (after Composition: three)
    "claims": N_("Claims and records"),
    "sources": N_("Sources"),
    "yours": N_("Your data"),
}
RENDERERS = {
    "composition": composition.render,
    "claims": claims.render,
    "data": data.render,
    "sources": sources.render,
    "yours": yours.render,
}


@st.cache_resource(show_spinner=False)
def _dataset(path: str) -> Dataset:
    """One validated, read-only dataset per data directory, shared by every session."""
    return load(path)


def main() -> None:
    language.choose()
    st.set_page_config(
        page_title=_("China–Russia trade · sinorus"),
        page_icon=str(PAGE_ICON),
        layout="wide",
        menu_items={
            "About": _(
                "sinorus: China–Russia trade figures, each tied to the sentence it came from."
            )
        },
    )
    try:
        ds = _dataset(str(data_dir()))
    except DataError as err:
        error_panel(err)
        return
    except Exception:  # never a traceback in the browser
        logger.exception("sinorus: loading the data failed")
        st.error(
            _("The data could not be read. The server log has the details."),
            icon=":material/error:",
        )
        return

    _publish(ds)
    engine.give_back_memory_every(10)
    chart = embed.requested()
    if chart is not None:  # `?embed=CHART`: that chart alone, for a frame on another page
        guarded(embed.render, ds, chart)
        layout.page_language()
        return
    ds = with_uploads(ds)
    span = transform.year_span(ds)
    init_state(span, transform.documents_span(ds))
    layout.first_screen()
    top = st.container(horizontal=True, vertical_alignment="top", gap="small", key="top")
    top.title(_("China–Russia trade, as two 2007 documents report it"))
    language.switch(top)
    st.markdown(
        _(
            "Two 2007 documents' figures, hedges kept, over the IMF's official record and later "
            "reports."
        )
    )
    _below_slider(ds, span)
    layout.hold_anchor()  # last on the page, and outside the part a range change reruns
    layout.page_language()
    _freeze_what_lasts()


@st.fragment
def _below_slider(ds: Dataset, span: tuple[int, int]) -> None:
    """Everything the year range, a switch or the section changes, from the slider down: a
    change there reruns this part alone (the page's settings, data, uploader, style and title
    above it stay as they are, neither run nor sent again). An upload reruns the whole page."""
    language.resume()
    year_range, chart_options = controls(span)
    url_notices(st.session_state.get("url_notices", []))
    unread_url_notice()
    refused_uploads()
    for notice in ds.notices:
        st.info(md(notice), icon=":material/info:")

    guarded(headline.render, ds, year_range, span)
    st.segmented_control(
        _("Section"),
        list(SECTIONS),
        format_func=lambda section: _(SECTIONS[section]),
        key="view",
        required=True,
        on_change=on_change,
        label_visibility="collapsed",
    )
    write_url(span)
    # Only the chosen section is built and sent: hidden charts cost the browser as much as shown ones.
    section = st.session_state.view
    if section == "trade":
        guarded(trade.render, ds, year_range, chart_options)
    else:
        guarded(RENDERERS[section], ds, year_range)


def url_notices(notices: list[str]) -> None:
    """What was fixed in the address: one notice, a list when there are several (five stacked
    boxes pushed the chart a screen down)."""
    if len(notices) == 1:
        st.warning(md(notices[0]), icon=":material/warning:")
    elif notices:
        items = "\n".join(f"- {md(n)}" for n in notices)
        st.warning(
            _("The address was fixed in {count} places:").format(count=len(notices)) + f"\n{items}",
            icon=":material/warning:",
        )


@st.cache_resource(show_spinner=False)
def _freeze_what_lasts() -> int:
    """Once per process, after its first page is drawn (every module the page uses imported,
    the dataset loaded): what is alive now lives as long as the process, so the garbage
    collector stops looking at it (`gc.freeze`). Streamlit collects garbage after every run,
    holding the server for as long as a full collection takes: 80-100 ms of each range change
    here, under 5 ms once frozen. The objects counted as frozen are returned."""
    import gc

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@st.cache_resource(show_spinner=False)
def _published(root: str, _ds: Dataset) -> int:
    """Write the static data files (stable URLs) once per data directory and process."""
    return len(publish.publish(_ds))


def _publish(ds: Dataset) -> None:
    try:
        _published(str(ds.root), ds)
    except (OSError, DataError):  # a read-only install (or a path refused) still serves the
        logger.exception("sinorus: publishing the static data files failed")  # page, no data URLs
