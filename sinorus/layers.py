"""The trade chart's one frame: every layer it draws, as rows of one long table.

A row's `layer` says what kind of figure it is:

- `documents`: a figure one of the two 2007 documents states (`transform.trade_series`);
- `official`: the official record (IMF Direction of Trade Statistics), one row per reporter
  and year: that reporter's exports FOB + imports CIF. China-reported and Russia-reported
  totals are two readings of the same trade (mirror statistics), never added together;
- `reports`: a full year's total a later report gives (`transform.later_reports`);
- `imported`: an imported or fetched total (`flows.totals_frame`), per dataset and reporter;
- `events`: a dated event the documents name (drawn on a strip of its own, not on the US$ axis).

Columns that do not apply to a layer are left empty. `series` is the name the chart's legend
gives the row's trace, so a reader (and a test) finds each drawn mark among the rows. The chart,
its sentence, its table and every download are made from this frame alone.

The frame's words are data (downloaded as they are): the layers' own (`series`, `valuation`)
are English messages marked `N_` here, which the chart passes through `_()` as it draws them.
Source labels spell their dates in the page's language (`charts.date_label`), so the frame is
kept per language.
"""

from __future__ import annotations

import pandas as pd

from sinorus import flows, i18n, transform, vocab
from sinorus.charts import date_label
from sinorus.charts import source_label as named
from sinorus.i18n import N_
from sinorus.load import Dataset

YearRange = tuple[int, int]

#: The layers, in the order the frame lists them (and the chart draws them, under to over).
LAYERS = ("documents", "official", "reports", "imported", "events")
OFFICIAL_SOURCE = "imf-dots"
#: The valuation of a reporter's total in the official record (hover, table, downloads).
OFFICIAL_VALUATION = N_("exports FOB + imports CIF")
#: The legend names (`series`) of the layers drawn as one trace each.
REPORTS_SERIES = N_("later reports (context)")
EVENTS_SERIES = N_("events named in the texts")
OFFICIAL_LAST_NOTE = N_(
    "The official record in this package ends in {year}; later years have only reports."
)
#: `official_series` of the two reporters, as the chart's legend shows them (through `_()`).
OFFICIAL_SERIES = {
    "CHN": N_("China-reported total (IMF DOTS)"),
    "RUS": N_("Russia-reported total (IMF DOTS)"),
}

COMMON = [
    "layer",
    "series",
    "id",
    "year",
    "trade_usd_bn",
    "qualifier",
    "reporter",
    "reported_as",
    "year_basis",
    "year_note",
    "flag",
    "source_id",
    "source_label",
    "source_title",
    "citation",
    "quote",
]
OFFICIAL = ["exports_usd_bn", "imports_usd_bn", "valuation"]
REPORTS = ["kind", "measured_by", "publisher", "published", "url", "text", "note"]
IMPORTED = ["series_id", "basis", "row_refs"]
EVENTS = ["date", "when", "status", "date_basis", "title"]
COLUMNS = COMMON + OFFICIAL + REPORTS + IMPORTED + EVENTS
NUMBERS = ("trade_usd_bn", "exports_usd_bn", "imports_usd_bn")


def official_series(reporter: str) -> str:
    """The legend name of one reporter's total: 'China-reported total (IMF DOTS)'."""
    return f"{vocab.COUNTRIES.get(reporter, reporter)}-reported total (IMF DOTS)"


def source_label(row) -> str:
    """'Voice of America (VOA News), Aug 2007': publisher and date, as readers cite it."""
    return named(row.publisher, row.published)


def labels(ds: Dataset) -> dict[str, str]:
    return {row.id: source_label(row) for row in ds.sources.itertuples()}


def trade_frame(
    ds: Dataset,
    year_range: YearRange,
    *,
    show_reports: bool = True,
    show_official: bool = True,
    show_events: bool = True,
    show_imported: bool = True,
    **_,
) -> pd.DataFrame:
    """The trade chart's rows for `year_range`: the documents' figures and, when shown, the
    official record, the later reports, imported totals and the events."""
    lo, hi = tuple(year_range)
    shown = (bool(show_official), bool(show_reports), bool(show_events))
    key = f"trade_frame:{shown}:{i18n.current()}"  # its source labels' dates are worded
    full = transform.memo(ds, key, lambda: _all_years(ds, *shown))
    in_range = full[(full["year"] >= lo) & (full["year"] <= hi)]
    extra = imported(ds, (lo, hi)) if show_imported else None
    if extra is not None and len(extra):  # per range (a query), drawn before the events
        last = in_range["layer"] == "events"
        parts = [in_range[~last], extra.reindex(columns=COLUMNS), in_range[last]]
        return _typed(pd.concat([p for p in parts if len(p)], ignore_index=True))
    if in_range.empty:
        return _empty()
    return in_range.reset_index(drop=True)


def _all_years(ds: Dataset, show_official: bool, show_reports: bool, show_events: bool):
    """Every year's rows of the layers that come from the package (all but `imported`), in
    the frame's order: built once per dataset and switches; each range is a slice of it (a
    range change rebuilds nothing)."""
    every = (-(10**9), 10**9)
    names = labels(ds)
    parts = [documents(ds, every, names)]
    if show_official:
        parts.append(official(ds, every, names))
    if show_reports:
        parts.append(later_reports(ds, every))
    if show_events:
        parts.append(events(ds, every, names))
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    return _typed(pd.concat([p.reindex(columns=COLUMNS) for p in parts], ignore_index=True))


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=COLUMNS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["year"] = frame["year"].astype("int64")
    for column in NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    text = [c for c in COLUMNS if c not in ("year", *NUMBERS)]
    frame[text] = frame[text].astype(object).fillna("").astype(str)
    return frame[COLUMNS]


def documents(ds: Dataset, year_range: YearRange, names: dict[str, str]) -> pd.DataFrame:
    trade = transform.trade_series(ds, year_range)
    label = trade["source_id"].map(names).fillna(trade["source_title"])
    return trade.assign(layer="documents", series=label, source_label=label)


def official(ds: Dataset, year_range: YearRange, names: dict[str, str]) -> pd.DataFrame:
    """Per reporter and year: its exports FOB + imports CIF (both needed for a total)."""
    record = official_totals(ds)
    if record.empty:
        return record
    record = transform.filter_years(record, year_range)
    src = ds.sources.set_index("id")
    return record.assign(
        source_label=record["source_id"].map(names).fillna("IMF DOTS"),
        source_title=record["source_id"].map(src["title"]).fillna(""),
        citation=record["source_id"].map(src["citation"]).fillna(""),
    )


def official_totals(ds: Dataset) -> pd.DataFrame:
    """Each reporter's total per year (exports + imports as it reports them), every year."""
    if ds.official is None or ds.official.empty:
        return pd.DataFrame(columns=COMMON + OFFICIAL)
    wide = ds.official.pivot_table(
        index=["reporter", "year", "source_id"], columns="flow", values="value_usd", aggfunc="sum"
    ).reset_index()
    wide = wide.dropna(subset=list(vocab.OFFICIAL_FLOWS))  # one flow only: no total
    exports, imports = wide["exports_fob"] / 1e9, wide["imports_cif"] / 1e9
    out = pd.DataFrame(
        {
            "layer": "official",
            "series": wide["reporter"].map(official_series),
            "id": "official-" + wide["reporter"].str.lower() + "-" + wide["year"].astype(str),
            "year": wide["year"].astype("int64"),
            "trade_usd_bn": (exports + imports).round(6),
            "qualifier": "exact",
            "reporter": wide["reporter"],
            "year_basis": "stated",
            "source_id": wide["source_id"],
            "exports_usd_bn": exports.round(6),
            "imports_usd_bn": imports.round(6),
            "valuation": OFFICIAL_VALUATION,
        }
    )
    return out.sort_values(["reporter", "year"], ignore_index=True)


def later_reports(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    layer = transform.later_reports(ds, year_range)
    label = [
        f"{p}, {date_label(d)}" for p, d in zip(layer["publisher"], layer["published"], strict=True)
    ]
    return layer.assign(layer="reports", series=REPORTS_SERIES, source_label=label)


def imported(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    if ds.trade_flows is None or not len(ds.trade_flows):
        return pd.DataFrame(columns=COLUMNS)
    totals = flows.totals_frame(ds, year_range)
    totals = totals[totals["kind"] == "imported"]
    return pd.DataFrame(
        {
            "layer": "imported",
            "series": totals["series"],
            "id": totals["ids"],
            "year": totals["year"],
            "trade_usd_bn": totals["value_usd_bn"],
            "qualifier": totals["qualifier"],
            "reporter": totals["reporter"],
            "source_label": totals["series"],
            "series_id": totals["series_id"],
            "basis": totals["basis"],
            "row_refs": totals["row_refs"],
        }
    )


def events(ds: Dataset, year_range: YearRange, names: dict[str, str]) -> pd.DataFrame:
    found = transform.events_in_range(ds, year_range)
    return found.assign(
        layer="events",
        series=EVENTS_SERIES,
        source_label=found["source_id"].map(names).fillna(found["source_title"]),
        date=found["date"].dt.strftime("%Y-%m-%d"),
    )


def layer(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of one layer (index reset)."""
    return frame[frame["layer"] == name].reset_index(drop=True)


def span(ds: Dataset) -> YearRange:
    """The years the trade chart's rows can cover: the slider's span (documents, official
    record, later reports)."""
    return transform.year_span(ds)
