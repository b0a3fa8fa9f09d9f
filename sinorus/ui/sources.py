"""Section "Sources": citations, each source with its figures and its text, quotes highlighted."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from sinorus import bundle, charts, export, i18n, transform, vocab
from sinorus.i18n import N_, _
from sinorus.load import Dataset
from sinorus.markup import highlighted, md, md_link
from sinorus.ui import language
from sinorus.ui.widgets import citations

SOURCE_FIGURES = 20  # figures listed per source in Sources


def original_search(row) -> str:
    """A web search for a document whose address the data package does not record: its exact
    title and publisher. (The curated `url` field is left for a curator to fill; this never
    guesses an address.)"""
    from urllib.parse import quote_plus

    publisher = str(row.publisher).split(",")[0].split("(")[0].strip()
    return "https://duckduckgo.com/?q=" + quote_plus(f'"{row.title}" {publisher}')


def render(ds: Dataset, year_range) -> None:
    st.markdown(_("## Cite this"))
    cites = citations(ds)
    plain, bib = st.tabs([_("Plain text"), "BibTeX"])
    plain.code(cites["text"], language=None, wrap_lines=True)
    bib.code(cites["bibtex"], language="bibtex")
    st.download_button(
        _("The whole dataset (ZIP: every table, datapackage.json, README, source texts)"),
        icon=":material/download:",
        data=language.deferred(lambda: bundle.dataset_bundle(ds)),
        file_name="sinorus-data.zip",
        mime=export.FORMATS["zip"],
        key="dl-dataset-zip",
        on_click="ignore",
    )
    st.divider()
    obs = transform.observations_view(ds, year_range)
    indicators = dict(
        zip(ds.indicators["id"], ds.indicators["label"].map(i18n.data_label), strict=True)
    )
    for row in ds.sources.itertuples():
        st.markdown(f"## {md(row.title)}")
        st.markdown(md(row.citation))
        facts = [
            _("**Licence:** {licence}").format(licence=md(row.license)),
            _("**Publisher:** {publisher}").format(publisher=md(row.publisher)),
        ]
        if isinstance(row.url, str) and row.url:
            facts.append(_("**Original:** {link}").format(link=md_link(row.url)))
        elif row.kind == "document":
            facts.append(
                _("**Original:** [find it on the web]({url})").format(url=original_search(row))
            )
        st.markdown(" · ".join(facts))
        if row.note:
            st.caption(md(row.note))
        figures = obs[obs["source_id"] == row.id]
        shown_figures = figures.head(SOURCE_FIGURES)
        if len(figures):
            lines = ["- " + _figure_line(f, indicators) for f in shown_figures.itertuples()]
            if len(figures) > len(shown_figures):
                more = i18n.number(len(figures) - len(shown_figures), ",.0f")
                lines.append("- " + _("… and {count} more (see Data)").format(count=more))
            st.markdown(
                _("Figures from this source in {first}–{last}:").format(
                    first=year_range[0], last=year_range[1]
                )
                + "\n"
                + "\n".join(lines)
            )
        if row.id in ds.source_texts:
            quotes = [
                q
                for table in (
                    ds.observations.drop_duplicates(["source_id", "quote"]),
                    ds.events,
                    ds.trade_makeup,
                )
                for q in table.loc[table["source_id"] == row.id, "quote"]
            ]
            with st.expander(_("Full text, with the quoted sentences highlighted")):
                st.markdown(highlighted(ds.source_texts[row.id], quotes))
        st.divider()
    if ds.reports is not None:
        later_reports(ds)
        st.divider()
    st.caption(md(export.dashboard_citation()))


def _figure_line(f, indicators: dict) -> str:
    """'Trade, c. 2007: **nearly 40 billion US dollars** (nearly)', flagged ones first marked;
    the words as written stay as written."""
    fields = dict(
        figure=md(indicators.get(f.indicator, f.indicator)),
        years=md(transform.period_label(f.year, f.year_start, f.year_basis)),
        reported=md(f.reported_as),
        qualifier=md(qualifier_words(f.qualifier)),
    )
    if f.flag:
        return _("⚠ **doubtful** · {figure}, {years}: **{reported}** ({qualifier})").format(
            **fields
        )
    return _("{figure}, {years}: **{reported}** ({qualifier})").format(**fields)


def qualifier_words(qualifier) -> str:
    """'nearly / at_least' -> 'nearly / at least', each hedge in the page's language."""
    label = charts.qualifier_label(qualifier)
    return " / ".join(_(part) for part in label.split(" / ")) if label else ""


#: What a report's figure measures, in readers' words (N_: shown through `_()`).
INDICATORS = {
    "trade_total": N_("trade"),
    "trade_china_exports": vocab.FLOWS["china_exports"],
    "trade_china_imports": vocab.FLOWS["china_imports"],
}


def later_reports(ds: Dataset) -> None:
    """Every later report: publisher, date, link and what it gives, marked as restated, with the
    texts' licence situation (data/reports/README.md)."""
    rows = ds.reports.assign(published=ds.reports["published"].astype(str))
    texts = rows.sort_values(["published", "publisher", "id"]).groupby("text", sort=False)
    st.markdown(_("## Later reports"))
    st.markdown(
        _(
            "{reports} news reports and customs releases, {figures} full-year figures for "
            "{first}–{last}: the grey squares on the trade chart and the later figures under "
            "Claims and records. **Restated, not copied:** each text in the package retells its "
            "report in our own words, keeping every figure exactly as written (and the words "
            "that decide how it is read); reports in other languages are restated in English. "
            "The originals and their wording remain © their publishers; the restatements and "
            "the table are part of the sinorus curation (CC BY 4.0), which does not extend to "
            "the originals. Where reports disagree, each figure is kept; nothing is averaged."
        ).format(
            reports=i18n.number(texts.ngroups, ",.0f"),
            figures=i18n.number(len(rows), ",.0f"),
            first=int(rows["year"].min()),
            last=int(rows["year"].max()),
        )
    )
    with st.expander(
        _("The {count} reports, by date, with what each gives").format(
            count=i18n.number(texts.ngroups, ",.0f")
        )
    ):
        st.markdown("\n".join(_report_line(group) for _text, group in texts))


def _report_line(group) -> str:
    first = group.iloc[0]
    host = urlsplit(str(first.url)).hostname or str(first.url)
    gives = "; ".join(
        _("{indicator} {year}: “{reported}”").format(
            indicator=_(INDICATORS[r.indicator]) if r.indicator in INDICATORS else r.indicator,
            year=r.year,
            reported=md(r.reported_as),
        )
        + (f" ({md(r.measured_by)})" if r.measured_by != "not stated" else "")
        for r in group.sort_values("year").itertuples()
    )
    said = _("**{publisher}**, {date} · {link} · restated").format(
        publisher=md(first.publisher),
        date=md(charts.date_label(first.published)),
        link=md_link(str(first.url), host.removeprefix("www.")),
    )
    return f"- {said}  \n  {gives}"
