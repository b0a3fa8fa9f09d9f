"""The chart-only page, `?embed=CHART`: one chart's title, a one-line sentence, the chart, its
source line and a link to the same view in the full app. Made to sit in an `<iframe>` of 600×400
or more: no sidebar, slider, headline or notices."""

from __future__ import annotations

import re

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sinorus import export, share, transform, urlstate, views
from sinorus.charts import fold_axis_titles
from sinorus.i18n import _
from sinorus.load import Dataset
from sinorus.markup import md
from sinorus.ui import trade
from sinorus.ui.widgets import PLOTLY_CONFIG, frame_and_figure, page_base, source_labels

#: Streamlit's header, toolbar and padding take room a chart in a frame cannot spare; the
#: sentence keeps to one line (all of it is in the chart's accessible name); the page is as
#: tall as the frame (less the 1rem Streamlit keeps under it), and the plot takes what the
#: title, sentence and source line leave (`height="stretch"`), so no frame ever scrolls.
_STYLE = """<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none}
[data-testid="stMainBlockContainer"] {padding: .5rem .75rem 0 .75rem !important; max-width: none;
  height: calc(100vh - 1rem); display: flex; flex-direction: column}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {flex: 1 1 auto; min-height: 0}
[data-testid="stLayoutWrapper"]:has(> .st-key-sinorus-embed-chart) {flex: 1 1 0; min-height: 0}
.st-key-sinorus-embed-chart {flex: 1 1 0; min-height: 0; height: 100%}
.st-key-sinorus-embed-chart [data-testid="stElementContainer"] {flex: 1 1 0; min-height: 0}
[data-testid="stMain"] h1 {font-size: 1.15rem; padding: 0; line-height: 1.3}
.st-key-sinorus-embed-source p {font-size: .875rem; color: #4b5563; margin: 0}
.st-key-sinorus-embed-line p {white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin: 0}
</style>"""


def requested() -> str | None:
    """The chart the address asks for alone (`?embed=CHART`), or None for the full page."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return share.requested_chart(ctx.query_string if ctx is not None else "")


def charts(ds: Dataset) -> list[str]:
    """The charts this package can show alone."""
    return share.embeddable(s for s, v in views.VIEWS.items() if v.available(ds))


def state(ds: Dataset) -> tuple[dict, tuple[int, int], tuple[int, int]]:
    """The view's state from the address (whatever it holds: fixed quietly, the frame has no
    room for notices), the slider's span and the default range."""
    span, default = transform.year_span(ds), transform.documents_span(ds)
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    found, _notices = urlstate.parse(params, span, default)
    return found, span, default


def trade_options(ds: Dataset, found: dict) -> dict:
    """The trade chart's switches from the address, as the full page's trade section sets
    them (`trade.switches`)."""
    asked = {
        "log_scale": found["scale"] == "log",
        "show_official": found["record"],
        "show_reports": found["reports"],
        "show_events": found["events"],
    }
    return trade.switches(ds, asked)


def first_sentence(text: str) -> str:
    """The first sentence of `text` (a full stop before a capital, Latin or Cyrillic: "c. 2007"
    and "млрд долл. США" are not ends; in Chinese the first 。)."""
    if "。" in text:
        return text.split("。", 1)[0] + "。"
    end = r"(?<=[\w%)\]”'])(?<!долл)\.\s+(?=[A-ZА-ЯЁ])"
    return re.split(end, text, maxsplit=1)[0].rstrip(".") + "."


def render(ds: Dataset, slug: str) -> None:
    st.html(_STYLE)
    found, span, default = state(ds)
    link = share.chart_link(page_base(), urlstate.to_params(found, span, default), slug)
    if slug not in charts(ds):
        unknown(ds, slug, link)
        return
    year_range = found["year_range"]
    options = trade_options(ds, found) if slug == "trade-total" else {}
    frame, fig = frame_and_figure(ds, slug, year_range, **options)
    title = _(views.view(slug).title)
    open_link = _("[Open in sinorus ↗]({link})").format(link=link)
    st.markdown(f"# {md(title)}")
    sentence = views.view(slug).describe(frame, year_range, source_labels(ds))
    if fig is None:
        st.markdown(md(sentence))
        st.markdown(open_link)
        return
    with st.container(key="sinorus-embed-line"):
        st.markdown(md(first_sentence(sentence)))
    fig = type(fig)(fig)  # a copy: the shared figure is never modified
    fig.update_layout(height=None, legend_font_size=11, legend_tracegroupgap=0)
    fold_axis_titles(fig).update_yaxes(title_standoff=2)  # a frame 400 px tall: a plot ~160 px tall
    alt = _("{title}. {sentence}").format(title=title, sentence=sentence)
    with st.container(key="sinorus-embed-chart", height="stretch"):
        st.plotly_chart(
            fig, theme=None, config=PLOTLY_CONFIG, key=f"embed-{slug}", alt=alt, height="stretch"
        )
    source, _licence = export.provenance(frame, ds.sources)
    with st.container(key="sinorus-embed-source"):  # not a caption: its faded link fails AA
        st.markdown(_("Source: {source} · {link}").format(source=md(source), link=open_link))


def unknown(ds: Dataset, slug: str, link: str) -> None:
    names = ", ".join(f"`{s}`" for s in charts(ds))
    st.markdown("# sinorus")
    st.error(
        _("There is no chart {chart} to show here. Charts that can be embedded: {names}.").format(
            chart=md(repr(slug[:40])), names=names
        ),
        icon=":material/error:",
    )
    st.markdown(_("[Open sinorus ↗]({link})").format(link=link))
