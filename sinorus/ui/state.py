"""The view's state: the URL read once per session, kept in session state, written back."""

from __future__ import annotations

import streamlit as st

from sinorus import urlstate


def init_state(span: tuple[int, int]) -> None:
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
    write_url(span)


def on_change() -> None:
    st.session_state.url_notices = []


def write_url(span: tuple[int, int]) -> None:
    state = {
        "year_range": tuple(st.session_state.year_range),
        "scale": "log" if st.session_state.log_scale else "linear",
        "view": st.session_state.get("view") or urlstate.VIEWS[0],
    }
    wanted = urlstate.to_params(state, span)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {k: [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


def controls(span: tuple[int, int]) -> tuple[tuple[int, int], bool, bool]:
    """The year slider (every section follows it); the trade chart's own options are drawn by
    `chart_options` beside that chart only, and kept here while other sections are shown."""
    first, last = span
    if first < last:
        st.slider(
            "Years",
            first,
            last,
            key="year_range",
            on_change=on_change,
            label_visibility="collapsed",  # still its accessible name; the thumbs show the years
        )
    else:
        st.caption(f"All figures are from {first}.")
    write_url(span)
    lo, hi = st.session_state.year_range
    return (int(lo), int(hi)), bool(st.session_state.log_scale), bool(st.session_state.show_events)


#: Option (kept in session state, in the URL for the scale) -> its toggle's label.
CHART_OPTIONS = {"log_scale": "Log scale", "show_events": "Show events"}


def chart_options() -> None:
    """Log scale and Show events, drawn only with the chart they act on. The toggles have keys
    of their own, copied into `log_scale` / `show_events` on change: a widget's state is dropped
    while it is not drawn, the view's state must not be."""
    row = st.container(horizontal=True, gap="medium")
    for option, label in CHART_OPTIONS.items():
        row.toggle(
            label,
            value=bool(st.session_state[option]),
            key=f"toggle-{option}",
            on_change=_copy_option,
            args=(option,),
        )


def _copy_option(option: str) -> None:
    st.session_state[option] = bool(st.session_state[f"toggle-{option}"])
    on_change()
