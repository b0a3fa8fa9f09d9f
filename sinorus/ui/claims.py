"""Section "Claims and records": each figure the documents and later reports give, set against the
official record's readings for its year (China-reported and Russia-reported), with the gap, the
flag and a reason where one is known."""

from __future__ import annotations

import streamlit as st

from sinorus import i18n, record, views
from sinorus.i18n import _
from sinorus.load import Dataset
from sinorus.ui.widgets import show


def render(ds: Dataset, year_range) -> None:
    if not views.view("claims-and-records").available(ds):
        st.info(
            _(
                "This data package has no official record (official.csv), so its figures cannot "
                "be set against one."
            ),
            icon=":material/info:",
        )
        return
    st.caption(
        _("Were they right? Each figure against the official record's readings of its year.")
    )
    show(ds, "claims-and-records", year_range, empty="claims")
    st.caption(  # under the chart, so that on a phone the chart is on the first screen
        _(
            "Each figure the two August 2007 documents state and each figure later reports give, "
            "against the official record for the same year as each country reports it (IMF "
            "Direction of Trade Statistics, 1992–2020): China's reading and Russia's, never "
            "added. The gap is (claim − reading) ÷ reading. A claim more than {percent} from "
            "both readings, or with a problem known at its source, is flagged, never dropped or "
            "edited; a figure written before its year was over is not wrong for being lower than "
            "the full year."
        ).format(percent=i18n.percent(record.FLAG_PCT, "g"))
    )
