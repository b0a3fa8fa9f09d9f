"""Section "Data": the observations table in the range, doubtful figures flagged."""

from __future__ import annotations

import streamlit as st

from sinorus import charts, transform
from sinorus.load import Dataset
from sinorus.ui.widgets import downloads, no_figures, source_labels

TABLE_ROWS = 1000  # rows shown in the Data table; downloads hold every row
UNITS = {"USD bn": "US$ bn", "percent": "%"}
#: Shown columns, in reading order: what a row is first (its indicator, after its flag: "⚠
#: doubtful · Chinese purchases of Russian arms"), pinned, so that at every width no figure can
#: read as trade that is not; then the figure (value, unit, years, source), then how it was
#: stated, then the notes.
COLUMNS = {
    "figure": st.column_config.TextColumn("Figure of", width="medium", pinned=True),
    "value": st.column_config.NumberColumn("Value", format="%g", width="small"),
    "unit_shown": st.column_config.TextColumn("Unit", width="small"),
    "years": st.column_config.TextColumn("Year(s)", width="small"),
    "source": st.column_config.TextColumn("Source", width="medium"),
    "qualifier_shown": "Qualifier",
    "reported_as": "As written",
    "year_note": "How the year was read",
    "flag_note": "Why flagged",
    "quote": st.column_config.TextColumn("Sentence", width="large"),
}


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
        st.dataframe(
            shown(view.head(TABLE_ROWS), ds),
            hide_index=True,
            column_order=list(COLUMNS),
            column_config=COLUMNS,
        )
    downloads(view, ds, "observations", year_range)


def shown(view, ds: Dataset):
    """The observations with readers' words: labels, not codes; blanks, not "None"."""
    indicators = dict(zip(ds.indicators["id"], ds.indicators["label"], strict=True))
    labels = source_labels(ds)
    return view.assign(
        unit_shown=view["unit"].map(lambda u: UNITS.get(u, u)),
        years=[
            transform.period_label(y, s, b)
            for y, s, b in zip(view["year"], view["year_start"], view["year_basis"], strict=True)
        ],
        source=[
            labels.get(i, t) for i, t in zip(view["source_id"], view["source_title"], strict=True)
        ],
        qualifier_shown=view["qualifier"].map(charts.qualifier_label),
        indicator_shown=view["indicator"].map(lambda i: indicators.get(i, i)),
        flag_shown=view["flag"].map(lambda f: f"⚠ {f}" if isinstance(f, str) and f else ""),
        figure=lambda t: [
            f"{flag} · {what}" if flag else what
            for flag, what in zip(t["flag_shown"], t["indicator_shown"], strict=True)
        ],
        year_note=view["year_note"].fillna(""),
        flag_note=view["flag_note"].fillna(""),
    )
