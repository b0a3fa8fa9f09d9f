"""Section "Trade over time": the time series, its downloads and the events the texts name."""

from __future__ import annotations

import streamlit as st

from sinorus import transform, views
from sinorus.load import Dataset
from sinorus.ui.widgets import chart, downloads, frame_and_figure, no_figures

QUALIFIER_HELP = (
    "**How to read the marks.** Filled circle: the figure as stated. Hollow circle: *about*. "
    'Triangle down: *nearly* (a little below). Triangle up: *at least* ("already reached"). '
    "Colour: the source. A year written *c. 1997* was read from context, not stated."
)


def render(ds: Dataset, year_range, log_scale: bool, show_events: bool) -> None:
    trade, fig = frame_and_figure(ds, "trade-total", year_range, log_scale, show_events)
    if fig is None:
        no_figures(year_range, "trade figures")
    else:
        chart(fig, "trade-total", year_range)
        st.caption(QUALIFIER_HELP)
    downloads(trade, ds, "trade-total", year_range)
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
            downloads(views.view("events").frame(ds, year_range), ds, "events", year_range)
