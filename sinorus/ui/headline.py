"""The headline metrics: the latest figure with its hedge, growth and CAGR over the range."""

from __future__ import annotations

import streamlit as st

from sinorus import charts, export, transform
from sinorus.load import Dataset
from sinorus.markup import md


def render(ds: Dataset, year_range: tuple[int, int], span: tuple[int, int]) -> None:
    head = transform.headline(ds, year_range)
    if head is None:
        years = ", ".join(str(y) for y in transform.trade_by_year(ds, span)["year"])
        st.info(
            f"No trade figures between {year_range[0]} and {year_range[1]}. "
            f"The documents give trade figures for {years}.",
            icon="🔎",
        )
        return
    latest, first = head["latest_year"], head["first_year"]
    _documents_only_note(ds, year_range)
    approx = "≈ " if {head["latest_qualifier"], head["first_qualifier"]} != {"exact"} else ""
    # One row that wraps (not columns, which stack full-width on a phone and push the first
    # chart a screen down); the borders go, the values stay large.
    row = st.container(horizontal=True, gap="small")
    cols = [row, row, row]
    words = " · ".join(
        charts.QUALIFIER_WORDS.get(q, q).strip() or "exact"
        for q in head["latest_qualifier"].split(" / ")
    )
    cols[0].metric(
        f"Latest figure ({transform.year_label(latest, head['latest_year_basis'])})",
        charts.qualified(head["latest_usd_bn"], "exact"),
        delta=words + (" (two readings)" if " / " in head["latest_qualifier"] else ""),
        delta_color="off",
        delta_arrow="off",
        help=f"As written: {md(head['latest_reported_as'])}",
        border=False,
    )
    if head["multiple"] is None:
        cols[1].metric("Growth", "—", help="One year only in this range.", border=False)
        cols[2].metric("Annual growth", "—", help="One year only in this range.", border=False)
        _download(ds, year_range, row)
        return
    basis = f"from {charts.qualified(head['first_usd_bn'], head['first_qualifier'])} in {first}"
    cols[1].metric(
        f"Growth {first}–{latest}",
        f"{approx}×{head['multiple']:.1f}",
        delta=basis,
        delta_color="off",
        delta_arrow="off",
        help="The last figure in the range divided by the first.",
        border=False,
    )
    cols[2].metric(
        f"Annual growth {first}–{latest}",
        f"{approx}{head['cagr_percent']:.1f}%",
        delta=f"a year, compounded over {latest - first} years",
        delta_color="off",
        delta_arrow="off",
        help="Compound annual growth rate between the first and last figures in the range"
        + ("; approximate, since a figure it rests on is hedged." if approx else "."),
        border=False,
    )
    _download(ds, year_range, row)


def _download(ds: Dataset, year_range, row) -> None:
    """The headline's figures, with the ones they rest on, as a CSV (made only when clicked)."""
    row.download_button(
        "⬇ Headline CSV",
        data=lambda: export.to_csv(transform.headline_frame(ds, year_range)),
        file_name=export.filename("headline", year_range, "csv"),
        mime=export.FORMATS["csv"],
        key="dl-headline-csv",
        on_click="ignore",
        type="tertiary",
        help="These three figures, how each is computed and the figures they rest on",
    )


def _documents_only_note(ds: Dataset, year_range) -> None:
    """Where the range runs past the documents' last year (into the later reports' years), say
    that the headline still rests on the documents' figures only."""
    last = transform.documents_span(ds)[1]
    if year_range[1] > last:
        st.caption(
            f"The headline rests on the two documents' figures only, which end in {last}; "
            "what later reports give is drawn beside them on the chart, never in these numbers."
        )
