"""Section "Data": the observations table in the range, doubtful figures flagged."""

from __future__ import annotations

import streamlit as st

from sinorus import charts, i18n, transform
from sinorus.i18n import N_, _
from sinorus.load import Dataset
from sinorus.ui.widgets import downloads, no_figures, source_labels

TABLE_ROWS = 1000  # rows shown in the Data table; downloads hold every row
UNITS = {"USD bn": N_("US$ bn"), "percent": "%"}
#: Flags as the table shows them (the data's codes, in words).
FLAGS = {"doubtful": N_("doubtful")}
#: Shown columns, in reading order: what a row is first (its indicator, after its flag: "⚠
#: doubtful · Chinese purchases of Russian arms"), pinned, so that at every width no figure can
#: read as trade that is not; then the figure (value, unit, years, source), then how it was
#: stated, then the notes.
#: Each column's header (N_: shown through `_()`, `columns()`) and its settings.
COLUMNS = {
    "figure": (N_("Figure of"), {"width": "medium", "pinned": True}),
    "value": (N_("Value"), {"format": "%g", "width": "small"}),
    "unit_shown": (N_("Unit"), {"width": "small"}),
    "years": (N_("Year(s)"), {"width": "small"}),
    "source": (N_("Source"), {"width": "medium"}),
    "qualifier_shown": (N_("Qualifier"), None),
    "reported_as": (N_("As written"), None),
    "year_note": (N_("How the year was read"), None),
    "flag_note": (N_("Why flagged"), None),
    "quote": (N_("Sentence"), {"width": "large"}),
}


def columns() -> dict:
    """The table's column settings, headed in the page's language."""
    out = {}
    for column, (header, settings) in COLUMNS.items():
        if settings is None:
            out[column] = _(header)
        elif column == "value":
            out[column] = st.column_config.NumberColumn(_(header), **settings)
        else:
            out[column] = st.column_config.TextColumn(_(header), **settings)
    return out


def render(ds: Dataset, year_range) -> None:
    view = transform.observations_view(ds, year_range)
    st.caption(
        _(
            "{count} figure(s) in {first}–{last}, every indicator, as stated. Rows marked ⚠ are "
            "doubtful: kept as reported, never added to trade."
        ).format(count=i18n.number(len(view), ",.0f"), first=year_range[0], last=year_range[1])
    )
    if view.empty:
        no_figures(year_range)
    else:
        if len(view) > TABLE_ROWS:
            st.caption(
                _(
                    "Showing the first {shown} of {count} rows; the downloads below hold them all."
                ).format(
                    shown=i18n.number(TABLE_ROWS, ",.0f"), count=i18n.number(len(view), ",.0f")
                )
            )
        st.dataframe(
            shown(view.head(TABLE_ROWS), ds),
            hide_index=True,
            column_order=list(COLUMNS),
            column_config=columns(),
        )
    downloads(view, ds, "observations", year_range)


def shown(view, ds: Dataset):
    """The observations with readers' words: labels, not codes; blanks, not "None"."""
    indicators = dict(
        zip(ds.indicators["id"], ds.indicators["label"].map(i18n.data_label), strict=True)
    )
    labels = source_labels(ds)
    return view.assign(
        unit_shown=view["unit"].map(lambda u: _(UNITS[u]) if u in UNITS else u),
        years=[
            transform.period_label(y, s, b)
            for y, s, b in zip(view["year"], view["year_start"], view["year_basis"], strict=True)
        ],
        source=[
            labels.get(i, t) for i, t in zip(view["source_id"], view["source_title"], strict=True)
        ],
        qualifier_shown=view["qualifier"].map(qualifier_words),
        indicator_shown=view["indicator"].map(lambda i: indicators.get(i, i)),
        flag_shown=view["flag"].map(
            lambda f: f"⚠ {_(FLAGS[f]) if f in FLAGS else f}" if isinstance(f, str) and f else ""
        ),
        figure=lambda t: [
            f"{flag} · {what}" if flag else what
            for flag, what in zip(t["flag_shown"], t["indicator_shown"], strict=True)
        ],
        year_note=view["year_note"].fillna(""),
        flag_note=view["flag_note"].fillna(""),
    )


def qualifier_words(qualifier) -> str:
    """'nearly / at_least' -> 'nearly / at least', each hedge in the page's language."""
    label = charts.qualifier_label(qualifier)
    return " / ".join(_(part) for part in label.split(" / ")) if label else ""
