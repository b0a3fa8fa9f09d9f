"""Section "Trade over time": the time series with its options (log scale, the official record,
the later reports' layer, events) and downloads, then the events and the later reports in
range."""

from __future__ import annotations

import streamlit as st

from sinorus import alttext, i18n, transform, views
from sinorus.i18n import N_, _
from sinorus.load import Dataset
from sinorus.ui.state import chart_options, on_change
from sinorus.ui.widgets import downloads, opened_expander, show, source_labels

EVENT_COLUMNS = {
    "when": N_("Date"),
    "title": N_("Event"),
    "status": N_("Held or scheduled"),
    "date_basis": N_("Date read as"),
    "source_title": N_("Source"),
    "quote": N_("Sentence"),
}
#: The events' status and date basis as the table shows them (the data's own codes, in words).
EVENT_WORDS = {
    "held": N_("held"),
    "scheduled": N_("scheduled"),
    "stated": N_("stated"),
    "derived": N_("derived"),
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
            _("Show the later reports to {year} →").format(year=last),
            key="widen-to-reports",
            type="tertiary",
            on_click=_widen,
            args=((year_range[0], last),),
            help=_(
                "Widen the year range to the last year a later report covers; the headline "
                "then names the record's and the latest report's figures beside the documents'."
            ),
        )


def _widen(year_range) -> None:
    st.session_state.year_range = tuple(year_range)
    on_change()


def _events(ds: Dataset, year_range) -> None:
    events = transform.events_in_range(ds, year_range)
    box = opened_expander(
        _("Events named in the texts ({count} in range)").format(count=len(events)), "events-open"
    )
    if box is None:
        return
    with box:
        st.dataframe(
            shown_events(events)[list(EVENT_COLUMNS)],
            hide_index=True,
            column_config={
                **{column: _(header) for column, header in EVENT_COLUMNS.items()},
                "quote": st.column_config.TextColumn(_("Sentence"), width="large"),
            },
        )
        downloads(views.view("events").frame(ds, year_range), ds, "events", year_range)


def shown_events(events):
    """The events as the page's table shows them: in English as they are; in another language
    the dates, titles, status and date basis in its words (the quotes and sources as written)."""
    if i18n.current() == i18n.DEFAULT:
        return events
    when = [
        i18n.long_date(d.year, d.month, d.day)
        if p == "day"
        else i18n.month_year(d.year, d.month)
        if p == "month"
        else str(d.year)
        for d, p in zip(events["date"], events["date_precision"], strict=True)
    ]
    return events.assign(
        when=when,
        title=events["title"].map(i18n.data_label),
        status=events["status"].map(lambda v: _(EVENT_WORDS[v]) if v in EVENT_WORDS else v),
        date_basis=events["date_basis"].map(lambda v: _(EVENT_WORDS[v]) if v in EVENT_WORDS else v),
    )


def _later_reports(ds: Dataset, year_range) -> None:
    """The layer's rows in range, in readers' words, with their own downloads (the registry's
    `later-reports` view: CSV, Excel, JSON, bundle, static file and code)."""
    layer = views.view("later-reports").frame(ds, year_range)
    box = opened_expander(
        _("Later reports: the grey squares ({count} figures in range)").format(count=len(layer)),
        "later-reports-open",
    )
    if box is None:
        return
    with box:
        st.caption(
            _(
                "Restated in our own words from news reports and customs releases; each figure "
                "is kept as the report writes it and never averaged. The originals remain their "
                "publishers' (see Sources › Later reports)."
            )
        )
        table = alttext.REPORTS.table(layer, source_labels(ds))
        if table is not None:
            st.dataframe(
                table,
                hide_index=True,
                column_config={_("Address"): st.column_config.LinkColumn(_("Address"))},
            )
        downloads(layer, ds, "later-reports", year_range)
