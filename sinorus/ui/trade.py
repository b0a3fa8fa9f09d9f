"""Section "Trade over time": the time series, its options and downloads, and the events."""

from __future__ import annotations

import streamlit as st

from sinorus import transform, views
from sinorus.load import Dataset
from sinorus.ui.state import chart_options
from sinorus.ui.widgets import downloads, show

EVENT_COLUMNS = {
    "when": "Date",
    "title": "Event",
    "status": "Held or scheduled",
    "date_basis": "Date read as",
    "source_title": "Source",
    "quote": "Sentence",
}


def render(ds: Dataset, year_range, log_scale: bool, show_events: bool) -> None:
    show(
        ds,
        "trade-total",
        year_range,
        controls=chart_options,
        empty="trade figures",
        log_scale=log_scale,
        show_events=show_events,
    )
    if show_events:
        events = transform.events_in_range(ds, year_range)
        with st.expander(f"Events named in the texts ({len(events)} in range)"):
            st.dataframe(
                events[list(EVENT_COLUMNS)],
                hide_index=True,
                column_config={
                    **EVENT_COLUMNS,
                    "quote": st.column_config.TextColumn("Sentence", width="large"),
                },
            )
            downloads(views.view("events").frame(ds, year_range), ds, "events", year_range)
