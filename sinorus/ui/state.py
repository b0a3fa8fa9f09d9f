"""The view's state: the URL read once per session, kept in session state, written back."""

from __future__ import annotations

import json

import streamlit as st

from sinorus import i18n, urlstate
from sinorus.i18n import N_, _


def init_state(span: tuple[int, int], default: tuple[int, int] | None = None) -> None:
    """On a session's first run, take the view from the URL (fixing what is wrong, with notices).

    `span` is what the slider offers, `default` the range shown when the URL names none (the
    documents' years; default: the span). Later, if an upload changes them, a range that showed
    the default keeps showing the default, and any other range is kept within the span."""
    default = tuple(default or span)
    if "year_range" in st.session_state:
        old_span = tuple(st.session_state.get("span", span))
        old_default = tuple(st.session_state.get("default_range", old_span))
        if (old_span, old_default) != (tuple(span), default):
            lo, hi = st.session_state.year_range
            if (lo, hi) == old_default:
                lo, hi = default
            lo, hi = min(max(lo, span[0]), span[1]), min(max(hi, span[0]), span[1])
            st.session_state.year_range = (lo, hi)
            st.session_state.span, st.session_state.default_range = span, default
        return
    st.session_state.span, st.session_state.default_range = span, default
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state, notices = urlstate.parse(params, span, default)
    st.session_state.year_range = state["year_range"]
    st.session_state.log_scale = state["scale"] == "log"
    st.session_state.show_official = state["record"]
    st.session_state.show_reports = state["reports"]
    st.session_state.view = state["view"]
    st.session_state.show_events = state["events"]
    st.session_state.url_notices = notices
    st.session_state.url_unread = not params  # the address may hold what the server dropped
    write_url(span)


def on_change() -> None:
    st.session_state.url_notices = []
    st.session_state.url_unread = False


#: Streamlit's server ignores a whole query string of over 1,000 parameters without telling the
#: page: only the browser still sees it. This checks there and says so. (Streamlit also ignores
#: one of over 512 Ki characters, but no page gets that far: its HTTP server refuses a request
#: of more than about 128 KB before the page loads, so the notice speaks only of parameters.)
#: As the notice says it (Streamlit's CLIENT_STATE_QUERY_STRING_MAX_FIELDS; a test holds both).
MAX_URL_PARAMETERS = 1000
_UNREAD_URL_SCRIPT = """<style>html, body { margin: 0; padding: 0; }</style>
<script>
window.addEventListener("DOMContentLoaded", () => {
// the address the page was opened with (Streamlit rewrites the visible one at once)
const opened = window.parent.performance.getEntriesByType("navigation")[0];
const search = opened ? new URL(opened.name).search : window.parent.location.search;
// Streamlit's own embed parameters (embed, embed_options) are never the page's to read
const own = search.slice(1).split("&").filter(p => p && !/^embed(_options)?(=|$)/i.test(p));
if (own.length > 0) {
  const count = own.length;
  const note = document.createElement("p");
  note.setAttribute("role", "alert");
  note.style.cssText = "margin:0;padding:.6rem .9rem;border-radius:.5rem;background:#fff3cd;" +
    "color:#5c3c00;font:14px/1.4 sans-serif";
  // the notice in the page's language, its counts written by the language's rules
  note.textContent = @NOTE@
    .replace("{count}", count.toLocaleString(@LANG@))
    .replace("{characters}", search.length.toLocaleString(@LANG@));
  document.body.style.margin = "0";
  document.body.appendChild(note);
  const frame = window.frameElement;
  frame.style.height = (note.offsetHeight + 4) + "px";
  frame.parentElement.style.height = "auto";  // the element's box was sized for an empty frame
  frame.parentElement.style.minHeight = frame.style.height;
} else {
  window.frameElement.style.height = "0";  // nothing to say: take no room
}
});
</script>"""


def _js(value: str) -> str:
    """`value` as a JavaScript string literal, safe inside a <script>."""
    return json.dumps(value).replace("</", "<\\/")


def unread_url_script() -> str:
    """The notice's page, worded in the page's language (the counts filled in by the browser)."""
    note = _(
        "⚠ This address has {count} parameter(s) ({characters} characters): more than the "
        "server reads (at most {max} parameters), so none of them were used, not even from, to, "
        "scale or view. Showing the default view."
    )
    # {count} and {characters} are the browser's to fill; {max} is known here
    note = note.replace("{max}", i18n.number(MAX_URL_PARAMETERS, ",.0f"))
    return _UNREAD_URL_SCRIPT.replace("@NOTE@", _js(note)).replace("@LANG@", _js(i18n.html_lang()))


#: The notice's page in English (as built at import, where the language is English).
_UNREAD_URL = unread_url_script()


def unread_url_notice() -> None:
    """On a first view with no parameters the server could read: tell the reader if the
    browser's address had some (dropped by Streamlit as too many)."""
    if st.session_state.get("url_unread"):
        st.iframe(unread_url_script(), height=1)  # its script sizes it: no room, or the notice's


def write_url(span: tuple[int, int]) -> None:
    state = {
        "year_range": tuple(st.session_state.year_range),
        "scale": "log" if st.session_state.log_scale else "linear",
        "record": bool(st.session_state.get("show_official", True)),
        "reports": bool(st.session_state.get("show_reports", True)),
        "events": bool(st.session_state.get("show_events", True)),
        "view": st.session_state.get("view") or urlstate.SECTIONS[0],
        "lang": st.session_state.get("lang", "en"),
    }
    wanted = urlstate.to_params(state, span, st.session_state.get("default_range"))
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {k: [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


def controls(span: tuple[int, int]) -> tuple[tuple[int, int], dict]:
    """The year slider (every section follows it), and the trade chart's options as they stand
    (`log_scale`, `show_official`, `show_reports`, `show_events`): those are drawn by `chart_options` beside that
    chart only, and kept here while other sections are shown."""
    first, last = span
    if first < last:
        st.slider(
            _("Years"),
            first,
            last,
            key="year_range",
            on_change=on_change,
            label_visibility="collapsed",  # still its accessible name; the thumbs show the years
        )
    else:
        st.caption(_("All figures are from {year}.").format(year=first))
    write_url(span)
    lo, hi = st.session_state.year_range
    return (int(lo), int(hi)), {option: bool(st.session_state[option]) for option in CHART_OPTIONS}


#: Option (kept in session state; the scale and each layer in the URL) -> its toggle's label.
#: Labels and help are N_ (shown through `_()`, `chart_options`).
CHART_OPTIONS = {
    "log_scale": N_("Log scale"),
    "show_official": N_("Official record"),
    "show_reports": N_("Later reports"),
    "show_events": N_("Show events"),
}
CHART_OPTION_HELP = {
    "show_official": N_(
        "The official record (IMF Direction of Trade Statistics, to 2020): each country's "
        "exports FOB + imports CIF as it reports them, two lines, never added together."
    ),
    "show_reports": N_(
        "What news reports and customs releases gave each year's trade afterwards: small grey "
        "squares, restated and cited (see Sources), never mixed with the documents' figures."
    ),
}


def chart_options(layer: bool = True, record: bool = True) -> None:
    """Log scale, Official record and Later reports (when the package has them) and Show
    events, drawn only with the chart they act on. The toggles have keys of their own, copied into the view's state on
    change: a widget's state is dropped while it is not drawn, the view's state must not be."""
    row = st.container(horizontal=True, gap="medium")
    for option, label in CHART_OPTIONS.items():
        if (option == "show_reports" and not layer) or (option == "show_official" and not record):
            continue
        row.toggle(
            _(label),
            value=bool(st.session_state[option]),
            key=f"toggle-{option}",
            on_change=_copy_option,
            args=(option,),
            help=_(CHART_OPTION_HELP[option]) if option in CHART_OPTION_HELP else None,
        )


def _copy_option(option: str) -> None:
    st.session_state[option] = bool(st.session_state[f"toggle-{option}"])
    on_change()
