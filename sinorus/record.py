"""Claims against the record: each figure a document or a later report gives, set beside the
official record's readings for its year.

The official record (`official.csv`, the IMF's Direction of Trade Statistics) has each country's
exports to and imports from the other as it reports them. A claim about China–Russia trade has two
official readings: China-reported and Russia-reported (mirror statistics: the same goods counted
by each side, valued FOB on export and CIF on import). The two are never added or averaged; a claim
is set beside each, with the gap in percent.

A claim is *flagged* when it is more than `FLAG_PCT` percent from every official reading of its
year (a lower bound, "at least X", is any amount below a reading, or at most `FLAG_PCT` above), or when the package records a known problem with it at its source (`reports.flag`, e.g. a
part-year figure given as the year's). A flagged claim is shown flagged, never dropped or edited:
what a report said stays what it said.

Pure pandas: no Streamlit, no Plotly.
"""

from __future__ import annotations

import re

import pandas as pd

from sinorus import i18n
from sinorus.i18n import N_, _, percent
from sinorus.vocab import COUNTRIES, REPORT_FLAGS

#: A claim further than this from every official reading of its year is flagged.
FLAG_PCT = 5.0
#: Indicators a claim can have that the record can read, and how each reporter's flows make it:
#: a list of the reporter's flows to add. For one reporter, exports + imports is its total.
READS = {
    "trade_total": {"CHN": ("exports_fob", "imports_cif"), "RUS": ("exports_fob", "imports_cif")},
    "trade_china_exports": {"CHN": ("exports_fob",), "RUS": ("imports_cif",)},
    "trade_china_imports": {"CHN": ("imports_cif",), "RUS": ("exports_fob",)},
}
#: How each reading is worked out, in readers' words (the frame's `record_basis`, English;
#: marked N_: shown through `_()`).
BASIS = {
    ("trade_total", "CHN"): N_("China-reported: China's exports (FOB) + imports (CIF)"),
    ("trade_total", "RUS"): N_("Russia-reported: Russia's exports (FOB) + imports (CIF)"),
    ("trade_china_exports", "CHN"): N_("China-reported: China's exports to Russia (FOB)"),
    ("trade_china_exports", "RUS"): N_("Russia-reported: Russia's imports from China (CIF)"),
    ("trade_china_imports", "CHN"): N_("China-reported: China's imports from Russia (CIF)"),
    ("trade_china_imports", "RUS"): N_("Russia-reported: Russia's exports to China (FOB)"),
}
INDICATOR_WORDS = {
    "trade_total": N_("trade"),
    "trade_china_exports": N_("China's exports to Russia"),
    "trade_china_imports": N_("China's imports from Russia"),
}
#: The reasons a claim and the record may differ (`reason`, English in the frame; shown in
#: the page's language by `reason_shown`).
WRITTEN = N_("written in {when}, before the year was over")
HEDGED = N_("hedged as written ('{quote}')")
DERIVED = N_("the year is read from the wording, not stated")
#: Whose claim a row is (the `layer` column), and the record a reading comes from.
DOCUMENTS, REPORTS = "documents", "reports"
OFFICIAL, IMPORTED = "official", "imported"

#: A reading's own columns (`readings`), also those of each pair in `against_record`.
READING_COLUMNS = [
    "record",
    "reporter",
    "record_basis",
    "record_usd_bn",
    "record_source_id",
    "record_source",
]
COLUMNS = [
    "layer",
    "id",
    "year",
    "indicator",
    "claim_usd_bn",
    "qualifier",
    "reported_as",
    "year_basis",
    "source_id",
    "source",
    "publisher",
    "published",
    "url",
    "measured_by",
    *READING_COLUMNS,
    "gap_pct",
    "flagged",
    "flag",
    "reason",
]

#: Type and description of each column (for the bundles' schemas).
FIELDS = {
    "layer": (
        "string",
        "Whose claim: documents (the two 2007 documents) or reports (later news reports and customs releases).",
    ),
    "indicator": (
        "string",
        "What the claim measures: trade_total, trade_china_exports or trade_china_imports.",
    ),
    "claim_usd_bn": ("number", "The claim's figure, US$ bn, as stated."),
    "source": ("string", "Who made the claim, and when."),
    "publisher": ("string", "A later report's publisher (empty for a document's claim)."),
    "record": (
        "string",
        "The record the reading comes from: official (IMF DOTS) or imported (UN Comtrade); empty where the record has no reading for the year.",
    ),
    "reporter": ("string", "Whose reading: CHN (China-reported) or RUS (Russia-reported)."),
    "record_basis": ("string", "How the reading is worked out from the reporter's flows."),
    "record_usd_bn": ("number", "The reading, US$ bn."),
    "record_source_id": ("string", "sources.id of the record."),
    "record_source": ("string", "The record, as a reader names it."),
    "gap_pct": ("number", "(claim_usd_bn - record_usd_bn) / record_usd_bn x 100, one decimal."),
    "flagged": (
        "boolean",
        f"More than {FLAG_PCT:g}% from every reading of its year, or a problem known at its source.",
    ),
    "flag": ("string", "A problem known at the claim's source (reports.flag), else empty."),
    "reason": ("string", "Why the claim and the record may differ, where a cause is known."),
}


def readings(
    official: pd.DataFrame | None, source_label: str = "IMF DOTS", imported=None
) -> pd.DataFrame:
    """The record's readings: one row per (year, indicator, reporter) with columns record,
    reporter, record_basis, record_usd_bn, record_source_id, record_source. A reading is made
    only where every flow it needs is in the record (a total needs both flows)."""
    columns = ["year", "indicator", *READING_COLUMNS]
    parts = []
    if official is not None and len(official):
        wide = official.pivot_table(
            index=["year", "reporter", "source_id"],
            columns="flow",
            values="value_usd",
            aggfunc="sum",
        ).reset_index()
        for indicator, by_reporter in READS.items():
            for reporter, flows in by_reporter.items():
                rows = wide[wide["reporter"] == reporter]
                if rows.empty or not set(flows) <= set(rows.columns):
                    continue
                value = rows[list(flows)].sum(axis=1, min_count=len(flows)) / 1e9
                parts.append(
                    pd.DataFrame(
                        {
                            "year": rows["year"].astype("int64"),
                            "indicator": indicator,
                            "record": OFFICIAL,
                            "reporter": reporter,
                            "record_basis": BASIS[(indicator, reporter)],
                            "record_usd_bn": value,
                            "record_source_id": rows["source_id"].astype(str),
                            "record_source": source_label,
                        }
                    ).dropna(subset=["record_usd_bn"])
                )
    if imported is not None and len(imported):
        parts.append(imported[columns])
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    return out.sort_values(["year", "indicator", "record", "reporter"], ignore_index=True)


def imported_readings(totals: pd.DataFrame) -> pd.DataFrame:
    """Imported UN Comtrade totals (`sinorus.flows.totals_frame`, kind 'imported') as readings of
    the record: one per (year, reporter), trade totals only."""
    if totals is None or totals.empty:
        return None
    who = totals["reporter"].map(lambda r: COUNTRIES.get(str(r), str(r)))
    return pd.DataFrame(
        {
            "year": totals["year"].astype("int64"),
            "indicator": "trade_total",
            "record": IMPORTED,
            "reporter": totals["reporter"].astype(str),
            "record_basis": who + "-reported, as imported: " + totals["basis"].astype(str),
            "record_usd_bn": totals["value_usd_bn"].astype("float64"),
            "record_source_id": totals["source_id"].astype(str) if "source_id" in totals else "",
            "record_source": totals["series"].astype(str),
        }
    )


def claims(
    documents: pd.DataFrame, reports: pd.DataFrame | None, labels: dict, report_label=None
) -> pd.DataFrame:
    """Every claim the record can read, in one shape: the documents' trade figures
    (`transform.trade_series`) and the later reports' US$ figures (`load`'s reports table: totals,
    China's exports and imports). Columns: layer, id, year, indicator, claim_usd_bn, qualifier,
    reported_as, year_basis, source_id, source, published, url, measured_by, flag, flag_note.
    `labels` names the documents' sources; `report_label(publisher, published)` a report's."""
    report_label = report_label or _report_label
    docs = pd.DataFrame(
        {
            "layer": DOCUMENTS,
            "id": documents["id"].astype(str),
            "year": documents["year"].astype("int64"),
            "indicator": "trade_total",
            "claim_usd_bn": documents["trade_usd_bn"].astype("float64"),
            "qualifier": documents["qualifier"].astype(str),
            "reported_as": documents["reported_as"].astype(str),
            "year_basis": documents["year_basis"].astype(str),
            "source_id": documents["source_id"].astype(str),
            "source": [labels.get(s, s) for s in documents["source_id"]],
            "publisher": "",
            "published": "",
            "url": "",
            "measured_by": "",
            "flag": "",
            "flag_note": "",
        }
    )
    if reports is None or reports.empty:
        return docs
    said = reports[(reports["unit"] == "USD bn") & reports["indicator"].isin(list(READS))]
    text = said.fillna("")
    reps = pd.DataFrame(
        {
            "layer": REPORTS,
            "id": text["id"].astype(str),
            "year": said["year"].astype("int64"),
            "indicator": text["indicator"].astype(str),
            "claim_usd_bn": said["value"].astype("float64"),
            "qualifier": text["qualifier"].astype(str),
            "reported_as": text["reported_as"].astype(str),
            "year_basis": "stated",
            "source_id": "",
            "source": [
                report_label(p, d)
                for p, d in zip(text["publisher"], text["published"], strict=True)
            ],
            "publisher": text["publisher"].astype(str),
            "published": text["published"].astype(str),
            "url": text["url"].astype(str),
            "measured_by": text["measured_by"].astype(str),
            "flag": text["flag"].astype(str) if "flag" in text else "",
            "flag_note": text["flag_note"].astype(str) if "flag_note" in text else "",
        }
    )
    return pd.concat([docs, reps], ignore_index=True)


def _report_label(publisher, published) -> str:
    return f"{publisher}, {published}" if published else str(publisher)


def against_record(claims: pd.DataFrame, readings: pd.DataFrame, written=None) -> pd.DataFrame:
    """Each claim beside each reading of its year and indicator: one row per pair (a claim the
    record cannot read keeps one row with empty record columns), the gap in percent (one
    decimal), whether the claim is flagged and the reason where one is known. `written` maps a
    document figure's id to (year written, 'August 2007') for "written before the year was
    over"."""
    written = written or {}
    pairs = claims.merge(readings, on=["year", "indicator"], how="left")
    has = pairs["record_usd_bn"].notna()
    gap = (pairs["claim_usd_bn"] - pairs["record_usd_bn"]) / pairs["record_usd_bn"] * 100
    pairs["gap_pct"] = gap.where(has).round(1)
    bound = pairs["qualifier"] == "at_least"  # "at least X": any reading above X agrees
    near = (pairs["gap_pct"].abs() <= FLAG_PCT) | (bound & (pairs["gap_pct"] <= FLAG_PCT))
    far = ~near | ~has
    all_far = far.groupby(pairs["id"]).transform("all") & has.groupby(pairs["id"]).transform("any")
    pairs["flagged"] = (all_far | (pairs["flag"] != "")).astype(bool)
    pairs["reason"] = [_reason(row, written.get(row["id"])) for row in pairs.to_dict("records")]
    for column in READING_COLUMNS:
        if column != "record_usd_bn":
            pairs[column] = pairs[column].fillna("").astype(str)
    pairs["record_usd_bn"] = pairs["record_usd_bn"].astype("float64")
    out = pairs[COLUMNS]
    order = out.assign(_layer=out["layer"] != DOCUMENTS, _imported=out["record"] == IMPORTED)
    order = order.sort_values(
        ["year", "_layer", "indicator", "published", "id", "_imported", "reporter"],
        ignore_index=True,
    )
    return order[COLUMNS]


def _reason(row: dict, written: tuple | None) -> str:
    """One line on why a claim and the record may differ, where a cause is known."""
    reasons = []
    if row["flag"]:
        words = REPORT_FLAGS.get(row["flag"], row["flag"])
        reasons.append(f"{words} ({row['flag_note']})" if row["flag_note"] else words)
    if written is not None and written[0] <= int(row["year"]):
        reasons.append(WRITTEN.format(when=written[1]))
    if row["qualifier"] not in ("exact", ""):
        reasons.append(HEDGED.format(quote=row["reported_as"]))
    if row["year_basis"] == "derived":
        reasons.append(DERIVED)
    return "; ".join(reasons)


def indicator_words(indicator: str) -> str:
    """What a claim measures, in the page's language ('China's exports to Russia')."""
    return _(INDICATOR_WORDS[indicator]) if indicator in INDICATOR_WORDS else indicator


def basis_shown(basis: str) -> str:
    """A reading's `record_basis` in the page's language (an imported total's as it is)."""
    return _(basis) if basis in BASIS.values() else basis


_MONTH_YEAR = re.compile(r"(?P<month>[A-Z][a-z]+) (?P<year>\d{4})")


def reason_shown(reason, flag="", qualifier="", reported_as="", year_basis="") -> str:
    """A claim's `reason` (as `against_record` writes it, in English) in the page's language,
    read back from the claim's own columns; the quotes and the package's notes stay as
    written. A reason it cannot read back is shown as it is."""
    if not isinstance(reason, str) or not reason or i18n.current() == i18n.DEFAULT:
        return reason
    rest, shown = reason, []

    def take(english: str) -> bool:
        nonlocal rest
        if rest == english or rest.endswith("; " + english):
            rest = rest[: -len(english)].removesuffix("; ")
            return True
        return False

    if year_basis == "derived" and take(DERIVED):
        shown.insert(0, _(DERIVED))
    if qualifier not in ("exact", "", None) and take(HEDGED.format(quote=reported_as)):
        shown.insert(0, _(HEDGED).format(quote=reported_as))
    written = re.search(r"(?:^|; )written in ([^;]+), before the year was over$", rest)
    if written and take(WRITTEN.format(when=written.group(1))):
        shown.insert(0, _(WRITTEN).format(when=_month_year(written.group(1))))
    if rest and flag:
        words = REPORT_FLAGS.get(flag, flag)
        if flag in REPORT_FLAGS and rest == words:
            shown.insert(0, _(words))
            rest = ""
        elif flag in REPORT_FLAGS and rest.startswith(words + " (") and rest.endswith(")"):
            note = rest[len(words) + 2 : -1]
            shown.insert(0, _("{flag} ({note})").format(flag=_(words), note=note))
            rest = ""
    if rest:
        return reason
    joined = shown[0]
    for part in shown[1:]:
        joined = _("{earlier}; {next}").format(earlier=joined, next=part)
    return joined


def _month_year(text: str) -> str:
    """'August 2007' (as `reports.written_dates` writes it) in the page's language."""
    from sinorus.reports import MONTHS

    found = _MONTH_YEAR.fullmatch(text)
    if found and found["month"] in MONTHS:
        return i18n.month_year(int(found["year"]), MONTHS.index(found["month"]) + 1)
    return text


def verdict_words(flagged: bool, read: bool, reason: str = "") -> str:
    """A claim's verdict as its table shows it: 'Flagged', 'within 5% of a reading' or 'no
    reading', then why they may differ (`reason`, already in the page's language)."""
    within = percent(FLAG_PCT, "g")
    if flagged:
        return _("Flagged: {reason}").format(reason=reason) if reason else _("Flagged")
    if read:
        if reason:
            return _("within {percent} of a reading: {reason}").format(
                percent=within, reason=reason
            )
        return _("within {percent} of a reading").format(percent=within)
    return _("no reading: {reason}").format(reason=reason) if reason else _("no reading")


def verdicts(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per claim of an `against_record` frame: its readings side by side (China's and
    Russia's official gap) and its flag: what the table and the sentence read."""
    if frame.empty:
        return frame.iloc[0:0]
    first = frame.drop_duplicates("id").set_index("id")
    official = frame[frame["record"] == OFFICIAL]
    for reporter in COUNTRIES:
        mine = official[official["reporter"] == reporter].drop_duplicates("id").set_index("id")
        first[f"{reporter.lower()}_usd_bn"] = mine["record_usd_bn"].reindex(first.index)
        first[f"{reporter.lower()}_gap_pct"] = mine["gap_pct"].reindex(first.index)
    return first.reset_index()
