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
            icon=":material/search:",
        )
        return
    # One row that wraps (not columns, which stack full-width on a phone and push the first
    # chart a screen down); the borders go, the values stay large; the labels and notes stay
    # short, and the growth is one line under them.
    row = st.container(horizontal=True, gap="small", key="headline")
    if head is not None:
        _documents(row, head)
    if record is not None:
        _record(row, record)
    if report is not None:
        _report(row, report)
    _download(ds, year_range, row)
    growth = growth_line(head, record)
    if growth:
        st.caption(growth)


def _metric(row, label: str, value: str, delta: str, help: str) -> None:
    row.metric(
        label, value, delta=delta, delta_color="off", delta_arrow="off", help=help, border=False
    )


def _documents(row, head: dict) -> None:
    """The documents' latest figure with its hedge."""
    when = transform.year_label(head["latest_year"], head["latest_year_basis"])
    words = " · ".join(
        charts.QUALIFIER_WORDS.get(q, q).strip() or "exact"
        for q in head["latest_qualifier"].split(" / ")
    )
    _metric(
        row,
        f"Documents, {when}",
        charts.qualified(head["latest_usd_bn"], "exact"),
        words,
        f"What the two 2007 documents say ({'two readings' if ' / ' in head['latest_qualifier'] else 'one reading'}). "
        f"As written: {md(head['latest_reported_as'])}",
    )


def _record(row, record: dict) -> None:
    """The official record's latest year in the range: China-reported, Russia's beside it."""
    russia = record["russia_usd_bn"]
    _metric(
        row,
        f"Official record, {record['latest_year']}",
        charts.qualified(round(record["latest_usd_bn"], 1), "exact"),
        "China-reported" + (f" · Russia {russia:,.1f}" if russia is not None else ""),
        "IMF Direction of Trade Statistics: China's exports FOB + imports CIF with Russia as "
        "China reports them"
        + (f"; Russia reports US${russia:,.1f} bn for the same trade" if russia is not None else "")
        + ". Two readings (mirror statistics), never added together.",
    )


def _report(row, report: dict) -> None:
    """The latest year a later report covers in the range, and who says so."""
    _metric(
        row,
        f"Latest report, {report['year']}",
        charts.qualified(report["usd_bn"], report["qualifier"]),
        str(report["publisher"]).split(",")[0].strip(),
        f"A later report's figure ({charts.source_label(report['publisher'], report['published'])}; "
        "restated, see Sources › Later reports)"
        + (
            f"; {report['figures']} reports give this year, never averaged."
            if report["figures"] > 1
            else "."
        ),
    )


def growth_line(head: dict | None, record: dict | None) -> str:
    """'Growth: documents ≈ ×6.7, 1992–c. 2007 (≈ 13% a year); record ×8.2, 1992–2007 (15.1% a
    year, China-reported).' Where a hedged figure enters: ≈ and whole percent."""
    parts = []
    if head is not None and head["multiple"] is not None:
        hedged = {head["latest_qualifier"], head["first_qualifier"]} != {"exact"}
        approx = "≈ " if hedged else ""
        rate = f"{head['cagr_percent']:.0f}%" if hedged else f"{head['cagr_percent']:.1f}%"
        when = transform.year_label(head["latest_year"], head["latest_year_basis"])
        parts.append(
            f"documents {approx}×{head['multiple']:.1f}, {head['first_year']}–{when} ({approx}{rate} a year)"
        )
    if record is not None and record["multiple"] is not None:
        parts.append(
            f"record ×{record['multiple']:.1f}, {record['first_year']}–{record['latest_year']} "
            f"({record['cagr_percent']:.1f}% a year, China-reported)"
        )
    return ("Growth: " + "; ".join(parts) + ".") if parts else ""


def _download(ds: Dataset, year_range, row) -> None:
    """The headline's figures, with the ones they rest on, as a CSV (made only when clicked)."""
    row.download_button(
        "Headline CSV",
        icon=":material/download:",
        data=lambda: export.to_csv(transform.headline_frame(ds, year_range)),
        file_name=export.filename("headline", year_range, "csv"),
        mime=export.FORMATS["csv"],
        key="dl-headline-csv",
        on_click="ignore",
        type="tertiary",
        help="These figures, whose each is, how each is computed and the figures they rest on",
    )
