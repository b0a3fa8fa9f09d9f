"""Section "Claims and records": each figure the documents state beside what later reports (and,
when imported, the official totals) give for the same year, with the gap and a reason."""

from __future__ import annotations

import streamlit as st

from sinorus import views
from sinorus.load import Dataset
from sinorus.ui.widgets import show


def render(ds: Dataset, year_range) -> None:
    if not views.view("claims-and-records").available(ds):
        st.info(
            "This data package has no later reports (reports.csv), so the documents' figures "
            "cannot be set beside them.",
            icon="ℹ️",
        )
        return
    st.caption(
        "Were the documents right? Each figure the two August 2007 documents state, beside "
        "the full-year figures later reports give for the same year. The gap is (document − "
        "report) ÷ report; a figure written before its year was over is not wrong for being "
        "lower than the full year."
    )
    show(ds, "claims-and-records", year_range, empty="document figures")
    if ds.trade_flows is None or not len(ds.trade_flows):
        st.caption(
            "No official series is imported here: with UN Comtrade flows (`sinorus import`, or "
            "a file added in the sidebar) each reporter's official total joins the later "
            "reports, as a green diamond."
        )
