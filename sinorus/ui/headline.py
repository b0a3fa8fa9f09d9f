"""The headline metrics: the latest figure with its hedge, growth and CAGR over the range."""

from __future__ import annotations

import streamlit as st

from sinorus import charts, transform
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
    approx = "≈ " if {head["latest_qualifier"], head["first_qualifier"]} != {"exact"} else ""
    cols = st.columns(3)
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
        border=True,
    )
    if head["multiple"] is None:
        cols[1].metric("Growth", "—", help="One year only in this range.", border=True)
        cols[2].metric(
            "Average annual growth", "—", help="One year only in this range.", border=True
        )
        return
    basis = f"from {charts.qualified(head['first_usd_bn'], head['first_qualifier'])} in {first}"
    cols[1].metric(
        f"Growth {first}–{latest}",
        f"{approx}×{head['multiple']:.1f}",
        delta=basis,
        delta_color="off",
        delta_arrow="off",
        help="The last figure in the range divided by the first.",
        border=True,
    )
    cols[2].metric(
        f"Average annual growth {first}–{latest}",
        f"{approx}{head['cagr_percent']:.1f}% a year",
        delta=f"compound, over {latest - first} years",
        delta_color="off",
        delta_arrow="off",
        help="Compound annual growth rate between the first and last figures in the range"
        + ("; approximate, since a figure it rests on is hedged." if approx else "."),
        border=True,
    )
