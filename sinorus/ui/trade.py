"""Section "Trade over time": the time series with its options (log scale, the official record,
the later reports' layer, events) and downloads, then the events and the later reports in
range."""

from __future__ import annotations

import streamlit as st

from sinorus import alttext, transform, views
from sinorus.load import Dataset
from sinorus.ui.state import chart_options, on_change
from sinorus.ui.widgets import downloads, opened_expander, show, source_labels

EVENT_COLUMNS = {
    "when": "Date",
    "title": "Event",
    "status": "Held or scheduled",
    "date_basis": "Date read as",
    "source_title": "Source",
    "quote": "Sentence",
}


def render(ds: Dataset, year_range, options: dict) -> None:
    """`options`: log_scale, show_official, show_reports, show_events (see
    `sinorus.ui.state.controls`)."""
    layer = _has_reports(ds)
    shown = switches(ds, options)
    show(
        ds,
        "trade-total",
        year_range,
        controls=lambda: _controls(ds, year_range, layer and shown["show_reports"]),
        empty="trade figures",
        **shown,
    )
    if shown["show_events"]:
        _events(ds, year_range)
    if shown["show_reports"]:
        _later_reports(ds, year_range)


def switches(ds: Dataset, options: dict) -> dict:
    """The trade chart's switches as asked (`options`), less the layers this package does not
    have: the page's section and a chart alone in a frame (`embed`) draw the same chart."""
    return {
        **options,
        "show_reports": bool(options.get("show_reports")) and _has_reports(ds),
        "show_official": bool(options.get("show_official", True)) and _has_record(ds),
    }


def _has_reports(ds: Dataset) -> bool:
    return views.view("later-reports").available(ds)


def _has_record(ds: Dataset) -> bool:
    return ds.official is not None and not ds.official.empty


def _controls(ds: Dataset, year_range, layer_shown: bool) -> None:
    """The chart's toggles; with the layer shown and later years beyond the range, one click to
    widen the range to them (the default view is the documents' years)."""
    chart_options(layer=_has_reports(ds), record=_has_record(ds))
    last = transform.year_span(ds)[1]
    if layer_shown and year_range[1] < last:
        st.button(
            f"Show the later reports to {last} →",
            key="widen-to-reports",
            type="tertiary",
            on_click=_widen,
            args=((year_range[0], last),),
            help="Widen the year range to the last year a later report covers; the headline "
            "then names the record's and the latest report's figures beside the documents'.",
        )


def _widen(year_range) -> None:
    st.session_state.year_range = tuple(year_range)
    on_change()


def _events(ds: Dataset, year_range) -> None:
    events = transform.events_in_range(ds, year_range)
    box = opened_expander(f"Events named in the texts ({len(events)} in range)", "events-open")
    if box is None:
        return
    with box:
        st.dataframe(
            events[list(EVENT_COLUMNS)],
            hide_index=True,
            column_config={
                **EVENT_COLUMNS,
                "quote": st.column_config.TextColumn("Sentence", width="large"),
            },
        )
        downloads(views.view("events").frame(ds, year_range), ds, "events", year_range)


def _later_reports(ds: Dataset, year_range) -> None:
    """The layer's rows in range, in readers' words, with their own downloads (the registry's
    `later-reports` view: CSV, Excel, JSON, bundle, static file and code)."""
    layer = views.view("later-reports").frame(ds, year_range)
    box = opened_expander(
        f"Later reports: the grey squares ({len(layer)} figures in range)", "later-reports-open"
    )
    if box is None:
        return
    with box:
        st.caption(
            "Restated in our own words from news reports and customs releases; each figure is "
            "kept as the report writes it and never averaged. The originals remain their "
            "publishers' (see Sources › Later reports)."
        )
        table = alttext.REPORTS.table(layer, source_labels(ds))
        if table is not None:
            st.dataframe(
                table,
                hide_index=True,
                column_config={"Address": st.column_config.LinkColumn("Address")},
            )
        downloads(layer, ds, "later-reports", year_range)
