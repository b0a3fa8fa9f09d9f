"""The charts' sentences and readers' tables in the page's language.

Under the pseudo-locale every message that went through `_()` comes out accented, so a plain
English word left in a sentence or a table is a string not yet translated: what may stay is
the package's own words (quotes, figures as reported, publishers, titles, addresses, notes)
and a few proper names. Under Russian and Chinese the money figures take the language's form;
in English nothing changes (the goldens, compared here too for each view's sentence)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from sinorus import charts, i18n, views

GOLDEN = Path(__file__).resolve().parent / "golden"
#: Proper names and abbreviations a translation keeps.
PROPER = {"IMF", "DOTS", "FOB", "CIF", "Comtrade", "sinorus", "World", "Bank"}
#: An English word: four ASCII letters or more (not a Roman numeral: an HS section's number).
WORD = re.compile(r"(?<![A-Za-z])(?![IVXL]+(?![A-Za-z]))[A-Za-z]{4,}(?![A-Za-z])")
DOCUMENT_SLUGS = [slug for slug, v in views.VIEWS.items() if v.needs != "flows"]
RANGES = [None, (1997, 2007), (2006, 2006), (2010, 2024), (1993, 1996)]


def _data_text(ds) -> list[str]:
    """Every string the package writes that is shown as it is (quotes, the figures as
    reported, publishers, titles, addresses, notes), longest first."""
    tables = {
        "observations": ("quote", "reported_as", "year_note", "flag_note"),
        "reports": ("reported_as", "publisher", "measured_by", "url", "text", "note", "flag_note"),
        "sources": ("title", "publisher", "citation", "url", "path"),
        "events": ("quote",),
        "trade_makeup": ("quote",),
        "hs_sections": ("chapter_title",),
    }
    found = set(views.source_labels(ds).values())
    if ds.reports is not None:  # a claim's source: its publisher before the first comma
        found |= {str(p).split(",")[0].strip() for p in ds.reports["publisher"].dropna()}
    for name, columns in tables.items():
        table = getattr(ds, name, None)
        if table is None:
            continue
        for column in columns:
            if column in table:
                found |= {str(v) for v in table[column].dropna() if str(v).strip()}
    return sorted(found, key=len, reverse=True)


def _left_english(text: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    return [w for w in WORD.findall(text) if w not in PROPER]


def _shown(v, ds, year_range, options=None) -> tuple[str, pd.DataFrame | None]:
    frame = v.frame(ds, year_range, **(options or {}))
    labels = views.source_labels(ds)
    return v.describe(frame, year_range, labels), v.table(frame, labels)


def _all_text(sentence: str, table: pd.DataFrame | None) -> str:
    if table is None:
        return sentence
    cells = " | ".join(" | ".join(row) for row in table.astype(str).itertuples(index=False))
    return " | ".join([sentence, *table.columns, cells])


@pytest.mark.parametrize("slug", DOCUMENT_SLUGS)
@pytest.mark.parametrize("year_range", RANGES, ids=lambda r: "full" if r is None else f"{r}")
def test_no_english_left_under_the_pseudo_locale(ds, slug, year_range):
    v = views.VIEWS[slug]
    year_range = year_range or v.years(ds)
    with i18n.using(i18n.PSEUDO):
        text = _all_text(*_shown(v, ds, year_range))
    left = _left_english(text, _data_text(ds))
    assert not left, f"{slug} {year_range}: English left: {sorted(set(left))[:20]}\n{text[:800]}"


def test_the_trade_charts_layer_sentences_are_translated(ds):
    """The official record's and the later reports' sentences, filed with the figure."""
    v = views.VIEWS["trade-total"]
    year_range = v.years(ds)
    with i18n.using(i18n.PSEUDO):
        fig = v.figure(ds, year_range, v.frame(ds, year_range))
        layers = charts.header(fig)["layers"]
    assert [n[:6] for n in layers] == ["[Ĺîñéš", "[Ĝŕéý "], layers
    # the record's and the reports' own sentences inside, in the page's language too
    assert "ôƒƒîçîàĺ ŕéçôŕđ" in layers[0] and "ŕéþôŕţš ĝîṽé" in layers[1]


@pytest.mark.parametrize(
    "slug, options",
    [
        ("direction", {}),
        ("documents-and-imported-totals", {}),
        ("commodity-treemap", dict(year=2021, flow="china_exports", reporter="CHN")),
        ("commodity-area", dict(flow="china_imports", reporter="RUS", level="chapter")),
        ("claims-and-records", {}),
    ],
)
def test_imported_trade_words_are_translated(merged, slug, options):
    v = views.VIEWS[slug]
    year_range = (2021, 2021) if "year" in options else (1990, 2025)
    frame = v.frame(merged, year_range, **options)
    with i18n.using(i18n.PSEUDO):
        text = _all_text(*_shown(v, merged, year_range, options))
    data = _data_text(merged) + sorted(
        {str(x) for c in ("label", "basis", "row_refs") if c in frame for x in frame[c]}
        | {"UN Comtrade"},
        key=len,
        reverse=True,
    )
    # a chapter's title is the package's own (not a label it offers for translation)
    data += [t[:48] for t in merged.hs_sections["chapter_title"]]
    left = _left_english(text, data)
    assert not left, f"{slug}: English left: {sorted(set(left))[:20]}\n{text[:800]}"


def test_money_in_russian_has_a_decimal_comma_and_billions(ds):
    v = views.VIEWS["trade-total"]
    with i18n.using("ru"):
        sentence, table = _shown(v, ds, (2006, 2006))
        growth = views.VIEWS["growth"]
        rows = growth.table(growth.frame(ds, (1992, 2007)))
    assert "33,4\u00a0млрд долл. США" in sentence
    assert "US$" not in sentence and " bn" not in sentence
    assert "33,4\u00a0млрд долл. США" in set(table.iloc[:, 1])
    assert "+26,4" in set(rows.iloc[:, 1]) and "19,8\u00a0%" in set(rows.iloc[:, 3])


def test_money_in_chinese_is_in_yi_of_dollars(ds):
    v = views.VIEWS["trade-total"]
    with i18n.using("zh"):
        sentence, table = _shown(v, ds, (2006, 2006))
        claims = views.VIEWS["claims-and-records"]
        said = claims.describe(claims.frame(ds, (1992, 2007)), (1992, 2007))
    assert "334亿美元" in sentence and "US$" not in sentence
    assert "334亿美元" in set(table.iloc[:, 1])
    assert "亿美元" in said and "US$" not in said


@pytest.mark.parametrize("lang", ["zh", "ru", i18n.PSEUDO])
@pytest.mark.parametrize("slug", DOCUMENT_SLUGS)
def test_every_template_fills_in_every_language(ds, lang, slug):
    """No KeyError/IndexError from a template's fields, whichever the language."""
    v = views.VIEWS[slug]
    for year_range in RANGES:
        year_range = year_range or v.years(ds)
        with i18n.using(lang):
            sentence, _table = _shown(v, ds, year_range)
        assert sentence.strip()


@pytest.mark.parametrize("slug", DOCUMENT_SLUGS)
def test_english_is_the_reviewed_english(ds, slug):
    """In English the sentence and the table are the goldens' (the reviewed copies)."""
    v = views.VIEWS[slug]
    want = json.loads((GOLDEN / "embedded" / slug / "full-default.json").read_text("utf-8"))
    with i18n.using("en"):
        sentence, table = _shown(v, ds, v.years(ds))
    if "described" in want:
        assert sentence == want["described"]
    if want.get("table"):
        assert list(table.columns) == want["table"]["columns"]
        assert [list(r) for r in table.itertuples(index=False)] == want["table"]["rows"]


def test_a_memoised_frame_stays_english(ds):
    """Words are made when shown: a frame built under another language is the English one."""
    with i18n.using("ru"):
        views.VIEWS["claims-and-records"].describe(
            views.VIEWS["claims-and-records"].frame(ds, (1992, 2024)), (1992, 2024)
        )
        frame = views.VIEWS["claims-and-records"].frame(ds, (1992, 2024))
    assert frame["reason"].str.contains("hedged as written").any()
    assert not frame.astype(str).apply(lambda c: c.str.contains("млрд")).any().any()
