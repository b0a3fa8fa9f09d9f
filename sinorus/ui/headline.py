"""The headline metrics, each saying whose figure it is: the documents' latest (with its hedge)
and growth, the official record's latest and growth, the latest later report."""

from __future__ import annotations

import streamlit as st

from sinorus import charts, export, i18n, transform
from sinorus.i18n import _
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
            _(
                "No trade figures between {first} and {last}. "
                "The documents give trade figures for {years}."
            ).format(first=year_range[0], last=year_range[1], years=years),
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
        charts.qualifier_word(q).strip() or _("exact")
        for q in head["latest_qualifier"].split(" / ")
    )
    if " / " in head["latest_qualifier"]:
        said = _("What the two 2007 documents say (two readings). As written: {quote}")
    else:
        said = _("What the two 2007 documents say (one reading). As written: {quote}")
    _metric(
        row,
        _("Documents, {year}").format(year=when),
        charts.qualified(head["latest_usd_bn"], "exact"),
        words,
        said.format(quote=md(head["latest_reported_as"])),
    )


def _record(row, record: dict) -> None:
    """The official record's latest year in the range: China-reported, Russia's beside it."""
    russia = record["russia_usd_bn"]
    if russia is None:
        delta = _("China-reported")
        about = _(
            "IMF Direction of Trade Statistics: China's exports FOB + imports CIF with Russia as "
            "China reports them. Two readings (mirror statistics), never added together."
        )
    else:
        delta = _("China-reported · Russia {amount}").format(amount=i18n.number(russia, ",.1f"))
        about = _(
            "IMF Direction of Trade Statistics: China's exports FOB + imports CIF with Russia as "
            "China reports them; Russia reports {amount} for the same trade. Two readings "
            "(mirror statistics), never added together."
        ).format(amount=i18n.money_bn(russia, ",.1f"))
    _metric(
        row,
        _("Official record, {year}").format(year=record["latest_year"]),
        charts.qualified(round(record["latest_usd_bn"], 1), "exact"),
        delta,
        about,
    )


def _report(row, report: dict) -> None:
    """The latest year a later report covers in the range, and who says so."""
    source = charts.source_label(report["publisher"], report["published"])
    if report["figures"] > 1:
        about = _(
            "A later report's figure ({source}; restated, see Sources › Later reports); "
            "{count} reports give this year, never averaged."
        ).format(source=source, count=i18n.number(report["figures"], ",.0f"))
    else:
        about = _(
            "A later report's figure ({source}; restated, see Sources › Later reports)."
        ).format(source=source)
    _metric(
        row,
        _("Latest report, {year}").format(year=report["year"]),
        charts.qualified(report["usd_bn"], report["qualifier"]),
        str(report["publisher"]).split(",")[0].strip(),
        about,
    )


def growth_line(head: dict | None, record: dict | None) -> str:
    """'Growth: documents ≈ ×6.7, 1992–c. 2007 (≈ 13% a year); record ×8.2, 1992–2007 (15.1% a
    year, China-reported).' Where a hedged figure enters: ≈ and whole percent."""
    documents = official = None
    if head is not None and head["multiple"] is not None:
        hedged = {head["latest_qualifier"], head["first_qualifier"]} != {"exact"}
        if hedged:
            documents = _("documents ≈ ×{multiple}, {first}–{last} (≈ {rate} a year)")
        else:
            documents = _("documents ×{multiple}, {first}–{last} ({rate} a year)")
        documents = documents.format(
            multiple=i18n.number(head["multiple"], ".1f"),
            first=head["first_year"],
            last=transform.year_label(head["latest_year"], head["latest_year_basis"]),
            rate=i18n.percent(head["cagr_percent"], ".0f" if hedged else ".1f"),
        )
    if record is not None and record["multiple"] is not None:
        official = _("record ×{multiple}, {first}–{last} ({rate} a year, China-reported)").format(
            multiple=i18n.number(record["multiple"], ".1f"),
            first=record["first_year"],
            last=record["latest_year"],
            rate=i18n.percent(record["cagr_percent"], ".1f"),
        )
    if documents and official:
        return _("Growth: {documents}; {record}.").format(documents=documents, record=official)
    if documents:
        return _("Growth: {documents}.").format(documents=documents)
    if official:
        return _("Growth: {record}.").format(record=official)
    return ""


def _download(ds: Dataset, year_range, row) -> None:
    """The headline's figures, with the ones they rest on, as a CSV (made only when clicked)."""
    row.download_button(
        _("Headline CSV"),
        icon=":material/download:",
        data=lambda: export.to_csv(transform.headline_frame(ds, year_range)),
        file_name=export.filename("headline", year_range, "csv"),
        mime=export.FORMATS["csv"],
        key="dl-headline-csv",
        on_click="ignore",
        type="tertiary",
        help=_("These figures, whose each is, how each is computed and the figures they rest on"),
    )
