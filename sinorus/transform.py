"""Pure pandas: year filters and the one frame behind each chart, table and download.

Nothing here knows about Streamlit or Plotly. Every frame keeps, per row, the figure's id,
qualifier, source and verbatim quote, so a chart's download carries its provenance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sinorus import reports, vocab
from sinorus.i18n import _
from sinorus.load import TRADE_INDICATOR, Dataset

YearRange = tuple[int, int]


def documents_span(ds: Dataset) -> YearRange:
    """First and last year of the documents' figures (a cumulative total from its year_start)
    and of any imported trade table: the default view, which the headline rests on."""
    obs = ds.observations
    years = pd.concat([obs["year"].astype("Int64"), obs["year_start"].astype("Int64")]).dropna()
    lo, hi = int(years.min()), int(years.max())
    flows = ds.trade_flows.span() if ds.trade_flows is not None else None
    if flows:
        lo, hi = min(lo, flows[0]), max(hi, flows[1])
    return lo, hi


def reports_span(ds: Dataset) -> YearRange | None:
    """First and last year of the later reports' layer (the US$ totals it draws), or None."""
    _, years = memo(ds, "later_reports", lambda: _later_reports_all(ds))
    return (int(years[0]), int(years[-1])) if len(years) else None


def official_span(ds: Dataset) -> YearRange | None:
    """First and last year of the official record (IMF DOTS), or None."""
    if ds.official is None or ds.official.empty:
        return None
    years = ds.official["year"].dropna()
    return int(years.min()), int(years.max())


def year_span(ds: Dataset) -> YearRange:
    """First and last year the slider offers: the documents' span, widened by the official
    record and the later reports' layer when the package has them (1992–2024 here, while the
    default view stays on the documents' 1992–2007)."""
    lo, hi = documents_span(ds)
    for layer in (official_span(ds), reports_span(ds)):
        if layer:
            lo, hi = min(lo, layer[0]), max(hi, layer[1])
    return lo, hi


def filter_years(frame: pd.DataFrame, year_range: YearRange, column: str = "year") -> pd.DataFrame:
    """Rows whose `column` lies within the inclusive `year_range`, index reset."""
    lo, hi = year_range
    years = frame[column]
    return frame[(years >= lo) & (years <= hi)].reset_index(drop=True)


def with_sources(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Add each row's source title, publisher and full citation (joined on source_id)."""
    src = ds.sources.set_index("id")
    out = frame.copy()
    out["source_title"] = out["source_id"].map(src["title"])
    out["source_publisher"] = out["source_id"].map(src["publisher"])
    out["citation"] = out["source_id"].map(src["citation"])
    return out


def observations_view(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """Every observation in the range, with its source and citation: the full data table,
    in year order (then indicator, id), so that a range is one slice of it."""
    full, years = memo(ds, "observations_view", lambda: _observations_view_all(ds))
    return _year_slice(full, years, year_range)


def _observations_view_all(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    view = with_sources(ds.observations, ds).sort_values(
        ["year", "indicator", "id"], ignore_index=True
    )
    return view, view["year"].astype("int64").to_numpy()


def once(store: dict, key: str, build):
    """`build()` the first time `key` is asked of `store`, kept there for the next time."""
    if key not in store:
        store[key] = build()
    return store[key]


def memo(ds: Dataset, key: str, build):
    """`build()` once per dataset: full-span frames that each range then slices."""
    return once(ds.memo, key, build)


def _year_slice(frame: pd.DataFrame, years: np.ndarray, year_range: YearRange) -> pd.DataFrame:
    """Rows of a frame sorted by year (with `years` its year column) within the range."""
    lo, hi = year_range
    start, stop = np.searchsorted(years, lo, "left"), np.searchsorted(years, hi, "right")
    return frame.iloc[start:stop].reset_index(drop=True)


def trade_series(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The bilateral trade figures (US$ bn) in the range, one row per figure as stated."""
    full, years = memo(ds, "trade_series", lambda: _trade_series_all(ds))
    return _year_slice(full, years, year_range)


def _trade_series_all(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    obs = ds.observations
    trade = obs[obs["indicator"] == TRADE_INDICATOR]
    trade = with_sources(trade, ds).rename(columns={"value": "trade_usd_bn"})
    trade = trade.sort_values(["year", "id"], ignore_index=True)[
        [
            "id",
            "year",
            "trade_usd_bn",
            "qualifier",
            "reported_as",
            "year_basis",
            "year_note",
            "flag",
            "source_id",
            "source_title",
            "quote",
            "citation",
        ]
    ]
    return trade, trade["year"].astype("int64").to_numpy()


def later_reports(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The later reports' layer in the range: one row per US$ trade total a report gives
    (`sinorus.reports.reports_series`), never averaged, never joined to the documents' figures.
    Empty (with its columns) when the package has no reports table."""
    full, years = memo(ds, "later_reports", lambda: _later_reports_all(ds))
    return _year_slice(full, years, year_range)


def _later_reports_all(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    layer = reports.reports_series(ds.reports, (-(10**9), 10**9))
    return layer, layer["year"].astype("int64").to_numpy()


def trade_by_year(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """One row per year that has trade figures: its value and every reading behind it.

    Where a year has several readings (2007: "nearly $40 billion" and "already reached $40
    billion") they are listed together, never silently reduced to one; when their values differ
    the median is used and `readings_differ` says so.
    """
    full = memo(ds, "trade_by_year", lambda: _trade_by_year(trade_series(ds, documents_span(ds))))
    return filter_years(full, year_range)


def by_year_of(trade: pd.DataFrame) -> pd.DataFrame:
    """`trade_by_year` of the given `trade_series` rows (e.g. a chart frame's documents)."""
    return _trade_by_year(trade)


def _trade_by_year(trade: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year, group in trade.groupby("year", sort=True):
        values = group["trade_usd_bn"]
        rows.append(
            {
                "year": int(year),
                "trade_usd_bn": float(values.median()),
                "qualifier": " / ".join(dict.fromkeys(group["qualifier"])),
                "reported_as": capped_join(dict.fromkeys(group["reported_as"])),
                "year_basis": "derived" if (group["year_basis"] == "derived").any() else "stated",
                "readings": len(group),
                "readings_differ": values.nunique() > 1,
                "ids": capped_join(group["id"]),
                "source_id": "; ".join(dict.fromkeys(group["source_id"])),
            }
        )
    columns = [
        "year",
        "trade_usd_bn",
        "qualifier",
        "reported_as",
        "year_basis",
        "readings",
        "readings_differ",
        "ids",
        "source_id",
    ]
    return pd.DataFrame(rows, columns=columns)


def capped_join(values, limit: int = 5, sep: str = "; ") -> str:
    """Join at most `limit` values, then say how many more: labels stay short at any table size."""
    values = list(values)
    shown = sep.join(str(v) for v in values[:limit])
    return shown if len(values) <= limit else f"{shown}{sep}and {len(values) - limit:,} more"


#: Above this many figures the time series draws one mark per (year, source, qualifier).
MAX_MARKS = 300


def trade_marks(trade: pd.DataFrame, max_marks: int = MAX_MARKS) -> pd.DataFrame:
    """The marks the time series draws, from `trade_series` rows.

    One mark per figure while there are at most `max_marks`; beyond that, one mark per (year,
    source, qualifier) at the median, with the count and the range (low/high), so the browser
    receives a bounded number of points however large the table. The download keeps every row.
    """
    if len(trade) <= max_marks:
        value = trade["trade_usd_bn"]
        return trade.assign(figures=1, low_usd_bn=value, high_usd_bn=value)
    grouped = trade.groupby(["year", "source_id", "qualifier"], sort=True)
    first = [
        "id",
        "reported_as",
        "year_basis",
        "year_note",
        "flag",
        "source_title",
        "quote",
        "citation",
    ]
    marks = grouped.agg(
        trade_usd_bn=("trade_usd_bn", "median"),
        low_usd_bn=("trade_usd_bn", "min"),
        high_usd_bn=("trade_usd_bn", "max"),
        figures=("id", "size"),
        **{column: (column, "first") for column in first},
    )
    return marks.reset_index()


def trade_marks_in(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """`trade_marks` of the range, from grouped marks computed once for the whole table."""
    trade = trade_series(ds, year_range)
    if len(trade) <= MAX_MARKS:
        return trade_marks(trade)
    full = memo(
        ds, "trade_marks", lambda: trade_marks(trade_series(ds, documents_span(ds)), max_marks=0)
    )
    return filter_years(full, year_range)


def year_label(year: int, basis: str) -> str:
    """'1992', or 'c. 1997' for a year read from context ('约1997年', 'ок. 1997')."""
    return _("c. {year}").format(year=year) if basis == "derived" else str(year)


def period_label(year: int, year_start, basis: str = "stated") -> str:
    """The years a figure covers: '1992–2006 (total)' for a cumulative figure with a year_start,
    else `year_label` ('2006', 'c. 1997')."""
    if year_start is not None and not pd.isna(year_start) and int(year_start) != int(year):
        return _("{first}–{last} (total)").format(first=int(year_start), last=int(year))
    return year_label(int(year), basis)


def growth_periods(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """Change between successive trade figures, with the compound annual growth rate (CAGR)."""
    by_year = trade_by_year(ds, year_range)
    columns = [
        "from_year",
        "to_year",
        "years",
        "from_usd_bn",
        "to_usd_bn",
        "change_usd_bn",
        "multiple",
        "cagr_percent",
        "from_qualifier",
        "to_qualifier",
        "from_reported_as",
        "to_reported_as",
        "from_ids",
        "to_ids",
        "from_year_basis",
        "to_year_basis",
    ]
    if len(by_year) < 2:
        return pd.DataFrame(columns=columns)
    a, b = by_year.iloc[:-1].reset_index(drop=True), by_year.iloc[1:].reset_index(drop=True)
    years = b["year"] - a["year"]
    out = pd.DataFrame(
        {
            "from_year": a["year"],
            "to_year": b["year"],
            "years": years,
            "from_usd_bn": a["trade_usd_bn"],
            "to_usd_bn": b["trade_usd_bn"],
            "change_usd_bn": (b["trade_usd_bn"] - a["trade_usd_bn"]).round(6),
            "multiple": (b["trade_usd_bn"] / a["trade_usd_bn"]).round(6),
            "cagr_percent": (cagr(a["trade_usd_bn"], b["trade_usd_bn"], years) * 100).round(1),
            "from_qualifier": a["qualifier"],
            "to_qualifier": b["qualifier"],
            "from_reported_as": a["reported_as"],
            "to_reported_as": b["reported_as"],
            "from_ids": a["ids"],
            "to_ids": b["ids"],
            "from_year_basis": a["year_basis"],
            "to_year_basis": b["year_basis"],
        }
    )
    return out[columns]


def cagr(start, end, years):
    """Compound annual growth rate as a fraction: (end / start) ** (1 / years) - 1."""
    return (end / start) ** (1 / years) - 1


def headline(ds: Dataset, year_range: YearRange) -> dict | None:
    """Latest figure, growth multiple and CAGR over the range; None if the range has no figures."""
    by_year = trade_by_year(ds, year_range)
    if by_year.empty:
        return None
    first, last = by_year.iloc[0], by_year.iloc[-1]
    span = int(last["year"] - first["year"])
    return {
        "latest_year": int(last["year"]),
        "latest_usd_bn": float(last["trade_usd_bn"]),
        "latest_qualifier": last["qualifier"],
        "latest_reported_as": last["reported_as"],
        "latest_year_basis": last["year_basis"],
        "first_year": int(first["year"]),
        "first_usd_bn": float(first["trade_usd_bn"]),
        "first_qualifier": first["qualifier"],
        "figures": int(by_year["readings"].sum()),
        "multiple": float(last["trade_usd_bn"] / first["trade_usd_bn"]) if span else None,
        "cagr_percent": float(cagr(first["trade_usd_bn"], last["trade_usd_bn"], span) * 100)
        if span
        else None,
    }


HEADLINE_COLUMNS = [
    "whose",
    "measure",
    "value",
    "unit",
    "from_year",
    "to_year",
    "approximate",
    "qualifiers",
    "method",
    "from_ids",
    "to_ids",
]
#: Whose figure a headline row is.
DOCUMENTS, RECORD, REPORT = "the documents", "official record, China-reported", "a later report"
RECORD_REPORTER = "CHN"  # the record's headline reading; Russia's is named beside it


def record_totals(ds: Dataset, reporter: str, year_range: YearRange) -> pd.DataFrame:
    """One reporter's official total per year in the range (exports + imports as it reports
    them; a year with one flow only has none): year, trade_usd_bn."""
    if ds.official is None or ds.official.empty:
        return pd.DataFrame(columns=["year", "trade_usd_bn", "flows"])
    # every year once per dataset and reporter (each year's total is its own rows' alone)
    return filter_years(
        memo(ds, f"record_totals:{reporter}", lambda: _record_totals(ds, reporter)), year_range
    )


def _record_totals(ds: Dataset, reporter: str) -> pd.DataFrame:
    rows = ds.official[ds.official["reporter"] == reporter]
    totals = rows.groupby("year").agg(value=("value_usd", "sum"), flows=("flow", "nunique"))
    totals = totals[totals["flows"] == len(vocab.OFFICIAL_FLOWS)].reset_index()
    return totals.assign(trade_usd_bn=(totals["value"] / 1e9).round(6))[
        ["year", "trade_usd_bn", "flows"]
    ]


def record_headline(ds: Dataset, year_range: YearRange) -> dict | None:
    """The official record in the range: its latest year (China-reported, with Russia's
    reading beside it), and China-reported growth and CAGR from its first year in the range to
    its last. None when the record has no year in the range."""
    china = record_totals(ds, RECORD_REPORTER, year_range)
    if china.empty:
        return None
    russia = record_totals(ds, "RUS", year_range).set_index("year")["trade_usd_bn"]
    first, last = china.iloc[0], china.iloc[-1]
    span = int(last["year"] - first["year"])
    return {
        "latest_year": int(last["year"]),
        "latest_usd_bn": float(last["trade_usd_bn"]),
        "russia_usd_bn": float(russia[last["year"]]) if last["year"] in russia.index else None,
        "first_year": int(first["year"]),
        "first_usd_bn": float(first["trade_usd_bn"]),
        "multiple": float(last["trade_usd_bn"] / first["trade_usd_bn"]) if span else None,
        "cagr_percent": float(cagr(first["trade_usd_bn"], last["trade_usd_bn"], span) * 100)
        if span
        else None,
    }


def report_headline(ds: Dataset, year_range: YearRange) -> dict | None:
    """The latest year a later report covers in the range, and its most recently published
    figure for that year (never averaged with the others); None without one."""
    layer = later_reports(ds, year_range)
    if layer.empty:
        return None
    year = int(layer["year"].max())
    rows = layer[layer["year"] == year].sort_values(["published", "id"])
    row = rows.iloc[-1]
    return {
        "year": year,
        "usd_bn": float(row["trade_usd_bn"]),
        "qualifier": str(row["qualifier"]),
        "reported_as": str(row["reported_as"]),
        "publisher": str(row["publisher"]),
        "published": str(row["published"]),
        "id": str(row["id"]),
        "figures": len(rows),
    }


def headline_frame(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The headline's figures as rows, each saying whose it is: the documents' latest figure,
    growth multiple and CAGR over their years in the range; the official record's latest
    (China-reported), growth and CAGR; the latest later report. With the figures they rest
    on, so what the headline shows can be downloaded too. Percentages at most one decimal."""
    rows = _document_headline_rows(ds, year_range) + _record_headline_rows(ds, year_range)
    report = report_headline(ds, year_range)
    if report is not None:
        method = f"the most recently published later report's figure for the last year in the range a report covers ({report['publisher']}, {report['published']})"
        rows.append(
            _latest_row(
                REPORT, report["usd_bn"], report["year"], report["qualifier"], method, report["id"]
            )
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def _latest_row(whose: str, value: float, year: int, qualifier: str, method: str, ids: str) -> dict:
    """One source's latest trade figure as a headline row (documents, record or report)."""
    return {
        "whose": whose,
        "measure": "latest trade figure",
        "value": value,
        "unit": "USD bn",
        "from_year": year,
        "to_year": year,
        "approximate": qualifier != "exact",
        "qualifiers": qualifier,
        "method": method,
        "from_ids": ids,
        "to_ids": ids,
    }


def _growth_rows(
    whose: str, head: dict, qualifiers: tuple[str, str], ids: tuple[str, str]
) -> list[dict]:
    """Growth multiple and CAGR between the first and latest figure in the range: one decimal, or
    whole percent where a hedged figure enters."""
    hedged = set(qualifiers) != {"exact"}
    common = {
        "whose": whose,
        "from_year": head["first_year"],
        "to_year": head["latest_year"],
        "approximate": hedged,
        "qualifiers": " -> ".join(qualifiers),
        "from_ids": ids[0],
        "to_ids": ids[1],
    }
    return [
        {
            "measure": "growth multiple",
            "value": round(head["multiple"], 1),
            "unit": "times",
            "method": "last figure in the range / first figure in the range",
            **common,
        },
        {
            "measure": "compound annual growth rate",
            "value": round(head["cagr_percent"], 0 if hedged else 1),
            "unit": "percent a year",
            "method": "(last / first) ** (1 / years) - 1",
            **common,
        },
    ]


def _document_headline_rows(ds: Dataset, year_range: YearRange) -> list[dict]:
    head = headline(ds, year_range)
    if head is None:
        return []
    by_year = trade_by_year(ds, year_range)
    first, last = by_year.iloc[0], by_year.iloc[-1]
    method = "the trade figure of the last year in the range with one (median of its readings)"
    rows = [
        _latest_row(
            DOCUMENTS,
            head["latest_usd_bn"],
            head["latest_year"],
            head["latest_qualifier"],
            method,
            last["ids"],
        )
    ]
    if head["multiple"] is not None:
        qualifiers = (head["first_qualifier"], head["latest_qualifier"])
        rows += _growth_rows(DOCUMENTS, head, qualifiers, (first["ids"], last["ids"]))
    return rows


def _record_headline_rows(ds: Dataset, year_range: YearRange) -> list[dict]:
    head = record_headline(ds, year_range)
    if head is None:
        return []
    rid = f"official-{RECORD_REPORTER.lower()}-"
    method = "China's exports FOB + imports CIF with Russia as it reports them (IMF DOTS)"
    if head["russia_usd_bn"] is not None:
        method += f"; Russia-reported: {head['russia_usd_bn']:.2f}"
    latest = f"{rid}{head['latest_year']}"
    rows = [
        _latest_row(
            RECORD, round(head["latest_usd_bn"], 2), head["latest_year"], "exact", method, latest
        )
    ]
    if head["multiple"] is not None:
        ids = (f"{rid}{head['first_year']}", latest)
        rows += _growth_rows(RECORD, head, ("exact", "exact"), ids)
    return rows


def share_of_china_trade(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The share of China's total trade, the same year's trade figure, and the total they imply.

    implied_china_total_usd_bn = trade / share: as approximate as the share it rests on.
    """
    obs = ds.observations
    share = filter_years(obs[obs["indicator"] == "share_of_china_total_trade"], year_range)
    by_year = (
        trade_by_year(ds, (int(share["year"].min()), int(share["year"].max())))
        if len(share)
        else None
    )
    rows = []
    for row in share.itertuples():
        trade = by_year[by_year["year"] == row.year] if by_year is not None else by_year
        trade_value = (
            float(trade["trade_usd_bn"].iloc[0]) if trade is not None and len(trade) else None
        )
        rows.append(
            {
                "id": row.id,
                "year": int(row.year),
                "share_percent": float(row.value),
                "qualifier": row.qualifier,
                "reported_as": row.reported_as,
                "trade_usd_bn": trade_value,
                "trade_ids": trade["ids"].iloc[0] if trade_value is not None else "",
                "implied_china_total_usd_bn": round(trade_value / (row.value / 100), 6)
                if trade_value is not None
                else None,
                "implied_qualifier": row.qualifier,
                "year_basis": row.year_basis,
                "source_id": row.source_id,
                "quote": row.quote,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "year",
            "share_percent",
            "qualifier",
            "reported_as",
            "trade_usd_bn",
            "trade_ids",
            "implied_china_total_usd_bn",
            "implied_qualifier",
            "year_basis",
            "source_id",
            "quote",
        ],
    )
    return with_sources(frame, ds)


COUNTRY_NAMES = vocab.COUNTRIES


def trade_to_gdp(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """Trade as a percentage of each economy's GDP, for the years that have both."""
    columns = [
        "year",
        "country_code",
        "country",
        "trade_usd_bn",
        "gdp_usd_bn",
        "trade_pct_of_gdp",
        "qualifier",
        "trade_ids",
        "gdp_source_id",
    ]
    if ds.gdp is None:
        return pd.DataFrame(columns=columns)
    by_year = trade_by_year(ds, year_range)
    gdp = ds.gdp.assign(gdp_usd_bn=ds.gdp["gdp_usd"] / 1e9)
    merged = by_year.merge(gdp, on="year", how="inner")
    out = pd.DataFrame(
        {
            "year": merged["year"].astype(int),
            "country_code": merged["country_code"],
            "country": merged["country_code"].map(COUNTRY_NAMES),
            "trade_usd_bn": merged["trade_usd_bn"],
            "gdp_usd_bn": merged["gdp_usd_bn"].round(3),
            "trade_pct_of_gdp": (merged["trade_usd_bn"] / merged["gdp_usd_bn"] * 100).round(4),
            "qualifier": merged["qualifier"],
            "trade_ids": merged["ids"],
            "gdp_source_id": merged["source_id_y"],
        }
    )
    return out.sort_values(["year", "country_code"], ignore_index=True)[columns]


#: How many ids `source_contributions` lists per row before "and N more".
IDS_LISTED = 5


#: The columns of `source_contributions`, in order.
CONTRIBUTION_COLUMNS = [
    "source_id",
    "source_title",
    "source_publisher",
    "indicator",
    "indicator_label",
    "figures",
    "doubtful",
    "ids",
    "citation",
]


def source_contributions(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """How many figures each source gives, per indicator, in the range (`doubtful`: how many of
    them are flagged), with the first IDS_LISTED ids in year order and how many more."""
    per_year = filter_years(
        memo(ds, "contributions", lambda: _contributions_by_year(ds)), year_range
    )
    labels = ds.indicators.set_index("id")["label"]
    rows = []
    for (source_id, indicator), group in per_year.groupby(["source_id", "indicator"], sort=True):
        figures = int(group["figures"].sum())
        first = [i for ids in group["first_ids"] for i in ids][:IDS_LISTED]
        more = figures - len(first)
        rows.append(
            {
                "source_id": source_id,
                "indicator": indicator,
                "figures": figures,
                "doubtful": int(group["doubtful"].sum()),
                "ids": "; ".join(first) + (f"; and {more:,} more" if more > 0 else ""),
            }
        )
    counts = pd.DataFrame(rows, columns=["source_id", "indicator", "figures", "doubtful", "ids"])
    counts["indicator_label"] = counts["indicator"].map(labels)
    return with_sources(counts, ds)[CONTRIBUTION_COLUMNS]


def _contributions_by_year(ds: Dataset) -> pd.DataFrame:
    """Per year, source and indicator: figures, doubtful ones, and the first ids (file order)."""
    obs = ds.observations.sort_values("year", kind="stable")
    return (
        obs.groupby(["year", "source_id", "indicator"], sort=True)
        .agg(
            figures=("id", "size"),
            doubtful=("flag", lambda flags: int((flags == "doubtful").sum())),
            first_ids=("id", lambda ids: list(ids.iloc[:IDS_LISTED])),
        )
        .reset_index()
    )


def trade_makeup(ds: Dataset) -> pd.DataFrame:
    """What the texts say the trade is made of, with quotes and sources; no figures."""
    order = {"china_imports": 0, "china_exports": 1, "cooperation": 2}
    frame = ds.trade_makeup.sort_values(
        ["flow", "id"], key=lambda s: s.map(order) if s.name == "flow" else s, ignore_index=True
    )
    return with_sources(frame, ds)


def events_in_range(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The dated events within the range, with a display date as precise as the text allows."""
    full, years = memo(ds, "events_in_range", lambda: _events_all(ds))
    return _year_slice(full, years, year_range)


def _events_all(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    """Every event with its display date and sources, by year (the table's order within one)."""
    events = ds.events.assign(year=ds.events["date"].dt.year)
    events = events.sort_values("year", kind="stable", ignore_index=True)
    formats = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}
    events["when"] = [
        d.strftime(formats[p])
        for d, p in zip(events["date"], events["date_precision"], strict=True)
    ]
    events = with_sources(events, ds)
    return events, events["year"].to_numpy()
