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
    first, last = span
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        if first < last:
            st.slider(
                "Years",
                first,
                last,
                key="year_range",
                on_change=on_change,
                help="Every chart, metric and table follows this range. It is kept in the page's address, so a view can be shared.",
            )
        else:
            st.caption(f"All figures are from {first}.")
    with right:
        st.toggle("Log scale", key="log_scale", on_change=on_change)
        st.toggle("Show events", key="show_events", on_change=on_change)
    write_url(span)
    lo, hi = st.session_state.year_range
    return (int(lo), int(hi)), bool(st.session_state.log_scale), bool(st.session_state.show_events)
