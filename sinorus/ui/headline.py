"""The headline metrics, each saying whose figure it is: the documents' latest (with its hedge)
and growth, the official record's latest and growth, the latest later report."""

from __future__ import annotations

import streamlit as st

from sinorus import charts, export, transform
from sinorus.load import Dataset
from sinorus.markup import md


def render(ds: Dataset, year_range: tuple[int, int], span: tuple[int, int]) -> None:
    """Whose figure each number is, for the range: the documents' latest and growth (their
    years only), the official record's latest and growth (China-reported, Russia's reading
    beside it), and the latest later report. Nothing averaged across them."""
    head = transform.headline(ds, year_range)
    record = transform.record_headline(ds, year_range)
    report = transform.report_headline(ds, year_range)
    if head is None and record is None and report is None:
        years = ", ".join(str(y) for y in transform.trade_by_year(ds, span)["year"])
        st.info(
            f"No trade figures between {year_range[0]} and {year_range[1]}. "
            f"The documents give trade figures for {years}.",
            icon="🔎",
        )
        return
    # One row that wraps (not columns, which stack full-width on a phone and push the first
    # chart a screen down); the borders go, the values stay large.
    row = st.container(horizontal=True, gap="small")
    if head is not None:
        _documents(row, head)
    if record is not None:
        _record(row, record)
    if report is not None:
        _report(row, report)
    _download(ds, year_range, row)


def _metric(row, label: str, value: str, delta: str, help: str) -> None:
    row.metric(label, value, delta=delta, delta_color="off", delta_arrow="off", help=help, border=False)  # fmt: skip


def _documents(row, head: dict) -> None:
    """The documents' latest figure with its hedge, and their own growth over their years."""
    latest, first = head["latest_year"], head["first_year"]
    when = transform.year_label(latest, head["latest_year_basis"])
    words = " · ".join(
        charts.QUALIFIER_WORDS.get(q, q).strip() or "exact"
        for q in head["latest_qualifier"].split(" / ")
    )
    _metric(
        row,
        f"Documents' latest ({when})",
        charts.qualified(head["latest_usd_bn"], "exact"),
        words + (" (two readings)" if " / " in head["latest_qualifier"] else ""),
        f"What the two 2007 documents say. As written: {md(head['latest_reported_as'])}",
    )
    if head["multiple"] is None:
        return
    hedged = {head["latest_qualifier"], head["first_qualifier"]} != {"exact"}
    approx = "≈ " if hedged else ""
    rate = f"{approx}{head['cagr_percent']:.0f}%" if hedged else f"{head['cagr_percent']:.1f}%"
    _metric(
        row,
        f"Documents' growth {first}–{when}",
        f"{approx}×{head['multiple']:.1f}",
        f"{rate} a year, from {charts.qualified(head['first_usd_bn'], head['first_qualifier'])}",
        "The documents' last figure in the range divided by their first, and the compound "
        "annual growth rate between them"
        + (
            "; approximate (whole percent), since a figure it rests on is hedged."
            if hedged
            else "."
        ),  # fmt: skip
    )


def _record(row, record: dict) -> None:
    """The official record's latest year (China-reported; Russia's reading beside it) and
    China-reported growth over the record's years in the range."""
    latest, first = record["latest_year"], record["first_year"]
    russia = record["russia_usd_bn"]
    _metric(
        row,
        f"Official record, {latest}",
        charts.qualified(round(record["latest_usd_bn"], 1), "exact"),
        "China-reported"
        + (f"; Russia-reported US${russia:,.1f} bn" if russia is not None else ""),  # fmt: skip
        "IMF Direction of Trade Statistics: China's exports FOB + imports CIF with Russia as "
        "China reports them. Russia's reading of the same trade differs (mirror statistics) "
        "and is never added to it.",
    )
    if record["multiple"] is None:
        return
    _metric(
        row,
        f"Record's growth {first}–{latest}",
        f"×{record['multiple']:.1f}",
        f"{record['cagr_percent']:.1f}% a year, China-reported",
        "China-reported total in the record's last year in the range divided by its first, and "
        "the compound annual growth rate between them.",
    )


def _report(row, report: dict) -> None:
    """The latest year a later report covers in the range, and who says so."""
    _metric(
        row,
        f"Latest report ({report['year']})",
        charts.qualified(report["usd_bn"], report["qualifier"]),
        f"{charts.source_label(report['publisher'], report['published'])}",
        "A later report's figure (restated, see Sources › Later reports)"
        + (
            f"; {report['figures']} reports give this year, never averaged."
            if report["figures"] > 1
            else "."
        ),  # fmt: skip
    )


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
        help="These figures, whose each is, how each is computed and the figures they rest on",
    )
