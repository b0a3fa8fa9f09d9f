"""Section "Data": the observations table in the range, doubtful figures flagged."""

from __future__ import annotations

import streamlit as st

from sinorus import transform
from sinorus.load import Dataset
from sinorus.ui.widgets import downloads, no_figures

TABLE_ROWS = 1000  # rows shown in the Data table; downloads hold every row


def render(ds: Dataset, year_range) -> None:
    view = transform.observations_view(ds, year_range)
    st.caption(
        f"{len(view)} figure(s) in {year_range[0]}–{year_range[1]}, every indicator, as stated. Rows marked ⚠ are doubtful: kept as reported, never added to trade."
    )
    if view.empty:
        no_figures(year_range)
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
    downloads(view, ds, "observations", year_range)
