"""Text alternatives of the charts: one sentence that says what a chart shows, and the same rows
as a small table with readers' headers, both made from the chart's own frame.

Pure functions (no Streamlit, no Plotly), so the words follow the year range and every hedge the
frame carries: a figure stated as "about" or "nearly" is never written as if it were exact, and
a year read from context is written "c. 1997".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sinorus import flows, i18n, record
from sinorus.charts import date_label, gap_text, implied_total_text, qualified, qualifier_word
from sinorus.i18n import N_, _, data_label, money_bn, money_bn_range, ngettext, number, percent
from sinorus.transform import year_label
from sinorus.vocab import COUNTRIES, FLOWS, QUALIFIERS

YearRange = tuple[int, int]


@dataclass(frozen=True)
class Words:
    """A chart's words: its sentence and its table, made from its frame. Which chart has which
    words is said once, in the registry (`views.VIEWS`): nothing here is keyed by a chart's slug.
    Every word is written in the page's language when asked for (the frames stay English)."""

    #: (frame, source labels) -> one or two sentences; None: a count of rows.
    sentence: Callable[[pd.DataFrame, dict[str, str]], str] | None = None
    #: (frame, source labels) -> the table's rows in readers' words ...
    rows: Callable[[pd.DataFrame, dict], pd.DataFrame] | None = None
    #: ... and (column of those rows, header a reader sees, N_), in reading order.
    columns: tuple[tuple[str, str], ...] = ()
    #: What the chart says for a range with no rows ("{years}" is the range; N_).
    empty: str = N_("No figures for this chart in {years}.")

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
            return _(self.empty).format(years=years)
        if self.sentence is None:
            return ngettext(
                "{count} row(s) in {first}–{last}.", "{count} row(s) in {first}–{last}.", len(frame)
            ).format(count=_int(len(frame)), first=lo, last=hi)
        return self.sentence(frame, source_labels or {})

    def table(self, frame: pd.DataFrame, source_labels: dict[str, str] | None = None):
        """The chart's rows with readers' headers and words (no internal codes), or None."""
        if self.rows is None or frame is None or frame.empty:
            return None
        out = self.rows(frame, source_labels or {})[[c for c, _h in self.columns]]
        headers = {column: _(header) for column, header in self.columns}
        return out.rename(columns=headers).astype(str).reset_index(drop=True)


def _int(n: int) -> str:
    """A count as English writes f"{n:,}" ('1,234'), by the language's rules."""
    return number(n, ",.0f")


def _listed(parts) -> str:
    """'a; b; c', with the language's separator."""
    return functools.reduce(lambda a, b: _("{earlier}; {next}").format(earlier=a, next=b), parts)


def _both(parts) -> str:
    """'a and b' (and 'a and b and c')."""
    return functools.reduce(lambda a, b: _("{first} and {second}").format(first=a, second=b), parts)


def _stop(text: str) -> str:
    """A sentence ended with the language's full stop."""
    return _("{sentence}.").format(sentence=text)


def _label(q: str) -> str:
    """A qualifier as a word ('at_least' -> 'at least'; 'exact' -> 'exact')."""
    return _(QUALIFIERS[q].label) if q in QUALIFIERS else q.replace("_", " ")


def _or_words(qualifiers) -> str:
    """'nearly / at_least' -> 'nearly or at least' (for use inside a sentence)."""
    words = [_label(q) for q in " / ".join(qualifiers).split(" / ")]
    return functools.reduce(lambda a, b: _("{one} or {other}").format(one=a, other=b), words)


def _hedge(hedge: str, amount: str) -> str:
    """'about 2%': an amount after its hedge (none: the amount alone)."""
    return _("{hedge} {amount}").format(hedge=hedge, amount=amount) if hedge else amount


def _word(qualifier: str) -> str:
    """The hedge word of a known qualifier ('' for exact or unknown)."""
    return qualifier_word(qualifier) if qualifier in QUALIFIERS else ""


def _year_amount(rows: pd.DataFrame) -> str:
    """The figure(s) of one year with their hedges: 'nearly or at least US$40 bn in c. 2007
    (two readings)', 'US$30–35 bn in 2006 (2 readings)'."""
    values = rows["trade_usd_bn"]
    when = year_label(int(rows["year"].iloc[0]), _basis(rows))
    qualifiers = list(dict.fromkeys(rows["qualifier"]))
    if values.nunique() == 1:
        amount = qualified(float(values.iloc[0]), "exact")
        if qualifiers == ["exact"]:
            hedge = ""
        elif qualifiers[0] == "exact" and len(" / ".join(qualifiers).split(" / ")) > 1:
            rest = " / ".join(qualifiers).split(" / ")[1:]
            hedge = _("exactly or {hedges}").format(hedges=_or_words(rest))
        else:
            hedge = _or_words(qualifiers)
        text = _hedge(hedge, amount)
    else:
        # the high end as English wrote it: one decimal, '.0' dropped
        amount = money_bn_range(float(values.min()), round(float(values.max()), 1), "~")
        text = _hedge("" if qualifiers == ["exact"] else qualifier_word("about"), amount)
    readings = len(rows)
    if readings == 1:
        return _("{amount} in {year}").format(amount=text, year=when)
    if readings == 2:
        return _("{amount} in {year} (two readings)").format(amount=text, year=when)
    return ngettext(
        "{amount} in {year} ({count} reading)", "{amount} in {year} ({count} readings)", readings
    ).format(amount=text, year=when, count=readings)


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
        for name, w in (("official", N_("the official record")), ("reports", N_("later reports")))
        if (layer == name).any()
    ]
    if not drawn:
        return _("The documents give no trade figures in this range.")
    return _("The documents give no trade figures in this range: {layers} are drawn.").format(
        layers=_both(_(w) for w in drawn)
    )


def _figures(n: int) -> str:
    return ngettext("{count} figure", "{count} figures", n).format(count=_int(n))


def _documents_sentence(frame: pd.DataFrame) -> str:
    years = sorted(int(y) for y in frame["year"].unique())
    first = frame[frame["year"] == years[0]]
    last = frame[frame["year"] == years[-1]]
    sources = frame["source_id"].nunique()
    fields = {
        "figures": _figures(len(frame)),
        "sources": ngettext("from {count} source", "from {count} sources", sources).format(
            count=_int(sources)
        ),
    }
    if len(years) == 1:
        return _("China–Russia trade was {amount}; {figures} {sources}.").format(
            amount=_year_amount(first), **fields
        )
    start, end = first["trade_usd_bn"].median(), last["trade_usd_bn"].median()
    if end > start:
        template = _("China–Russia trade rose from {first} to {last}; {figures} {sources}.")
    elif end < start:
        template = _("China–Russia trade fell from {first} to {last}; {figures} {sources}.")
    else:
        template = _("China–Russia trade stayed level from {first} to {last}; {figures} {sources}.")
    return template.format(first=_year_amount(first), last=_year_amount(last), **fields)


#: A reporter's figures ('China-reported US$5.9 bn in 1992'), by reporter.
_REPORTED_ONE = {
    "CHN": N_("China-reported {amount} in {year}"),
    "RUS": N_("Russia-reported {amount} in {year}"),
}
_REPORTED_SPAN = {
    "CHN": N_("China-reported {first} in {first_year} to {last} in {last_year}"),
    "RUS": N_("Russia-reported {first} in {first_year} to {last} in {last_year}"),
}


def _country(code: str) -> str:
    """'China' for CHN, in the page's language (an unknown code as it is)."""
    return _(COUNTRIES[code]) if code in COUNTRIES else code


def record_sentence(record: pd.DataFrame) -> str:
    """'The official record (IMF DOTS) gives China-reported US$5.9 bn in 1992 to US$48.1 bn in
    2007, and Russia-reported US$4.4 bn to US$40.3 bn (two readings, never added).'"""
    parts = []
    for reporter, rows in record.groupby("reporter", sort=True):
        rows = rows.sort_values("year")
        first, last = rows.iloc[0], rows.iloc[-1]
        if len(rows) == 1:
            template = _REPORTED_ONE.get(reporter)
            template = _(template) if template else _("{reporter}-reported {amount} in {year}")
            parts.append(
                template.format(
                    reporter=_country(reporter),
                    amount=_bn(first["trade_usd_bn"]),
                    year=int(first["year"]),
                )
            )
        else:
            template = _REPORTED_SPAN.get(reporter)
            template = (
                _(template)
                if template
                else _("{reporter}-reported {first} in {first_year} to {last} in {last_year}")
            )
            parts.append(
                template.format(
                    reporter=_country(reporter),
                    first=_bn(first["trade_usd_bn"]),
                    first_year=int(first["year"]),
                    last=_bn(last["trade_usd_bn"]),
                    last_year=int(last["year"]),
                )
            )
    if len(parts) > 1:
        return _(
            "The official record (IMF Direction of Trade Statistics) gives {readings} "
            "(two readings of the same trade, never added)."
        ).format(readings=_both(parts))
    return _("The official record (IMF Direction of Trade Statistics) gives {readings}.").format(
        readings=_both(parts)
    )


def _hedged(*qualifiers: str) -> bool:
    return any(q != "exact" for qs in qualifiers for q in str(qs).split(" / "))


def _growth(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    first, last = frame.iloc[0], frame.iloc[-1]
    multiple = last["to_usd_bn"] / first["from_usd_bn"]
    about = _hedged(first["from_qualifier"], last["to_qualifier"])
    fastest = frame.loc[frame["cagr_percent"].idxmax()]
    fast_about = _hedged(fastest["from_qualifier"], fastest["to_qualifier"])
    steps = len(frame)
    return ngettext(
        "Between the figures for {first} and {last} trade grew {multiple} in {count} step; "
        "the fastest, {period}, averaged {rate} a year.",
        "Between the figures for {first} and {last} trade grew {multiple} in {count} steps; "
        "the fastest, {period}, averaged {rate} a year.",
        steps,
    ).format(
        first=first["from_year"],
        last=last["to_year"],
        multiple=_hedge(qualifier_word("about") if about else "", f"×{number(multiple, '.1f')}"),
        count=_int(steps),
        period=f"{fastest['from_year']}→{fastest['to_year']}",
        rate=_rate(fastest["cagr_percent"], fast_about),
    )


def _rate(value: float, hedged: bool) -> str:
    """'about 20%' where a hedged figure enters (no more precise than it), else '19.8%'."""
    if hedged:
        return _hedge(qualifier_word("about"), percent(value, ".0f"))
    return percent(value, ".1f")


def _share(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    parts = []
    for r in frame.itertuples():
        fields = {
            "share": _hedge(_word(r.qualifier), percent(r.share_percent, "g")),
            "year": year_label(int(r.year), r.year_basis),
            "source": labels.get(r.source_id, r.source_title),
        }
        if pd.notna(r.implied_china_total_usd_bn):
            text = _(
                "{share} of China's total trade was with Russia in {year} ({source}); with "
                "{trade} of China–Russia trade that implies a China total of {implied}."
            ).format(
                trade=money_bn(r.trade_usd_bn, "g"),
                implied=implied_total_text(r.trade_usd_bn, r.share_percent, r.qualifier),
                **fields,
            )
        else:
            text = _("{share} of China's total trade was with Russia in {year} ({source}).").format(
                **fields
            )
        parts.append(text[0].upper() + text[1:])
    return " ".join(parts)


def _gdp(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    year = int(frame["year"].max())
    rows = frame[frame["year"] == year]
    qualifiers = str(rows["qualifier"].iloc[0]).split(" / ")
    hedge = "" if qualifiers == ["exact"] else _or_words(qualifiers)
    shares = {
        r.country_code: _hedge(hedge, percent(r.trade_pct_of_gdp, ".1f")) for r in rows.itertuples()
    }
    years = frame["year"].nunique()
    shown = ngettext("{count} year shown", "{count} years shown", years).format(count=_int(years))
    # the GDP table's economies are China and Russia (the package's schema)
    if {"CHN", "RUS"} <= set(shares):
        template = _(
            "In {year} China–Russia trade was {china} of China's and {russia} of Russia's GDP "
            "(World Bank, current US$); {shown}."
        )
        return template.format(year=year, china=shares["CHN"], russia=shares["RUS"], shown=shown)
    if "CHN" in shares:
        template = _(
            "In {year} China–Russia trade was {china} of China's GDP (World Bank, current US$); "
            "{shown}."
        )
        return template.format(year=year, china=shares["CHN"], shown=shown)
    template = _(
        "In {year} China–Russia trade was {russia} of Russia's GDP (World Bank, current "
        "US$); {shown}."
    )
    return template.format(year=year, russia=shares.get("RUS", ""), shown=shown)


def _contributions(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    parts = []
    for source_id, rows in frame.groupby("source_id", sort=False):
        who = labels.get(source_id, rows["source_title"].iloc[0])
        what = _listed(
            (
                _("{indicator}: {count}, {doubtful} doubtful")
                if r.doubtful
                else _("{indicator}: {count}")
            ).format(indicator=data_label(r.indicator_label), count=r.figures, doubtful=r.doubtful)
            for r in rows.itertuples()
        )
        parts.append(
            _("{source}: {figures} ({indicators})").format(
                source=who, figures=_figures(int(rows["figures"].sum())), indicators=what
            )
        )
    return _stop(_listed(parts))


# --- imported trade --------------------------------------------------------------------------


def _bn(value: float) -> str:
    return money_bn(value, ",.1f")


def _over_time(part: pd.DataFrame) -> str:
    """'from US$50.0 bn in 1996 to US$67.6 bn in 2023' (or one year's value)."""
    part = part.sort_values("year")
    first, last = part.iloc[0], part.iloc[-1]
    if len(part) == 1:
        return _("{amount} in {year}").format(
            amount=_bn(first["value_usd_bn"]), year=int(first["year"])
        )
    return _("from {first} in {first_year} to {last} in {last_year}").format(
        first=_bn(first["value_usd_bn"]),
        first_year=int(first["year"]),
        last=_bn(last["value_usd_bn"]),
        last_year=int(last["year"]),
    )


#: A flow as one reporter reports it ('China's exports to Russia as Russia reports it').
_AS_REPORTED = {
    "CHN": N_("{flow} as China reports it"),
    "RUS": N_("{flow} as Russia reports it"),
}


def _as_reported(flow: str, reporter: str) -> str:
    name = _(FLOWS[flow]) if flow in FLOWS else flow
    if reporter in _AS_REPORTED:
        return _(_AS_REPORTED[reporter]).format(flow=name)
    return _("{flow} as {reporter} reports it").format(flow=name, reporter=reporter)


def _direction(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    parts = []
    for (rep, flow), part in frame[frame["flow"] != "balance"].groupby(
        ["reporter", "flow"], sort=False
    ):
        parts.append(
            _("{what}, {trend}").format(what=_as_reported(flow, rep), trend=_over_time(part))
        )
    series = ", ".join(flows.series_shown(s) for s in dict.fromkeys(frame["series"]))
    return _("{parts} ({series}; mirror figures are never added together).").format(
        parts=_listed(parts), series=series
    )


def _totals(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    docs = frame[frame["kind"] == "document"]
    parts = []
    if len(docs):
        parts.append(
            ngettext(
                "{count} figure from the documents", "{count} figures from the documents", len(docs)
            ).format(count=_int(len(docs)))
        )
    for series, part in frame[frame["kind"] == "imported"].groupby("series", sort=False):
        parts.append(
            _("{series} {trend}").format(series=flows.series_shown(series), trend=_over_time(part))
        )
    return _("{parts}; each series apart, never summed.").format(parts=_listed(parts))


def _commodities(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    first = frame.iloc[0]
    who = _as_reported(first["flow"], first["reporter"])
    shown = {
        c: flows.label_shown(label, c, first["level"])
        for c, label in zip(frame["code"], frame["label"], strict=True)
    }
    ranked = frame[frame["code"] != "other"].sort_values("value_usd_bn", ascending=False)
    top = _listed(
        _("{item} {amount} ({share})").format(
            item=shown[r.code], amount=_bn(r.value_usd_bn), share=percent(r.share_percent, ".0f")
        )
        for r in ranked.head(3).itertuples()
    )
    years = sorted(int(y) for y in frame["year"].unique())
    if len(years) == 1:
        when = str(years[0])
    else:
        when = _("{first}–{last} (summed over the years)").format(first=years[0], last=years[-1])
        by_code = dict(zip(ranked["label"], ranked["code"], strict=False))
        ranked = (
            ranked.groupby("label", sort=False)["value_usd_bn"].sum().sort_values(ascending=False)
        )
        top = _listed(
            _("{item} {amount}").format(item=shown[by_code[label]], amount=_bn(v))
            for label, v in ranked.head(3).items()
        )
    if first["level"] == "chapter":
        template = _("{flow}, {years}, by HS chapter: the largest are {items}.")
    else:
        template = _("{flow}, {years}, by HS section: the largest are {items}.")
    return template.format(flow=who, years=when, items=top)


def _report_amount(rows: pd.DataFrame) -> str:
    """One year's report figures: 'US$48.2 bn', 'at least US$7 bn', 'US$48.16–48.2 bn'."""
    values = rows["trade_usd_bn"]
    if values.nunique() == 1:
        return qualified(float(values.iloc[0]), " / ".join(dict.fromkeys(rows["qualifier"])))
    return money_bn_range(float(values.min()), float(values.max()), "~")


def _reports(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    """The later reports' layer: how many figures, which years, first and last."""
    years = sorted(int(y) for y in frame["year"].unique())
    first, last = frame[frame["year"] == years[0]], frame[frame["year"] == years[-1]]
    texts = frame["text"].nunique() if "text" in frame else len(frame)
    fields = {
        "figures": _figures(len(frame)),
        "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
        "reports": ngettext("{count} report", "{count} reports", texts).format(count=_int(texts)),
    }
    if len(years) > 1:
        return _(
            "Later reports give {figures} for {years} ({reports}), from {first} for "
            "{first_year} to {last} for {last_year}."
        ).format(
            first=_report_amount(first),
            first_year=years[0],
            last=_report_amount(last),
            last_year=years[-1],
            **fields,
        )
    return _("Later reports give {figures} for {years} ({reports}), {amount}.").format(
        amount=_report_amount(first), **fields
    )


def _claims(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    """Each document claim against both official readings; the later reports' claims counted,
    the flagged ones named."""
    per_claim = record.verdicts(frame)
    parts = []
    for d in per_claim[per_claim["layer"] == record.DOCUMENTS].itertuples():
        parts.append(_against(d))
    reps = per_claim[per_claim["layer"] == record.REPORTS]
    if len(reps):
        read = reps[reps["chn_gap_pct"].notna() | reps["rus_gap_pct"].notna()]
        near = read[~read["flagged"]]
        parts.append(
            _(
                "Later reports give {figures}; of the {read} the record can read, {near} are "
                "within {percent} of a reading."
            ).format(
                figures=_figures(len(reps)),
                read=_int(len(read)),
                near=_int(len(near)),
                percent=percent(record.FLAG_PCT, "g"),
            )
        )
    flagged = per_claim[per_claim["flagged"]]
    if len(flagged):
        named = _listed(_flagged(f) for f in flagged.head(5).itertuples())
        if len(flagged) > 5:
            parts.append(
                _("Flagged: {claims} and {count} more.").format(
                    claims=named, count=_int(len(flagged) - 5)
                )
            )
        else:
            parts.append(_("Flagged: {claims}.").format(claims=named))
    unread = per_claim[per_claim["chn_gap_pct"].isna() & per_claim["rus_gap_pct"].isna()]
    if len(unread):
        parts.append(
            ngettext(
                "{count} claim in range have no official reading.",
                "{count} claims in range have no official reading.",
                len(unread),
            ).format(count=_int(len(unread)))
        )
    return " ".join(parts)


def _reason(d) -> str:
    """A claim's reason (`record.against_record`) in the page's language."""
    return record.reason_shown(d.reason, d.flag, d.qualifier, d.reported_as, d.year_basis)


def _flagged(f) -> str:
    fields = {
        "amount": qualified(float(f.claim_usd_bn), f.qualifier),
        "year": int(f.year),
        "source": f.source,
    }
    if f.reason:
        return _("{amount} for {year} ({source}): {reason}").format(reason=_reason(f), **fields)
    return _("{amount} for {year} ({source})").format(**fields)


def _against(d) -> str:
    """'VOA, Aug 2007: nearly US$40 bn for c. 2007 is −16.9% from China's reading (US$48.11 bn)
    and −0.8% from Russia's (US$40.31 bn).'"""
    fields = {
        "source": d.source,
        "amount": qualified(float(d.claim_usd_bn), d.qualifier),
        "year": year_label(int(d.year), d.year_basis),
        "why": f" ({_reason(d)})" if d.reason else "",
    }
    sides = {}
    for code in ("chn", "rus"):
        gap, value = getattr(d, f"{code}_gap_pct"), getattr(d, f"{code}_usd_bn")
        if not pd.isna(gap):
            sides[code] = (gap_text(gap), qualified(float(value), "exact"))
    if not sides:
        return _("{source}: {amount} for {year} has no official reading.").format(**fields)
    if len(sides) == 2:
        return _(
            "{source}: {amount} for {year} is {china_gap} from China's reading ({china}) and "
            "{russia_gap} from Russia's ({russia}){why}."
        ).format(
            china_gap=sides["chn"][0],
            china=sides["chn"][1],
            russia_gap=sides["rus"][0],
            russia=sides["rus"][1],
            **fields,
        )
    if "chn" in sides:
        return _(
            "{source}: {amount} for {year} is {gap} from China's reading ({reading}){why}."
        ).format(gap=sides["chn"][0], reading=sides["chn"][1], **fields)
    return _("{source}: {amount} for {year} is {gap} from Russia's ({reading}){why}.").format(
        gap=sides["rus"][0], reading=sides["rus"][1], **fields
    )


# --- the same rows as a table --------------------------------------------------------------

#: Each layer of the trade chart in readers' words (its table's "Whose figure" column).
LAYER_WORDS = {
    "documents": N_("document"),
    "official": N_("official record"),
    "reports": N_("later report"),
    "imported": N_("imported"),
    "events": N_("event"),
}
#: The official record's rows, by reporter.
_OFFICIAL_WORDS = {
    "CHN": N_("official record, China-reported"),
    "RUS": N_("official record, Russia-reported"),
}


def _trade_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    if "layer" not in f:
        f = f.assign(
            layer="documents", reporter="", valuation="", title="", when="", source_label=""
        )
    return f.assign(
        year_shown=[
            year_label(int(y), b) if lay == "documents" else (_when(w, d) or str(int(y)))
            for y, b, lay, w, d in zip(
                f["year"],
                f["year_basis"],
                f["layer"],
                f["when"],
                f["date"] if "date" in f else f["when"],
                strict=True,
            )
        ],
        value_shown=[
            qualified(v, q) if pd.notna(v) else "—"
            for v, q in zip(f["trade_usd_bn"], f["qualifier"], strict=True)
        ],
        reported_as=[_as_written(r) for r in f.itertuples()],
        whose=[
            _("{layer}: {source}").format(
                layer=_layer_words(r.layer, r.reporter), source=_whose(r, labels)
            )
            for r in f.itertuples()
        ],
    )


def _whose(r, labels: dict) -> str:
    """Whose figure a row is, as a reader names it (a report by its publisher and date, an
    imported series in the page's language)."""
    if r.layer == "reports" and getattr(r, "publisher", ""):
        return f"{r.publisher}, {date_label(r.published)}"
    if r.layer == "imported":
        return flows.series_shown(r.source_label or r.source_title)
    return labels.get(r.source_id) or r.source_label or r.source_title


def _when(when, day) -> str:
    """An event's date as precise as the text allows ('8 August 2007', 'August 2007', '2007'),
    in the page's language (English keeps the frame's own words)."""
    if not isinstance(when, str) or not when or i18n.current() == i18n.DEFAULT:
        return when
    try:
        stamp = pd.Timestamp(day)
    except (TypeError, ValueError):
        return when
    parts = when.split()
    if len(parts) == 3:
        return i18n.long_date(stamp.year, stamp.month, stamp.day)
    if len(parts) == 2:
        return i18n.month_year(stamp.year, stamp.month)
    return when


def _layer_words(layer: str, reporter: str) -> str:
    """'document', 'official record, China-reported', 'later report' (the hedge is the
    figure's own, in its Trade cell)."""
    if layer == "official":
        if reporter in _OFFICIAL_WORDS:
            return _(_OFFICIAL_WORDS[reporter])
        return _("official record, {reporter}-reported").format(reporter=reporter)
    return _(LAYER_WORDS[layer]) if layer in LAYER_WORDS else layer


def _as_written(r) -> str:
    if r.layer == "official":
        return _("exports {exports} FOB + imports {imports} CIF").format(
            exports=money_bn(r.exports_usd_bn, ",.1f"), imports=money_bn(r.imports_usd_bn, ",.1f")
        )
    if r.layer == "events":
        return data_label(str(r.title))
    return str(r.reported_as)


def _growth_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        period=[f"{a}→{b}" for a, b in zip(f["from_year"], f["to_year"], strict=True)],
        change=[number(c, "+,.1f") for c in f["change_usd_bn"]],
        multiple=[f"×{number(m, '.2f')}" for m in f["multiple"]],
        cagr=[percent(c, ".1f") for c in f["cagr_percent"]],
    )


def _share_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    shares = zip(f["trade_usd_bn"], f["share_percent"], f["qualifier"], strict=True)
    return f.assign(
        share=[
            _hedge(_word(q), percent(s, "g"))
            for s, q in zip(f["share_percent"], f["qualifier"], strict=True)
        ],
        trade=[money_bn(t, "g") if pd.notna(t) else "—" for t in f["trade_usd_bn"]],
        implied=[implied_total_text(t, s, q) if pd.notna(t) else "—" for t, s, q in shares],
    )


def _gdp_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        country=[
            _(COUNTRIES[c]) if c in COUNTRIES else n
            for c, n in zip(f["country_code"], f["country"], strict=True)
        ],
        pct=[
            _hedge(_word(str(q).split(" / ")[0]), percent(p, ".2f"))
            for p, q in zip(f["trade_pct_of_gdp"], f["qualifier"], strict=True)
        ],
        gdp=[number(g, ",.0f") for g in f["gdp_usd_bn"]],
    )


def _contribution_rows(f: pd.DataFrame, labels: dict) -> pd.DataFrame:
    return f.assign(
        source=[labels.get(i, t) for i, t in zip(f["source_id"], f["source_title"], strict=True)],
        indicator_label=[data_label(label) for label in f["indicator_label"]],
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
            _("{amount}: {source}").format(amount=qualified(c, q), source=s)
            if i == "trade_total"
            else _("{amount} ({indicator}): {source}").format(
                amount=qualified(c, q), indicator=record.indicator_words(i), source=s
            )
            for c, q, i, s in zip(
                v["claim_usd_bn"], v["qualifier"], v["indicator"], v["source"], strict=True
            )
        ],
        readings=[_readings_cell(r) for r in v.itertuples()],
        verdict=[
            record.verdict_words(
                r.flagged,
                not pd.isna(r.chn_gap_pct) or not pd.isna(r.rus_gap_pct),
                _reason(r) if r.reason else "",
            )
            for r in v.itertuples()
        ],
    )


def _readings_cell(r) -> str:
    sides = [
        _("{country} {amount} ({gap})").format(
            country=_country(who), amount=qualified(float(value), "exact"), gap=gap_text(gap)
        )
        for who, value, gap in (
            ("CHN", r.chn_usd_bn, r.chn_gap_pct),
            ("RUS", r.rus_usd_bn, r.rus_gap_pct),
        )
        if not pd.isna(value)
    ]
    return _listed(sides) if sides else "—"


# --- each chart's words, named once (the registry, `views.VIEWS`, says which chart has which) --

TRADE = Words(
    _trade,
    _trade_rows,
    (  # four columns: it fits a phone without scrolling sideways
        ("year_shown", N_("Year")),
        ("value_shown", N_("Trade")),
        ("reported_as", N_("As written")),
        ("whose", N_("Whose figure")),
    ),
    N_(
        "No trade figures in {years}: neither the documents, the official record nor a later "
        "report gives one."
    ),
)
GROWTH = Words(
    _growth,
    _growth_rows,
    (
        ("period", N_("Period")),
        ("change", N_("Change, US$ bn")),
        ("multiple", N_("Multiple")),
        ("cagr", N_("Per year (CAGR)")),
    ),
)
SHARE = Words(
    _share,
    _share_rows,
    (
        ("year", N_("Year")),
        ("share", N_("Share of China's trade")),
        ("trade", N_("China–Russia trade")),
        ("implied", N_("Implied China total")),
    ),
)
GDP = Words(
    _gdp,
    _gdp_rows,
    (
        ("year", N_("Year")),
        ("country", N_("Economy")),
        ("pct", N_("Trade, % of GDP")),
        ("gdp", N_("GDP, US$ bn")),
    ),
)
CONTRIBUTIONS = Words(
    _contributions,
    _contribution_rows,
    (
        ("source", N_("Source")),
        ("indicator_label", N_("Indicator")),
        ("figures", N_("Figures")),
        ("doubtful", N_("Doubtful")),
    ),
)
REPORTS = Words(
    _reports,
    _report_rows,
    (
        ("year", N_("Year")),
        ("value_shown", N_("Trade")),
        ("reported_as", N_("As reported")),
        ("measured_by", N_("Measured by")),
        ("who", N_("Report")),
        ("url", N_("Address")),
    ),
    N_("No later report gives a figure for {years}."),
)
CLAIMS = Words(
    _claims,
    _claim_rows,
    (  # four columns: it fits a phone without scrolling sideways
        ("year_shown", N_("Year")),
        ("said", N_("The claim, and who made it")),
        ("readings", N_("Official readings (gap)")),
        ("verdict", N_("Flag, and why they may differ")),
    ),
    N_("No document or later report gives a figure in {years} to compare."),
)
TOTALS = Words(_totals)
DIRECTION = Words(_direction)
COMMODITIES = Words(_commodities)
#: A view with no words of its own: a count of its rows.
ROWS = Words()
