"""Text alternatives of the charts: one sentence that says what a chart shows, and the same rows
as a small table with readers' headers, both made from the chart's own frame.

Pure functions (no Streamlit, no Plotly), so the words follow the year range and every hedge the
frame carries: a figure stated as "about" or "nearly" is never written as if it were exact, and
a year read from context is written "c. 1997".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sinorus import record
from sinorus.charts import (
    QUALIFIER_WORDS,
    date_label,
    gap_text,
    implied_total_text,
    qualified,
    qualifier_label,
)
from sinorus.transform import year_label
from sinorus.vocab import COUNTRIES, FLOWS

YearRange = tuple[int, int]


@dataclass(frozen=True)
class Words:
    """A chart's words: its sentence and its table, made from its frame. Which chart has which
    words is said once, in the registry (`views.VIEWS`): nothing here is keyed by a chart's slug.
    """

    #: (frame, source labels) -> one or two sentences; None: a count of rows.
    sentence: Callable[[pd.DataFrame, dict[str, str]], str] | None = None
    #: (frame, source labels) -> the table's rows in readers' words ...
    rows: Callable[[pd.DataFrame, dict], pd.DataFrame] | None = None
    #: ... and (column of those rows, header a reader sees), in reading order.
    columns: tuple[tuple[str, str], ...] = ()
    #: What the chart says for a range with no rows ("{years}" is the range).
    empty: str = "No figures for this chart in {years}."

    def describe(
        self,
        frame: pd.DataFrame,
        year_range: YearRange,
        source_labels: dict[str, str] | None = None,
    ) -> str:
        """One or two sentences stating what the chart shows for `frame` (its own frame)."""
        lo, hi = year_range
        if frame is None or frame.empty:
            years = f"{lo}–{hi}" if lo != hi else str(lo)
            return self.empty.format(years=years)
        if self.sentence is None:
            return f"{len(frame):,} row(s) in {lo}–{hi}."
        return self.sentence(frame, source_labels or {})

    def table(self, frame: pd.DataFrame, source_labels: dict[str, str] | None = None):
        """The chart's rows with readers' headers and words (no internal codes), or None."""
        if self.rows is None or frame is None or frame.empty:
            return None
        out = self.rows(frame, source_labels or {})[[c for c, _ in self.columns]]
        return out.rename(columns=dict(self.columns)).astype(str).reset_index(drop=True)


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _or_words(qualifiers) -> str:
    """'nearly / at_least' -> 'nearly or at least' (for use inside a sentence)."""
    return " or ".join(q for q in qualifier_label(" / ".join(qualifiers)).split(" / "))


def _year_amount(rows: pd.DataFrame) -> str:
    """The figure(s) of one year with their hedges: 'nearly or at least US$40 bn in c. 2007
    (two readings)', 'US$30–35 bn in 2006 (2 readings)'."""
    values = rows["trade_usd_bn"]
    when = year_label(int(rows["year"].iloc[0]), _basis(rows))
    qualifiers = list(dict.fromkeys(rows["qualifier"]))
    if values.nunique() == 1:
        amount = qualified(float(values.iloc[0]), "exact")
        hedge = _or_words(qualifiers) if qualifiers != ["exact"] else ""
        if hedge.startswith("exact or "):
            hedge = "exactly or " + hedge.removeprefix("exact or ")
        text = f"{hedge} {amount}".strip()
    else:
        low, high = (
            qualified(float(values.min()), "exact"),
            f"{values.max():,.1f}".removesuffix(".0"),
        )
        hedge = "" if qualifiers == ["exact"] else "about "
        text = f"{hedge}{low.removesuffix(' bn')}–{high} bn"
    readings = len(rows)
    extra = (
        "" if readings == 1 else (" (two readings)" if readings == 2 else f" ({readings} readings)")
    )
    return f"{text} in {when}{extra}"


def _basis(rows: pd.DataFrame) -> str:
    return "derived" if (rows["year_basis"] == "derived").any() else "stated"


def _trade(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    """The trade chart's sentence, on its subject: the documents' figures. The official record
    and the later reports are told by their own layers' sentences (`record_sentence`, and the
    later reports' view), filed with the figure (`charts.describe_layer`)."""
    layer = frame["layer"] if "layer" in frame else pd.Series("documents", index=frame.index)
    docs = frame[layer == "documents"]
    if len(docs):
        return _documents_sentence(docs)
    drawn = [
        w
        for name, w in (("official", "the official record"), ("reports", "later reports"))
        if (layer == name).any()
    ]
    return "The documents give no trade figures in this range" + (
        f": {' and '.join(drawn)} are drawn." if drawn else "."
    )


def _documents_sentence(frame: pd.DataFrame) -> str:
    years = sorted(int(y) for y in frame["year"].unique())
    first = frame[frame["year"] == years[0]]
    last = frame[frame["year"] == years[-1]]
    sources = frame["source_id"].nunique()
    tail = f"{_count(len(frame), 'figure')} from {_count(sources, 'source')}"
    if len(years) == 1:
        return f"China–Russia trade was {_year_amount(first)}; {tail}."
    start, end = first["trade_usd_bn"].median(), last["trade_usd_bn"].median()
    verb = "rose" if end > start else "fell" if end < start else "stayed level"
    return f"China–Russia trade {verb} from {_year_amount(first)} to {_year_amount(last)}; {tail}."


def record_sentence(record: pd.DataFrame) -> str:
    """'The official record (IMF DOTS) gives China-reported US$5.9 bn in 1992 to US$48.1 bn in
    2007, and Russia-reported US$4.4 bn to US$40.3 bn (two readings, never added).'"""
    parts = []
    for reporter, rows in record.groupby("reporter", sort=True):
        rows = rows.sort_values("year")
        who = f"{COUNTRIES.get(reporter, reporter)}-reported"
        first, last = rows.iloc[0], rows.iloc[-1]
        if len(rows) == 1:
            parts.append(f"{who} {_bn(first['trade_usd_bn'])} in {int(first['year'])}")
        else:
            parts.append(
                f"{who} {_bn(first['trade_usd_bn'])} in {int(first['year'])} to {_bn(last['trade_usd_bn'])} in {int(last['year'])}"
            )
    return (
        "The official record (IMF Direction of Trade Statistics) gives "
        + " and ".join(parts)
        + (" (two readings of the same trade, never added)." if len(parts) > 1 else ".")
    )


def _hedged(*qualifiers: str) -> bool:
    return any(q != "exact" for qs in qualifiers for q in str(qs).split(" / "))


def _growth(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    first, last = frame.iloc[0], frame.iloc[-1]
    multiple = last["to_usd_bn"] / first["from_usd_bn"]
    about = "about " if _hedged(first["from_qualifier"], last["to_qualifier"]) else ""
    fastest = frame.loc[frame["cagr_percent"].idxmax()]
    fast_about = "about " if _hedged(fastest["from_qualifier"], fastest["to_qualifier"]) else ""
    steps = _count(len(frame), "step")
    return (
        f"Between the figures for {first['from_year']} and {last['to_year']} trade grew "
        f"{about}×{multiple:.1f} in {steps}; the fastest, {fastest['from_year']}→"
        f"{fastest['to_year']}, averaged {_rate(fastest['cagr_percent'], bool(fast_about))} a year."
    )


def _rate(percent: float, hedged: bool) -> str:
    """'about 20%' where a hedged figure enters (no more precise than it), else '19.8%'."""
    return f"about {percent:.0f}%" if hedged else f"{percent:.1f}%"


def _share(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    parts = []
    for r in frame.itertuples():
        hedge = QUALIFIER_WORDS.get(r.qualifier, "")
        who = labels.get(r.source_id, r.source_title)
        text = (
            f"{hedge}{r.share_percent:g}% of China's total trade was with Russia in "
            f"{year_label(int(r.year), r.year_basis)} ({who})"
        )
        if pd.notna(r.implied_china_total_usd_bn):
            text += (
                f"; with US${r.trade_usd_bn:g} bn of China–Russia trade that implies a China "
                f"total of {implied_total_text(r.trade_usd_bn, r.share_percent, r.qualifier)}"
            )
        parts.append(text[0].upper() + text[1:] + ".")
    return " ".join(parts)


def _gdp(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    year = int(frame["year"].max())
    rows = frame[frame["year"] == year]
    qualifiers = str(rows["qualifier"].iloc[0]).split(" / ")
    hedge = "" if qualifiers == ["exact"] else _or_words(qualifiers) + " "
    shares = " and ".join(
        f"{hedge}{r.trade_pct_of_gdp:.1f}% of {r.country}'s" for r in rows.itertuples()
    )
    years = frame["year"].nunique()
    return (
        f"In {year} China–Russia trade was {shares} GDP (World Bank, current US$); "
        f"{_count(years, 'year')} shown."
    )


def _contributions(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    parts = []
    for source_id, rows in frame.groupby("source_id", sort=False):
        who = labels.get(source_id, rows["source_title"].iloc[0])
        what = "; ".join(
            f"{r.indicator_label}: {r.figures}" + (f", {r.doubtful} doubtful" if r.doubtful else "")
            for r in rows.itertuples()
        )
        parts.append(f"{who}: {_count(int(rows['figures'].sum()), 'figure')} ({what})")
    return "; ".join(parts) + "."


# --- imported trade --------------------------------------------------------------------------


def _bn(value: float) -> str:
    return f"US${value:,.1f} bn"


def _over_time(part: pd.DataFrame) -> str:
    """'from US$50.0 bn in 1996 to US$67.6 bn in 2023' (or one year's value)."""
    part = part.sort_values("year")
    first, last = part.iloc[0], part.iloc[-1]
    if len(part) == 1:
        return f"{_bn(first['value_usd_bn'])} in {int(first['year'])}"
    return f"from {_bn(first['value_usd_bn'])} in {int(first['year'])} to {_bn(last['value_usd_bn'])} in {int(last['year'])}"


def _direction(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    parts = []
    for (rep, flow), part in frame[frame["flow"] != "balance"].groupby(
        ["reporter_name", "flow_label"], sort=False
    ):
        parts.append(f"{flow} as {rep} reports it, {_over_time(part)}")
    series = ", ".join(dict.fromkeys(frame["series"]))
    return "; ".join(parts) + f" ({series}; mirror figures are never added together)."


def _totals(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    docs = frame[frame["kind"] == "document"]
    parts = [f"{_count(len(docs), 'figure')} from the documents"] if len(docs) else []
    for series, part in frame[frame["kind"] == "imported"].groupby("series", sort=False):
        parts.append(f"{series} {_over_time(part)}")
    return "; ".join(parts) + "; each series apart, never summed."


def _commodities(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    first = frame.iloc[0]
    who = f"{FLOWS[first['flow']]} as {COUNTRIES.get(first['reporter'], first['reporter'])} reports it"
    ranked = frame[frame["code"] != "other"].sort_values("value_usd_bn", ascending=False)
    top = "; ".join(
        f"{r.label} {_bn(r.value_usd_bn)} ({r.share_percent:.0f}%)"
        for r in ranked.head(3).itertuples()
    )
    years = sorted(int(y) for y in frame["year"].unique())
    when = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]} (summed over the years)"
    if len(years) > 1:
        ranked = (
            ranked.groupby("label", sort=False)["value_usd_bn"].sum().sort_values(ascending=False)
        )
        top = "; ".join(f"{label} {_bn(v)}" for label, v in ranked.head(3).items())
    return f"{who}, {when}, by HS {first['level']}: the largest are {top}."


def _report_amount(rows: pd.DataFrame) -> str:
    """One year's report figures: 'US$48.2 bn', 'at least US$7 bn', 'US$48.16–48.2 bn'."""
    values = rows["trade_usd_bn"]
    if values.nunique() == 1:
        return qualified(float(values.iloc[0]), " / ".join(dict.fromkeys(rows["qualifier"])))
    low = qualified(float(values.min()), "exact").removesuffix(" bn")
    return f"{low}–{qualified(float(values.max()), 'exact').removeprefix('US$')}"


def _reports(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    """The later reports' layer: how many figures, which years, first and last."""
    years = sorted(int(y) for y in frame["year"].unique())
    first, last = frame[frame["year"] == years[0]], frame[frame["year"] == years[-1]]
    texts = frame["text"].nunique() if "text" in frame else len(frame)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    trend = (
        f"from {_report_amount(first)} for {years[0]} to {_report_amount(last)} for {years[-1]}"
        if len(years) > 1
        else _report_amount(first)
    )
    return (
        f"Later reports give {_count(len(frame), 'figure')} for {span} "
        f"({_count(texts, 'report')}), {trend}."
    )


def _claims(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    """Each document claim against both official readings; the later reports' claims counted,
    the flagged ones named."""
    per_claim = record.verdicts(frame)
    parts = []
    for d in per_claim[per_claim["layer"] == record.DOCUMENTS].itertuples():
        parts.append(f"{_claim_said(d)} {_against(d)}")
    reps = per_claim[per_claim["layer"] == record.REPORTS]
    if len(reps):
        read = reps[reps["chn_gap_pct"].notna() | reps["rus_gap_pct"].notna()]
        near = read[~read["flagged"]]
        parts.append(
            f"Later reports give {_count(len(reps), 'figure')}; of the {len(read):,} the record "
            f"can read, {len(near):,} are within {record.FLAG_PCT:g}% of a reading."
        )
    flagged = per_claim[per_claim["flagged"]]
    if len(flagged):
        named = "; ".join(
            f"{qualified(float(f.claim_usd_bn), f.qualifier)} for {int(f.year)} ({f.source})"
            + (f": {f.reason}" if f.reason else "")
            for f in flagged.head(5).itertuples()
        )
        more = f" and {len(flagged) - 5:,} more" if len(flagged) > 5 else ""
        parts.append(f"Flagged: {named}{more}.")
    unread = per_claim[per_claim["chn_gap_pct"].isna() & per_claim["rus_gap_pct"].isna()]
    if len(unread):
        parts.append(f"{_count(len(unread), 'claim')} in range have no official reading.")
    return " ".join(parts)


def _claim_said(d) -> str:
    said = f"{d.source}: {qualified(float(d.claim_usd_bn), d.qualifier)}"
    return f"{said} for {year_label(int(d.year), d.year_basis)}"


def _against(d) -> str:
    """'is −16.9% from China's reading (US$48.11 bn) and −0.8% from Russia's (US$40.31 bn).'"""
    sides = []
    for code, whose in (("chn", "China's reading"), ("rus", "Russia's")):
        gap, value = getattr(d, f"{code}_gap_pct"), getattr(d, f"{code}_usd_bn")
        if not pd.isna(gap):
            sides.append(f"{gap_text(gap)} from {whose} ({qualified(float(value), 'exact')})")
    if not sides:
        return "has no official reading."
    why = f" ({d.reason})" if d.reason else ""
    return "is " + " and ".join(sides) + why + "."


# --- the same rows as a table --------------------------------------------------------------

#: Each layer of the trade chart in readers' words (its table's "Whose figure" column).
LAYER_WORDS = {
    "documents": "document",
    "official": "official record",
    "reports": "later report",
    "imported": "imported",
    "events": "event",
}


def _trade_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    if "layer" not in f:
        f = f.assign(
            layer="documents", reporter="", valuation="", title="", when="", source_label=""
        )
    return f.assign(
        year_shown=[
            year_label(int(y), b) if lay == "documents" else (w or str(int(y)))
            for y, b, lay, w in zip(f["year"], f["year_basis"], f["layer"], f["when"], strict=True)
        ],
        value_shown=[
            qualified(v, q) if pd.notna(v) else "—"
            for v, q in zip(f["trade_usd_bn"], f["qualifier"], strict=True)
        ],
        reported_as=[_as_written(r) for r in f.itertuples()],
        whose=[
            f"{_layer_words(lay, r)}: {labels.get(i) or s or t}"
            for lay, r, i, s, t in zip(
                f["layer"],
                f["reporter"],
                f["source_id"],
                f["source_label"],
                f["source_title"],
                strict=True,
            )
        ],
    )


def _layer_words(layer: str, reporter: str) -> str:
    """'document', 'official record, China-reported', 'later report' (the hedge is the
    figure's own, in its Trade cell)."""
    words = LAYER_WORDS.get(layer, layer)
    if layer == "official":
        return f"{words}, {COUNTRIES.get(reporter, reporter)}-reported"
    return words


def _as_written(r) -> str:
    if r.layer == "official":
        return (
            f"exports US${r.exports_usd_bn:,.1f} bn FOB + imports US${r.imports_usd_bn:,.1f} bn CIF"
        )
    if r.layer == "events":
        return str(r.title)
    return str(r.reported_as)


def _growth_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        period=[f"{a}→{b}" for a, b in zip(f["from_year"], f["to_year"], strict=True)],
        change=[f"{c:+,.1f}" for c in f["change_usd_bn"]],
        multiple=[f"×{m:.2f}" for m in f["multiple"]],
        cagr=[f"{c:.1f}%" for c in f["cagr_percent"]],
    )


def _share_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    shares = zip(f["trade_usd_bn"], f["share_percent"], f["qualifier"], strict=True)
    return f.assign(
        share=[
            f"{QUALIFIER_WORDS.get(q, '')}{s:g}%"
            for s, q in zip(f["share_percent"], f["qualifier"], strict=True)
        ],
        trade=[f"US${t:g} bn" if pd.notna(t) else "—" for t in f["trade_usd_bn"]],
        implied=[implied_total_text(t, s, q) if pd.notna(t) else "—" for t, s, q in shares],
    )


def _gdp_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        pct=[
            f"{QUALIFIER_WORDS.get(str(q).split(' / ')[0], '')}{p:.2f}%"
            for p, q in zip(f["trade_pct_of_gdp"], f["qualifier"], strict=True)
        ],
        gdp=[f"{g:,.0f}" for g in f["gdp_usd_bn"]],
    )


def _contribution_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        source=[labels.get(i, t) for i, t in zip(f["source_id"], f["source_title"], strict=True)]
    )


def _report_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        value_shown=[
            qualified(v, q) for v, q in zip(f["trade_usd_bn"], f["qualifier"], strict=True)
        ],
        who=[f"{p}, {date_label(d)}" for p, d in zip(f["publisher"], f["published"], strict=True)],
    )


def _claim_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """One row per claim: its readings side by side (a reader compares the two at a glance)."""
    v = record.verdicts(f)
    return v.assign(
        year_shown=[year_label(int(y), b) for y, b in zip(v["year"], v["year_basis"], strict=True)],
        said=[
            f"{qualified(c, q)}"
            + ("" if i == "trade_total" else f" ({record.INDICATOR_WORDS[i]})")
            + f": {s}"
            for c, q, i, s in zip(
                v["claim_usd_bn"], v["qualifier"], v["indicator"], v["source"], strict=True
            )
        ],
        readings=[_readings_cell(r) for r in v.itertuples()],
        verdict=[
            (
                "Flagged"
                if fl
                else "within 5% of a reading"
                if not pd.isna(c) or not pd.isna(r)
                else "no reading"
            )
            + (f": {why}" if why else "")
            for fl, c, r, why in zip(
                v["flagged"], v["chn_gap_pct"], v["rus_gap_pct"], v["reason"], strict=True
            )
        ],
    )


def _readings_cell(r) -> str:
    sides = [
        f"{who} {qualified(float(value), 'exact')} ({gap_text(gap)})"
        for who, value, gap in (
            ("China", r.chn_usd_bn, r.chn_gap_pct),
            ("Russia", r.rus_usd_bn, r.rus_gap_pct),
        )
        if not pd.isna(value)
    ]
    return "; ".join(sides) if sides else "—"


# --- each chart's words, named once (the registry, `views.VIEWS`, says which chart has which) --

TRADE = Words(
    _trade,
    _trade_rows,
    (  # four columns: it fits a phone without scrolling sideways
        ("year_shown", "Year"),
        ("value_shown", "Trade"),
        ("reported_as", "As written"),
        ("whose", "Whose figure"),
    ),
    "No trade figures in {years}: neither the documents, the official record nor a later report gives one.",
)
GROWTH = Words(
    _growth,
    _growth_rows,
    (
        ("period", "Period"),
        ("change", "Change, US$ bn"),
        ("multiple", "Multiple"),
        ("cagr", "Per year (CAGR)"),
    ),
)
SHARE = Words(
    _share,
    _share_rows,
    (
        ("year", "Year"),
        ("share", "Share of China's trade"),
        ("trade", "China–Russia trade"),
        ("implied", "Implied China total"),
    ),
)
GDP = Words(
    _gdp,
    _gdp_rows,
    (
        ("year", "Year"),
        ("country", "Economy"),
        ("pct", "Trade, % of GDP"),
        ("gdp", "GDP, US$ bn"),
    ),
)
CONTRIBUTIONS = Words(
    _contributions,
    _contribution_rows,
    (
        ("source", "Source"),
        ("indicator_label", "Indicator"),
        ("figures", "Figures"),
        ("doubtful", "Doubtful"),
    ),
)
REPORTS = Words(
    _reports,
    _report_rows,
    (
        ("year", "Year"),
        ("value_shown", "Trade"),
        ("reported_as", "As reported"),
        ("measured_by", "Measured by"),
        ("who", "Report"),
        ("url", "Address"),
    ),
    "No later report gives a figure for {years}.",
)
CLAIMS = Words(
    _claims,
    _claim_rows,
    (  # four columns: it fits a phone without scrolling sideways
        ("year_shown", "Year"),
        ("said", "The claim, and who made it"),
        ("readings", "Official readings (gap)"),
        ("verdict", "Flag, and why they may differ"),
    ),
    "No document or later report gives a figure in {years} to compare.",
)
TOTALS = Words(_totals)
DIRECTION = Words(_direction)
COMMODITIES = Words(_commodities)
#: A view with no words of its own: a count of its rows.
ROWS = Words()
