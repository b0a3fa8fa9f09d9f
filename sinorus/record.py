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

import pandas as pd

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
#: How each reading is worked out, in readers' words.
BASIS = {
    ("trade_total", "CHN"): "China-reported: China's exports (FOB) + imports (CIF)",
    ("trade_total", "RUS"): "Russia-reported: Russia's exports (FOB) + imports (CIF)",
    ("trade_china_exports", "CHN"): "China-reported: China's exports to Russia (FOB)",
    ("trade_china_exports", "RUS"): "Russia-reported: Russia's imports from China (CIF)",
    ("trade_china_imports", "CHN"): "China-reported: China's imports from Russia (CIF)",
    ("trade_china_imports", "RUS"): "Russia-reported: Russia's exports to China (FOB)",
}
INDICATOR_WORDS = {
    "trade_total": "trade",
    "trade_china_exports": "China's exports to Russia",
    "trade_china_imports": "China's imports from Russia",
}
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
        reasons.append(f"written in {written[1]}, before the year was over")
    if row["qualifier"] not in ("exact", ""):
        reasons.append(f"hedged as written ('{row['reported_as']}')")
    if row["year_basis"] == "derived":
        reasons.append("the year is read from the wording, not stated")
    return "; ".join(reasons)


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
