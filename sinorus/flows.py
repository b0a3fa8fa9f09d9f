"""Pure pandas: the frames behind the imported-trade charts (direction, commodities, totals).

They read `Dataset.trade_flows` (rows imported from UN Comtrade or an observation table; see
`sinorus.importers`). Rules kept throughout:

- each reporter's figures stay apart: China's imports from Russia as China reports them (CIF)
  and as Russia reports them (its exports, FOB) are mirror figures, never summed or averaged;
- each imported file is its own series ("uploaded: <file name>"), never mixed with the
  documents' figures or with another file;
- a balance or a total is computed only within one file and one reporter, and says so.
"""

from __future__ import annotations

import pandas as pd

from sinorus.load import Dataset
from sinorus.transform import YearRange, filter_years, trade_series

REPORTER_NAMES = {"CHN": "China", "RUS": "Russia"}
FLOW_LABELS = {
    "china_exports": "China's exports to Russia",
    "china_imports": "China's imports from Russia",
    "balance": "China's balance with Russia (exports − imports)",
    "total": "Total trade",
}
FLOW_ORDER = {"china_exports": 0, "china_imports": 1, "balance": 2, "total": 3}
DIRECTION_COLUMNS = [
    "source_id",
    "series",
    "year",
    "reporter",
    "reporter_name",
    "mirror",
    "flow",
    "flow_label",
    "reported_flow",
    "valuation",
    "value_usd_bn",
    "basis",
    "ids",
    "row_refs",
]
COMMODITY_COLUMNS = [
    "source_id",
    "series",
    "year",
    "reporter",
    "flow",
    "level",
    "code",
    "label",
    "section",
    "section_label",
    "value_usd_bn",
    "share_percent",
    "rank",
    "rows",
    "codes",
]
TOTALS_COLUMNS = [
    "kind",
    "series",
    "source_id",
    "reporter",
    "year",
    "value_usd_bn",
    "qualifier",
    "basis",
    "ids",
    "row_refs",
]
OTHER = "other"
UNCLASSIFIED = ("0", "—", "Not in the HS section table (e.g. chapters 98–99)")


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def series_label(ds: Dataset, source_id: str) -> str:
    """'uploaded: <file name>' for an imported file; the source's title otherwise."""
    src = ds.sources.set_index("id")
    if source_id not in src.index:
        return source_id
    row = src.loc[source_id]
    if str(row.get("imported", "") or "") not in ("", "nan"):
        return f"uploaded: {row['path']}"
    return str(row["title"])


def imported_sources(ds: Dataset) -> pd.DataFrame:
    """One row per source that has trade_flows rows: id, series label, rows, years, reporters,
    flows, whether it has commodity codes. For the app's pickers."""
    columns = ["source_id", "series", "rows", "first_year", "last_year", "reporters", "flows", "has_commodities"]  # fmt: skip
    flows = ds.trade_flows
    if flows is None or flows.empty:
        return _empty(columns)
    rows = []
    for sid, group in flows.groupby("source_id", sort=False):
        rows.append(
            {
                "source_id": sid,
                "series": series_label(ds, sid),
                "rows": len(group),
                "first_year": int(group["year"].min()),
                "last_year": int(group["year"].max()),
                "reporters": ", ".join(sorted(r for r in set(group["reporter"]) if r)),
                "flows": ", ".join(sorted(set(group["flow"]), key=FLOW_ORDER.get)),
                "has_commodities": bool(_hs_rows(group).shape[0]),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _flows(ds: Dataset, year_range: YearRange | None, source_id: str | None) -> pd.DataFrame:
    flows = ds.trade_flows
    if flows is None or flows.empty:
        return pd.DataFrame(columns=[] if flows is None else flows.columns)
    if source_id is not None:
        flows = flows[flows["source_id"] == source_id]
    if year_range is not None:
        flows = filter_years(flows, year_range)
    return flows.reset_index(drop=True)


def _hs_rows(flows: pd.DataFrame) -> pd.DataFrame:
    """HS commodity rows (not TOTAL), at one level per file, reporter, flow and year.

    Where a file has several levels (2-, 4-, 6-digit codes) for the same selection, only the
    coarsest is used, so nothing is counted twice; codes are cut to their chapter (2 digits).
    """
    cls = flows["classification"].str.upper()
    code = flows["commodity_code"]
    hs = flows[
        (code != "TOTAL")
        & code.str.fullmatch(r"[0-9]{2,6}")
        & (cls.str.startswith("H") | (cls == ""))
        & flows["reporter"].isin(["CHN", "RUS"])
    ].copy()
    if hs.empty:
        return hs.assign(chapter=pd.Series(dtype=str))
    hs["length"] = hs["commodity_code"].str.len()
    keys = ["source_id", "reporter", "flow", "year"]
    hs = hs[hs["length"] == hs.groupby(keys)["length"].transform("min")]
    return hs.assign(chapter=hs["commodity_code"].str[:2]).drop(columns="length")


def direction_frame(
    ds: Dataset, year_range: YearRange, source_id: str | None = None
) -> pd.DataFrame:
    """China's exports to and imports from Russia per year, as each reporter states them, and
    the balance (exports − imports) computed within one file and one reporter.

    Values come from the file's TOTAL rows; where a year has no TOTAL row for a flow, from the
    sum of its HS chapter rows (`basis` says which). Flow `total` rows (no direction) are not
    here: see `totals_frame`.
    """
    flows = _flows(ds, year_range, source_id)
    if flows.empty:
        return _empty(DIRECTION_COLUMNS)
    flows = flows[
        flows["flow"].isin(["china_exports", "china_imports"]) & (flows["reporter"] != "")
    ]
    keys = ["source_id", "reporter", "flow", "year"]
    rows = []
    totals = flows[flows["commodity_code"] == "TOTAL"]
    for key, group in totals.groupby(keys, sort=False):
        rows.append(_direction_row(key, group, "TOTAL row"))
    have = {tuple(k) for k in totals[keys].drop_duplicates().itertuples(index=False)}
    chapters = _hs_rows(flows)
    for key, group in chapters.groupby(keys, sort=False):
        if key not in have:
            rows.append(_direction_row(key, group, f"sum of {len(group)} HS commodity row(s)"))
    if not rows:
        return _empty(DIRECTION_COLUMNS)
    out = pd.DataFrame(rows)
    balances = []
    for (sid, rep, year), group in out.groupby(["source_id", "reporter", "year"], sort=False):
        by_flow = group.set_index("flow")
        if {"china_exports", "china_imports"} <= set(by_flow.index):
            exp, imp = by_flow.loc["china_exports"], by_flow.loc["china_imports"]
            balances.append(
                {
                    "source_id": sid,
                    "reporter": rep,
                    "flow": "balance",
                    "year": year,
                    "reported_flow": f"{exp['reported_flow']} − {imp['reported_flow']}",
                    "valuation": f"{exp['valuation']} − {imp['valuation']}",
                    "value_usd_bn": round(exp["value_usd_bn"] - imp["value_usd_bn"], 9),
                    "basis": f"exports ({exp['basis']}) − imports ({imp['basis']}), "
                    f"both as {REPORTER_NAMES[rep]} reports them",
                    "ids": f"{exp['ids']}; {imp['ids']}",
                    "row_refs": f"{exp['row_refs']}; {imp['row_refs']}",
                }
            )
    out = pd.concat([out, pd.DataFrame(balances)], ignore_index=True) if balances else out
    out["series"] = [series_label(ds, s) for s in out["source_id"]]
    out["reporter_name"] = out["reporter"].map(REPORTER_NAMES)
    out["mirror"] = out["reporter"] == "RUS"
    out["flow_label"] = out["flow"].map(FLOW_LABELS)
    out["year"] = out["year"].astype(int)
    out = out.sort_values(
        ["source_id", "reporter", "flow", "year"],
        key=lambda s: s.map(FLOW_ORDER) if s.name == "flow" else s,
        ignore_index=True,
    )
    return out[DIRECTION_COLUMNS]


def _direction_row(key, group: pd.DataFrame, basis: str) -> dict:
    sid, rep, flow, year = key
    return {
        "source_id": sid,
        "reporter": rep,
        "flow": flow,
        "year": int(year),
        "reported_flow": group["reported_flow"].iloc[0],
        "valuation": group["valuation"].iloc[0],
        "value_usd_bn": group["value_usd"].sum() / 1e9,
        "basis": basis,
        "ids": "; ".join(group["id"]),
        "row_refs": "; ".join(group["quote"]),
    }


def totals_frame(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The documents' trade figures and the imported totals, as separate series on one axis.

    Documents: one row per figure as stated (`transform.trade_series`), series = source title.
    Imported: per file and reporter, exports + imports where the file has both for a year
    (series 'uploaded: <file> · reported by China (exports + imports)'); and `total` rows as
    stated (series 'uploaded: <file>'). Never summed across files, reporters or documents.
    """
    rows = []
    for r in trade_series(ds, year_range).itertuples():
        rows.append(
            {
                "kind": "document",
                "series": r.source_title,
                "source_id": r.source_id,
                "reporter": "",
                "year": int(r.year),
                "value_usd_bn": float(r.trade_usd_bn),
                "qualifier": r.qualifier,
                "basis": f"as stated: {r.reported_as}",
                "ids": r.id,
                "row_refs": r.quote,
            }
        )
    direction = direction_frame(ds, year_range)
    two_way = direction[direction["flow"].isin(["china_exports", "china_imports"])]
    for (sid, rep, year), group in two_way.groupby(["source_id", "reporter", "year"], sort=False):
        if len(group) != 2:
            continue  # one direction only: no total
        rows.append(
            {
                "kind": "imported",
                "series": f"{series_label(ds, sid)} · reported by {REPORTER_NAMES[rep]} "
                "(exports + imports)",
                "source_id": sid,
                "reporter": rep,
                "year": int(year),
                "value_usd_bn": round(group["value_usd_bn"].sum(), 9),
                "qualifier": "exact",
                "basis": f"{REPORTER_NAMES[rep]}'s exports + imports with its partner ("
                + " + ".join(
                    f"{v} {b}" for v, b in zip(group["valuation"], group["basis"], strict=True)
                )  # fmt: skip
                + ")",
                "ids": "; ".join(group["ids"]),
                "row_refs": "; ".join(group["row_refs"]),
            }
        )
    flows = _flows(ds, year_range, None)
    if not flows.empty:
        for r in flows[flows["flow"] == "total"].itertuples():
            rows.append(
                {
                    "kind": "imported",
                    "series": series_label(ds, r.source_id),
                    "source_id": r.source_id,
                    "reporter": r.reporter,
                    "year": int(r.year),
                    "value_usd_bn": r.value_usd / 1e9,
                    "qualifier": r.qualifier,
                    "basis": "total as the file states it" + (f" ({r.note})" if r.note else ""),
                    "ids": r.id,
                    "row_refs": r.quote,
                }
            )
    if not rows:
        return _empty(TOTALS_COLUMNS)
    out = pd.DataFrame(rows, columns=TOTALS_COLUMNS)
    order = {"document": 0, "imported": 1}
    return out.sort_values(
        ["kind", "series", "year"],
        key=lambda s: s.map(order) if s.name == "kind" else s,
        ignore_index=True,
    )


# --- commodities --------------------------------------------------------------------------------


def _commodity_rows(
    ds: Dataset, year_range: YearRange, flow: str, reporter: str, source_id: str | None
) -> pd.DataFrame:
    if flow not in ("china_exports", "china_imports"):
        raise ValueError(f"flow '{flow}' (expected china_exports or china_imports)")
    flows = _flows(ds, year_range, source_id)
    if flows.empty:
        return flows
    hs = _hs_rows(flows)
    hs = hs[(hs["flow"] == flow) & (hs["reporter"] == reporter)]
    sources = list(dict.fromkeys(hs["source_id"]))
    if source_id is None and len(sources) > 1:
        raise ValueError(
            f"{len(sources)} imported files have commodity rows for this selection "
            f"({', '.join(sources)}): pass source_id (see imported_sources); files are never summed"
        )
    hs = hs.copy()
    sections = ds.hs_sections.set_index("chapter") if ds.hs_sections is not None else None
    if sections is not None:
        known = hs["chapter"].isin(sections.index)
        hs["section"] = hs["chapter"].map(sections["section"]).astype("Int64").astype(str)
        hs["section_label"] = hs["chapter"].map(
            sections["section_roman"] + " " + sections["section_short"]
        )
        hs["chapter_title"] = hs["chapter"].map(sections["chapter_title"])
        hs.loc[~known, "section"] = UNCLASSIFIED[0]
        hs.loc[~known, "section_label"] = UNCLASSIFIED[1] + " " + UNCLASSIFIED[2]
    else:
        hs["section"], hs["section_label"], hs["chapter_title"] = UNCLASSIFIED[0], "", ""
    # where the table has no title for a chapter, the file's own description
    missing = hs["chapter_title"].isna() | (hs["chapter_title"] == "")
    hs.loc[missing, "chapter_title"] = hs.loc[missing, "commodity"]
    return hs


def _categories(hs: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per row: `code`, `label` of its category (chapter or section)."""
    if level == "section":
        return hs.assign(code=hs["section"], label=hs["section_label"])
    if level == "chapter":
        return hs.assign(
            code=hs["chapter"],
            label="HS " + hs["chapter"] + " " + hs["chapter_title"].fillna("").str.slice(0, 48),
        )
    raise ValueError(f"level '{level}' (expected chapter or section)")


def commodity_frame(
    ds: Dataset,
    year: int,
    flow: str,
    reporter: str,
    top_n: int = 10,
    *,
    level: str = "chapter",
    source_id: str | None = None,
) -> pd.DataFrame:
    """One year's trade in one direction, as one reporter states it, by HS chapter or section:
    the `top_n` largest and one 'other' row for the rest (with the codes it holds).

    `share_percent` is of the sum of the commodity rows (not of the TOTAL row, which may differ
    when a download holds only some chapters). Raises ValueError if several imported files
    match and `source_id` is not given.
    """
    hs = _commodity_rows(ds, (year, year), flow, reporter, source_id)
    if hs.empty:
        return _empty(COMMODITY_COLUMNS)
    hs = _categories(hs, level)
    grouped = (
        hs.groupby(["code", "label", "section", "section_label"], sort=False, dropna=False)
        .agg(value_usd=("value_usd", "sum"), rows=("id", "size"))
        .reset_index()
        .sort_values(["value_usd", "code"], ascending=[False, True], ignore_index=True)
    )
    total = grouped["value_usd"].sum()
    top = grouped.iloc[:top_n].copy()
    rest = grouped.iloc[top_n:]
    top["codes"] = top["code"]
    top["rank"] = range(1, len(top) + 1)
    if len(rest):
        other = {
            "code": OTHER,
            "label": f"Other ({len(rest)} {level}s)",
            "section": OTHER,
            "section_label": f"Other ({len(rest)} {level}s)",
            "value_usd": rest["value_usd"].sum(),
            "rows": int(rest["rows"].sum()),
            "codes": ", ".join(rest["code"]),
            "rank": len(top) + 1,
        }
        top = pd.concat([top, pd.DataFrame([other])], ignore_index=True)
    sid = hs["source_id"].iloc[0]
    top["source_id"] = sid
    top["series"] = series_label(ds, sid)
    top["year"] = int(year)
    top["reporter"] = reporter
    top["flow"] = flow
    top["level"] = level
    top["value_usd_bn"] = top["value_usd"] / 1e9
    top["share_percent"] = (top["value_usd"] / total * 100).round(4) if total else 0.0
    top["rows"] = top["rows"].astype(int)
    return top[COMMODITY_COLUMNS]


def commodity_over_time(
    ds: Dataset,
    year_range: YearRange,
    flow: str,
    reporter: str,
    top_n: int = 8,
    *,
    level: str = "section",
    source_id: str | None = None,
) -> pd.DataFrame:
    """Per year in the range, trade by HS section (or chapter): the `top_n` largest over the
    whole range, and 'other'. One row per year and category; a category absent in a year that
    has commodity rows is 0 there. Years without commodity rows are absent."""
    hs = _commodity_rows(ds, year_range, flow, reporter, source_id)
    if hs.empty:
        return _empty(COMMODITY_COLUMNS)
    hs = _categories(hs, level)
    overall = (
        hs.groupby(["code"], sort=False)["value_usd"]
        .sum()
        .reset_index()
        .sort_values(["value_usd", "code"], ascending=[False, True], ignore_index=True)
    )
    keep = list(overall["code"].iloc[:top_n])
    rest = list(overall["code"].iloc[top_n:])
    labels = hs.drop_duplicates("code").set_index("code")
    hs = hs.copy()
    is_other = ~hs["code"].isin(keep)
    hs.loc[is_other, "label"] = f"Other ({len(rest)} {level}s)"
    hs.loc[is_other, "section_label"] = f"Other ({len(rest)} {level}s)"
    hs.loc[is_other, "section"] = OTHER
    hs.loc[is_other, "code"] = OTHER
    years = sorted(int(y) for y in hs["year"].unique())
    codes = keep + ([OTHER] if rest else [])
    grid = pd.MultiIndex.from_product([years, codes], names=["year", "code"]).to_frame(index=False)
    sums = (
        hs.groupby(["year", "code"])
        .agg(value_usd=("value_usd", "sum"), rows=("id", "size"))
        .reset_index()
        .astype({"year": int})
    )
    out = grid.merge(sums, on=["year", "code"], how="left").fillna({"value_usd": 0.0, "rows": 0})
    meta = {
        code: (
            labels.loc[code, "label"],
            labels.loc[code, "section"],
            labels.loc[code, "section_label"],
        )  # fmt: skip
        for code in keep
    }
    other_label = f"Other ({len(rest)} {level}s)"
    meta[OTHER] = (other_label, OTHER, other_label)
    out["label"] = out["code"].map(lambda c: meta[c][0])
    out["section"] = out["code"].map(lambda c: meta[c][1])
    out["section_label"] = out["code"].map(lambda c: meta[c][2])
    out["rank"] = out["code"].map({c: i + 1 for i, c in enumerate(codes)})
    out["codes"] = out["code"].map(lambda c: ", ".join(rest) if c == OTHER else c)
    year_total = out.groupby("year")["value_usd"].transform("sum")
    out["share_percent"] = (out["value_usd"] / year_total * 100).round(4)
    sid = hs["source_id"].iloc[0]
    out["source_id"] = sid
    out["series"] = series_label(ds, sid)
    out["reporter"] = reporter
    out["flow"] = flow
    out["level"] = level
    out["value_usd_bn"] = out["value_usd"] / 1e9
    out["rows"] = out["rows"].astype(int)
    return out.sort_values(["year", "rank"], ignore_index=True)[COMMODITY_COLUMNS]
