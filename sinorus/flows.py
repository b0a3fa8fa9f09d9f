"""The frames behind the imported-trade charts (direction, commodities, totals).

The numbers come from `sinorus.engine` (DuckDB over the trade_flows Parquet files: only the
aggregated rows a chart needs); this module names them for the reader who is looking (series
labels and row references come from that reader's own sources table). Rules kept throughout:

- each reporter's figures stay apart: China's imports from Russia as China reports them (CIF)
  and as Russia reports them (its exports, FOB) are mirror figures, never summed or averaged;
- a series is (family, reporter, flow): the slices of one UN Comtrade download are one series;
  a family is never mixed with another or with the documents' figures;
- a balance or a total is computed only within one family and one reporter, and says so.
"""

from __future__ import annotations

import re

import pandas as pd

from sinorus import engine, vocab
from sinorus.i18n import N_, _, data_label, ngettext
from sinorus.importers.common import COMTRADE_FAMILY, FAMILY_LABELS
from sinorus.load import Dataset
from sinorus.transform import YearRange, trade_series

REPORTER_NAMES = vocab.COUNTRIES
FLOW_LABELS = vocab.FLOWS
FLOW_ORDER = {"china_exports": 0, "china_imports": 1, "balance": 2, "total": 3}
DIRECTION_COLUMNS = [
    "family",
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
    "rows",
    "row_refs",
]
COMMODITY_COLUMNS = [
    "family",
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
    "series_id",
    "reporter",
    "year",
    "value_usd_bn",
    "qualifier",
    "basis",
    "ids",
    "row_refs",
]
OTHER = "other"
UNCLASSIFIED = ("0", "—", N_("Not in the HS section table (e.g. chapters 98–99)"))
#: An imported file's series, and a reporter's two-way total (English in the frames, where
#: they are data; shown in the page's language by `series_shown`).
TABLE_SERIES = N_("table: {files}")
TWO_WAY = {
    "CHN": N_("{series} · reported by China (exports + imports)"),
    "RUS": N_("{series} · reported by Russia (exports + imports)"),
}


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def _store(ds: Dataset) -> engine.FlowStore:
    return ds.trade_flows or engine.FlowStore()


def family_label(ds: Dataset, family: str) -> str:
    """'UN Comtrade', or for an imported observation table its file: 'table: <file name>'."""
    if family in FAMILY_LABELS:
        return FAMILY_LABELS[family]
    summary = _store(ds).summary
    sids = list(summary.loc[summary["family"] == family, "source_id"])
    paths = ds.sources.set_index("id")["path"] if "path" in ds.sources else pd.Series(dtype=str)
    names = [str(paths.get(s, s)) for s in sids]
    return TABLE_SERIES.format(files=", ".join(names)) if names else family


def flow_shown(flow: str) -> str:
    """A flow's name as shown ('China's exports to Russia'), in the page's language."""
    return _(FLOW_LABELS[flow]) if flow in FLOW_LABELS else flow


def reporter_shown(reporter: str) -> str:
    """A reporter's name as shown ('China'), in the page's language."""
    return _(REPORTER_NAMES[reporter]) if reporter in REPORTER_NAMES else reporter


def series_shown(series) -> str:
    """A frame's `series` (English, as downloaded) in the page's language: 'table: <file>',
    'UN Comtrade · reported by China (exports + imports)'; a document's title as it is."""
    if not isinstance(series, str):
        return series
    for template in TWO_WAY.values():
        suffix = template.removeprefix("{series}")
        if series.endswith(suffix) and len(series) > len(suffix):
            return _(template).format(series=series_shown(series[: -len(suffix)]))
    prefix = TABLE_SERIES.removesuffix("{files}")
    if series.startswith(prefix):
        return _(TABLE_SERIES).format(files=series.removeprefix(prefix))
    return series


def label_shown(label, code: str, level: str = "section") -> str:
    """A commodity frame's `label` (English, as downloaded) in the page's language: 'Other (12
    sections)', a section's name (the package's, by `data_label`), the unclassified row; a
    chapter's title as the package writes it."""
    if not isinstance(label, str):
        return label
    if code == OTHER:
        found = re.fullmatch(r"Other \((\d+) (section|chapter)s\)", label)
        if found is None:
            return label
        count = int(found.group(1))
        if found.group(2) == "chapter":
            return ngettext("Other ({count} chapters)", "Other ({count} chapters)", count).format(
                count=count
            )
        return ngettext("Other ({count} sections)", "Other ({count} sections)", count).format(
            count=count
        )
    if level != "section":
        return label
    if code == UNCLASSIFIED[0] and label == f"{UNCLASSIFIED[1]} {UNCLASSIFIED[2]}":
        return f"{UNCLASSIFIED[1]} {_(UNCLASSIFIED[2])}"
    roman, _sep, short = label.partition(" ")
    return f"{roman} {data_label(short)}" if short else label


def imported_sources(ds: Dataset) -> pd.DataFrame:
    """One row per imported file: its source id, file name, family and series label, rows,
    years, reporters, flows, whether it has HS commodity rows. For the app's pickers."""
    columns = [
        "source_id",
        "file",
        "family",
        "series",
        "rows",
        "first_year",
        "last_year",
        "reporters",
        "flows",
        "has_commodities",
    ]
    summary = _store(ds).summary
    if summary.empty:
        return _empty(columns)
    paths = ds.sources.set_index("id")["path"]
    out = summary.assign(
        file=[str(paths.get(s, s)) for s in summary["source_id"]],
        series=[family_label(ds, f) for f in summary["family"]],
        has_commodities=summary["hs_rows"] > 0,
        flows=[", ".join(sorted(f.split(", "), key=FLOW_ORDER.get)) for f in summary["flows"]],
    )
    return out[columns].reset_index(drop=True)


def families(ds: Dataset) -> pd.DataFrame:
    """One row per family (series group): family, label, whether it has HS commodity rows."""
    table = imported_sources(ds)
    if table.empty:
        return _empty(["family", "series", "has_commodities"])
    grouped = table.groupby(["family", "series"], sort=False)["has_commodities"].any()
    return grouped.reset_index()


def _paths(ds: Dataset) -> dict[str, str]:
    """Source id -> the file it names, once per dataset (this reader's own sources)."""
    if "source_paths" not in ds.memo:
        ds.memo["source_paths"] = dict(zip(ds.sources["id"], ds.sources["path"], strict=True))
    return ds.memo["source_paths"]


def row_refs(ds: Dataset, refs) -> str:
    """'comtrade.csv row 12; …' from engine references 'source_id:row' (this reader's names)."""
    paths = _paths(ds)
    out = []
    for ref in list(refs):
        sid, _, row = str(ref).rpartition(":")
        name = str(paths.get(sid, sid))
        out.append(f"{name} {'record' if name.lower().endswith('.json') else 'row'} {row}")
    return "; ".join(out)


def direction_frame(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """China's exports to and imports from Russia per year, as each reporter states them, and
    the balance (exports − imports) computed within one family and one reporter.

    Values come from the TOTAL rows; where a year has no TOTAL row for a flow, from the sum of
    its HS rows at one level (`basis` says which). Flow `total` rows: see `totals_frame`."""
    raw = engine.direction(_store(ds), tuple(year_range))
    if raw.empty:
        return _empty(DIRECTION_COLUMNS)
    out = raw.assign(
        value_usd_bn=raw["value_usd"] / 1e9,
        row_refs=[
            row_refs(ds, r) + (f"; … {n - len(r)} more" if n > len(r) else "")
            for r, n in zip(raw["refs"], raw["rows"], strict=True)
        ],
        year=raw["year"].astype(int),
    )
    balances = _balances(out)
    if balances:
        out = pd.concat([out, pd.DataFrame(balances)], ignore_index=True)
    out["series"] = [family_label(ds, f) for f in out["family"]]
    out["reporter_name"] = out["reporter"].map(REPORTER_NAMES)
    out["mirror"] = out["reporter"] == "RUS"
    out["flow_label"] = out["flow"].map(FLOW_LABELS)
    out = out.sort_values(
        ["family", "reporter", "flow", "year"],
        key=lambda s: s.map(FLOW_ORDER) if s.name == "flow" else s,
        ignore_index=True,
    )
    return out[DIRECTION_COLUMNS]


def _balances(out: pd.DataFrame) -> list[dict]:
    rows = []
    for (family, rep, year), group in out.groupby(["family", "reporter", "year"], sort=False):
        by_flow = group.set_index("flow")
        if not {"china_exports", "china_imports"} <= set(by_flow.index):
            continue
        exp, imp = by_flow.loc["china_exports"], by_flow.loc["china_imports"]
        rows.append(
            {
                "family": family,
                "reporter": rep,
                "flow": "balance",
                "year": year,
                "reported_flow": f"{exp['reported_flow']} − {imp['reported_flow']}",
                "valuation": f"{exp['valuation']} − {imp['valuation']}",
                "value_usd_bn": round(exp["value_usd_bn"] - imp["value_usd_bn"], 9),
                "basis": f"exports ({exp['basis']}) − imports ({imp['basis']}), "
                f"both as {REPORTER_NAMES[rep]} reports them",
                "rows": int(exp["rows"] + imp["rows"]),
                "row_refs": f"{exp['row_refs']}; {imp['row_refs']}",
            }
        )
    return rows


def totals_frame(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The documents' trade figures and the imported totals, as separate series on one axis.

    Documents: one row per figure as stated (`transform.trade_series`), series = source title.
    Imported: per family and reporter, exports + imports where both are there for a year
    ('UN Comtrade · reported by China (exports + imports)'); and `total` rows as stated (an
    imported observation table). Never summed across families, reporters or documents."""
    rows = [_document_total(r) for r in trade_series(ds, year_range).itertuples()]
    direction = direction_frame(ds, year_range)
    two_way = direction[direction["flow"].isin(["china_exports", "china_imports"])]
    for (family, rep, year), group in two_way.groupby(["family", "reporter", "year"], sort=False):
        if len(group) == 2:  # one direction only: no total
            rows.append(_two_way_total(ds, family, rep, year, group))
    stated = engine.stated_totals(_store(ds), tuple(year_range))
    for r in stated.itertuples():
        rows.append(
            {
                "kind": "imported",
                "series": family_label(ds, r.family),
                "series_id": r.family,
                "reporter": r.reporter,
                "year": int(r.year),
                "value_usd_bn": r.value_usd / 1e9,
                "qualifier": r.qualifier,
                "basis": "total as the file states it" + (f" ({r.note})" if r.note else ""),
                "ids": f"{r.source_id}-{r.row}",
                "row_refs": row_refs(ds, [f"{r.source_id}:{r.row}"]),
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


def _document_total(r) -> dict:
    return {
        "kind": "document",
        "series": r.source_title,
        "series_id": r.source_id,
        "reporter": "",
        "year": int(r.year),
        "value_usd_bn": float(r.trade_usd_bn),
        "qualifier": r.qualifier,
        "basis": f"as stated: {r.reported_as}",
        "ids": r.id,
        "row_refs": r.quote,
    }


def _two_way_total(ds: Dataset, family: str, rep: str, year: int, group: pd.DataFrame) -> dict:
    name = REPORTER_NAMES[rep]
    parts = " + ".join(f"{v} {b}" for v, b in zip(group["valuation"], group["basis"], strict=True))
    return {
        "kind": "imported",
        "series": TWO_WAY[rep].format(series=family_label(ds, family))
        if rep in TWO_WAY
        else f"{family_label(ds, family)} · reported by {name} (exports + imports)",
        "series_id": f"{family}:{rep}",
        "reporter": rep,
        "year": int(year),
        "value_usd_bn": round(group["value_usd_bn"].sum(), 9),
        "qualifier": "exact",
        "basis": f"{name}'s exports + imports with its partner ({parts})",
        "ids": f"{family}:{rep}:{year}",
        "row_refs": "; ".join(group["row_refs"]),
    }


# --- commodities --------------------------------------------------------------------------------


def _family(ds: Dataset, family: str | None) -> str:
    """The family to break down: the one asked for, else the first with HS rows."""
    if family is not None:
        return family
    with_codes = families(ds)
    with_codes = with_codes[with_codes["has_commodities"]]
    return with_codes["family"].iloc[0] if len(with_codes) else COMTRADE_FAMILY


def _chapters(ds: Dataset, year_range, flow: str, reporter: str, family: str | None):
    if flow not in ("china_exports", "china_imports"):
        raise ValueError(f"flow '{flow}' (expected china_exports or china_imports)")
    family = _family(ds, family)
    hs = engine.chapters(_store(ds), tuple(year_range), flow, reporter, family).copy()
    if hs.empty:
        return hs, family
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
    missing = hs["chapter_title"].isna() | (hs["chapter_title"] == "")
    hs.loc[missing, "chapter_title"] = hs.loc[missing, "description"]
    return hs, family


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
    family: str | None = None,
) -> pd.DataFrame:
    """One year's trade in one direction, as one reporter states it, by HS chapter or section:
    the `top_n` largest and one 'other' row for the rest (with the codes it holds).

    `share_percent` is of the sum of the commodity rows (not of the TOTAL row, which may differ
    when a download holds only some chapters). `family` defaults to the first with HS rows."""
    hs, family = _chapters(ds, (year, year), flow, reporter, family)
    if hs.empty:
        return _empty(COMMODITY_COLUMNS)
    hs = _categories(hs, level)
    grouped = (
        hs.groupby(["code", "label", "section", "section_label"], sort=False, dropna=False)
        .agg(value_usd=("value_usd", "sum"), rows=("rows", "sum"))
        .reset_index()
        .sort_values(["value_usd", "code"], ascending=[False, True], ignore_index=True)
    )
    total = grouped["value_usd"].sum()
    top = grouped.iloc[:top_n].copy()
    rest = grouped.iloc[top_n:]
    top["codes"] = top["code"]
    top["rank"] = range(1, len(top) + 1)
    if len(rest):
        other = f"Other ({len(rest)} {level}s)"
        top = pd.concat(
            [
                top,
                pd.DataFrame(
                    [
                        {
                            "code": OTHER,
                            "label": other,
                            "section": OTHER,
                            "section_label": other,
                            "value_usd": rest["value_usd"].sum(),
                            "rows": int(rest["rows"].sum()),
                            "codes": ", ".join(rest["code"]),
                            "rank": len(top) + 1,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    top = top.assign(
        family=family,
        series=family_label(ds, family),
        year=int(year),
        reporter=reporter,
        flow=flow,
        level=level,
        value_usd_bn=top["value_usd"] / 1e9,
        share_percent=(top["value_usd"] / total * 100).round(4) if total else 0.0,
        rows=top["rows"].astype(int),
    )
    return top[COMMODITY_COLUMNS]


def commodity_over_time(
    ds: Dataset,
    year_range: YearRange,
    flow: str,
    reporter: str,
    top_n: int = 8,
    *,
    level: str = "section",
    family: str | None = None,
) -> pd.DataFrame:
    """Per year in the range, trade by HS section (or chapter): the `top_n` largest over the
    whole range, and 'other'. One row per year and category; a category absent in a year that
    has commodity rows is 0 there. Years without commodity rows are absent."""
    hs, family = _chapters(ds, year_range, flow, reporter, family)
    if hs.empty:
        return _empty(COMMODITY_COLUMNS)
    hs = _categories(hs, level)
    overall = (
        hs.groupby("code", sort=False)["value_usd"]
        .sum()
        .reset_index()
        .sort_values(["value_usd", "code"], ascending=[False, True], ignore_index=True)
    )
    keep, rest = list(overall["code"].iloc[:top_n]), list(overall["code"].iloc[top_n:])
    other = f"Other ({len(rest)} {level}s)"
    labels = hs.drop_duplicates("code").set_index("code")
    meta = {code: tuple(labels.loc[code, ["label", "section", "section_label"]]) for code in keep}
    meta[OTHER] = (other, OTHER, other)
    hs = hs.assign(code=hs["code"].where(hs["code"].isin(keep), OTHER))
    years = sorted(int(y) for y in hs["year"].unique())
    codes = keep + ([OTHER] if rest else [])
    grid = pd.MultiIndex.from_product([years, codes], names=["year", "code"]).to_frame(index=False)
    sums = hs.groupby(["year", "code"]).agg(value_usd=("value_usd", "sum"), rows=("rows", "sum"))
    sums = sums.reset_index().astype({"year": int})
    out = grid.merge(sums, on=["year", "code"], how="left").fillna({"value_usd": 0.0, "rows": 0})
    year_total = out.groupby("year")["value_usd"].transform("sum")
    out = out.assign(
        label=out["code"].map(lambda c: meta[c][0]),
        section=out["code"].map(lambda c: meta[c][1]),
        section_label=out["code"].map(lambda c: meta[c][2]),
        rank=out["code"].map({c: i + 1 for i, c in enumerate(codes)}),
        codes=out["code"].map(lambda c: ", ".join(rest) if c == OTHER else c),
        share_percent=(out["value_usd"] / year_total * 100).round(4),
        family=family,
        series=family_label(ds, family),
        reporter=reporter,
        flow=flow,
        level=level,
        value_usd_bn=out["value_usd"] / 1e9,
        rows=out["rows"].astype(int),
    )
    return out.sort_values(["year", "rank"], ignore_index=True)[COMMODITY_COLUMNS]
