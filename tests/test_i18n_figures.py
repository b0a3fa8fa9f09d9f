"""The figures in the reader's language: every word a figure shows goes through `sinorus.i18n`.

Under the pseudo-locale `xx` every message comes out accented, so a plain English word left in a
figure's visible text (its header, axis titles, legend, annotations, hover templates) is a string
not yet wrapped, unless it is a name, an abbreviation or the data's own words (quotes, sources'
titles and publishers, which stay as written). Under `ru` and `zh` money is written by the
language's rules, and English stays as it was (`tests/test_golden.py`).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sinorus import charts, i18n, layers, views

#: Names and abbreviations that stay as they are in every language.
NAMES = {
    "IMF",
    "DOTS",
    "FOB",
    "CIF",
    "CAGR",
    "GDP",
    "World",
    "Bank",
    "NY.GDP.MKTP.CD",
    "Comtrade",
    "Customs",
    "Organization",
    "sinorus",
}
RANGES = [None, (1997, 2007), (2010, 2024), (1950, 1960)]
WORD = re.compile(r"[A-Za-z]{4,}")


def _data_words(ds) -> set[str]:
    """Every word of the names the data writes that a figure shows as they are: sources'
    publishers and titles (legends and source lines), file names, the later reports'
    publishers, the HS chapters' titles (whole, and cut at 48 characters as `sinorus.flows`
    labels them). Quotes and reported words appear only in hover text, not checked here."""
    words: set[str] = set()
    tables = [
        (ds.sources, ("title", "publisher", "path", "id")),
        (ds.reports, ("publisher",)),
        (ds.hs_sections, ("chapter_title",)),  # shown as the package writes them
    ]
    for table, columns in tables:
        if table is None:
            continue
        for column in columns:
            if column in table:
                for text in table[column].dropna().astype(str):
                    words.update(WORD.findall(text) + WORD.findall(text[:48]))
    return words


def visible_text(fig) -> list[str]:
    """What a reader reads of a figure without hovering a mark (its header: title, notes and
    the sentences on its context layers), and its hover templates with Plotly's %{…} fields
    (and <extra>) taken out."""
    head = charts.header(fig)
    texts = [head["title"], *head["notes"], *head["layers"]]
    layout = fig.layout
    for name in dir(layout):
        if re.fullmatch(r"[xy]axis\d*", name):
            axis = getattr(layout, name)
            if axis is not None and axis.title is not None:
                texts.append(axis.title.text or "")
            if axis is not None and axis.ticktext is not None:
                texts += [str(t) for t in axis.ticktext]
    texts += [a.text or "" for a in layout.annotations]
    for trace in fig.data:
        texts.append(getattr(trace, "name", None) or "")
        labels = getattr(trace, "labels", None)
        if labels is not None and trace.type == "pie":
            texts += [str(label) for label in labels]
        for attribute in ("hovertemplate", "texttemplate"):
            value = getattr(trace, attribute, None)
            values = value if isinstance(value, (list, tuple)) else [value]
            for template in values:
                if isinstance(template, str):
                    texts.append(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", "", template))
    return [re.sub(r"<[^>]+>", " ", t) for t in texts if t]


def english_left(texts: list[str], allowed: set[str]) -> list[str]:
    """Plain (unaccented) English words of 4+ letters in `texts` but for `allowed` and Roman
    numerals (HS sections)."""
    return sorted(
        {
            w
            for t in texts
            for w in WORD.findall(t)
            if w not in allowed and not re.fullmatch(r"[IVXLC]+", w)
        }
    )


def _figures(ds):
    """(name, figure) of every view of the registry that `ds` can draw, over a few ranges and
    the trade chart's options."""
    for slug, v in views.VIEWS.items():
        if v.draw is None or not v.available(ds):
            continue
        for year_range in RANGES:
            span = year_range or v.years(ds)
            options = [{}]
            if slug == "trade-total":
                options += [{"log_scale": True}, {"show_official": False, "show_reports": False}]
            for extra in options:
                frame = v.frame(ds, span, **extra)
                fig = v.figure(ds, span, frame, **extra)
                if fig is not None:
                    yield f"{slug} {span} {extra}", fig


def test_pseudo_locale_leaves_no_english_in_any_figure(ds):
    allowed = NAMES | _data_words(ds)
    with i18n.using("xx"):
        left = {name: english_left(visible_text(fig), allowed) for name, fig in _figures(ds)}
    left = {name: words for name, words in left.items() if words}
    assert not left, left


IMPORTED = [
    ("direction", (1990, 2025), {}),
    ("documents-and-imported-totals", (1990, 2025), {}),
    ("trade-total", (1990, 2025), {}),
    ("claims-and-records", (1990, 2025), {}),
    ("commodity-treemap", (2021, 2021), dict(year=2021, flow="china_exports", reporter="CHN")),
    (
        "commodity-treemap",
        (2021, 2021),
        dict(year=2021, flow="china_imports", reporter="RUS", level="chapter"),
    ),
    ("commodity-area", (1990, 2025), dict(flow="china_exports", reporter="CHN")),
    ("commodity-area", (1990, 2025), dict(flow="china_imports", reporter="RUS", level="chapter")),
]


def _imported_figures(merged):
    for slug, year_range, options in IMPORTED:
        v = views.VIEWS[slug]
        frame = v.frame(merged, year_range, **options)
        fig = v.figure(merged, year_range, frame, **options)
        assert fig is not None, slug
        yield f"{slug} {options}", fig


def test_pseudo_locale_reaches_the_figures_of_imported_trade(merged):
    """Direction, commodities, totals and claims with imported UN Comtrade rows: the words are
    the page's; what the file names (its series, its chapters' titles) stays as written."""
    allowed = NAMES | _data_words(merged) | {"table", "observations", "synthetic", "SYNTHETIC"}
    with i18n.using("xx"):
        left = {
            name: english_left(visible_text(fig), allowed)
            for name, fig in _imported_figures(merged)
        }
    left = {name: words for name, words in left.items() if words}
    assert not left, left


def test_the_check_finds_an_unwrapped_word():
    """The check above fails on a figure with an English word left in it."""
    fig = charts.empty_figure("Trade", "nothing here")
    assert english_left(visible_text(fig), NAMES) == ["Trade", "here", "nothing"]


def _money_texts(fig) -> str:
    texts = visible_text(fig)
    for trace in fig.data:
        hover = getattr(trace, "hovertext", None)
        if hover is not None:
            texts += [str(h) for h in (hover if isinstance(hover, (list, tuple)) else [hover])]
        custom = getattr(trace, "customdata", None)
        if custom is not None:
            texts += [str(c) for c in pd.DataFrame(list(custom)).to_numpy().ravel()]
    return "\n".join(texts)


def test_money_in_russian_has_a_decimal_comma_and_mlrd(ds):
    v = views.VIEWS["trade-total"]
    span = v.years(ds)
    with i18n.using("ru"):
        fig = v.figure(ds, span, v.frame(ds, span))
    text = _money_texts(fig)
    assert "33,4\u00a0млрд долл. США" in text  # 2006: US$33.4 bn
    assert "US$33.4 bn" not in text and "US$6 bn" not in text


def test_money_in_chinese_is_in_yi(ds):
    v = views.VIEWS["trade-total"]
    span = v.years(ds)
    with i18n.using("zh"):
        fig = v.figure(ds, span, v.frame(ds, span))
    text = _money_texts(fig)
    assert "334亿美元" in text
    assert "US$33.4 bn" not in text and "US$6 bn" not in text


def test_numbers_of_every_view_take_the_language_without_errors(ds, merged):
    """Templates fill in every language (no KeyError from a field a translation lacks)."""
    for lang in ("zh", "ru"):
        with i18n.using(lang):
            assert sum(1 for _ in _figures(ds)) > 10
            assert sum(1 for _ in _imported_figures(merged)) == len(IMPORTED)


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "roughly US$1,300–2,200 bn (if “about 2%” means 1.5–2.5%)"),
     ("ru", "1\u00a0300–2\u00a0200\u00a0млрд долл. США"),
     ("zh", "13,000–22,000亿美元")],
)  # fmt: skip
def test_implied_total_in_each_language(lang, expected):
    with i18n.using(lang):
        text = charts.implied_total_text(33.4, 2, "about")
    assert expected in text
    if lang == "ru":
        assert "1,5–2,5\u00a0%" in text


def test_gap_and_ticks_by_the_language():
    with i18n.using("ru"):
        assert charts.gap_text(-17.04) == "−17,0\u00a0%"
        assert charts.log_ticks(500, 2000)[1][-1] == "2\u00a0000"
    assert charts.gap_text(-17.04) == "−17.0%"
    assert charts.log_ticks(500, 2000)[1][-1] == "2,000"


def test_layers_series_are_the_messages_the_chart_translates():
    for reporter, series in layers.OFFICIAL_SERIES.items():
        assert layers.official_series(reporter) == series
    assert layers.REPORTS_SERIES == charts.REPORTS_LEGEND


def test_the_trade_frame_is_kept_per_language(ds):
    """Its source labels spell dates in the page's language: a frame built in one language is
    never served in another."""
    v = views.VIEWS["trade-total"]
    span = v.years(ds)
    english = v.frame(ds, span)
    with i18n.using("zh"):
        chinese = v.frame(ds, span)
    assert v.frame(ds, span).equals(english)
    assert "Aug 2007" in " ".join(english["source_label"])
    assert "2007年8月" in " ".join(chinese["source_label"])
