"""The page's languages (`sinorus.i18n`): every message extracted from the code and the data
package is translated in both catalogs, with its fields intact; numbers, money, percentages and
dates follow each language's CLDR rules; the language is chosen from `?lang=`, else the browser."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from sinorus import charts, i18n, transform

ROOT = Path(__file__).resolve().parent.parent
CFG = ROOT / "sinorus" / "locale" / "babel.cfg"
LANGS = ("zh", "ru")
FIELD = re.compile(r"%?\{[^{}]*\}")


def extracted() -> dict[str, str]:
    """Every message Babel finds now, as `make messages` extracts it: msgid -> where."""
    with CFG.open() as f:
        method_map, options_map = parse_mapping_cfg(f, str(CFG))
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def messages() -> dict[str, str]:
    return extracted()


@pytest.fixture(scope="module", params=LANGS)
def catalog(request):
    with i18n.po_path(request.param).open("rb") as f:
        return request.param, read_po(f)


def test_the_code_and_the_package_have_messages(messages):
    """The extraction reaches the code (a title, a qualifier) and the package's labels (an
    event's title), and no quote: a test of the extraction itself."""
    assert "Trade over time" in messages
    assert "nearly" in messages
    assert "Year of China in Russia" in messages  # data/events.csv: title
    assert not any("President Hu spoke last year" in m for m in messages)  # a quote


def test_every_message_is_translated_in_both_catalogs(messages, catalog):
    """No message of the code or the package is missing, empty or fuzzy in a catalog (run
    `make messages` and translate what it adds)."""
    lang, po = catalog
    missing = []
    for msgid, where in messages.items():
        entry = po.get(msgid) or next(
            (m for m in po if isinstance(m.id, tuple) and msgid in m.id), None
        )
        strings = entry.string if entry is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(texts):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, f"{len(missing)} untranslated in {lang}:\n" + "\n".join(missing[:40])


def test_each_translation_keeps_its_fields_and_marks(catalog):
    """A translation fills the same named fields (`{year}`, Plotly's `%{y}`) and keeps its HTML
    tags: otherwise `.format` fails or a hover shows nothing."""
    lang, po = catalog
    wrong = []
    for m in po:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want_fields = set(FIELD.findall(ids[-1]))
        want_tags = sorted(re.findall(r"<[^<>]+>", ids[-1]))
        for text in filter(None, strings):
            if set(FIELD.findall(text)) != want_fields:
                wrong.append(f"{m.id!r}: fields {sorted(FIELD.findall(text))}")
            if sorted(re.findall(r"<[^<>]+>", text)) != want_tags:
                wrong.append(f"{m.id!r}: tags")
    assert not wrong, f"{lang}:\n" + "\n".join(wrong[:40])


@pytest.fixture(scope="module")
def package_words() -> set[str]:
    """The package's own names and values, which a translation writes as the data does: its
    tables, columns and allowed values (datapackage.json), the address's parameters, and the
    commands a message names."""
    import json

    from sinorus import urlstate

    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]} | set(urlstate.KNOWN)
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            names.add(field["name"])
            names.update(str(v) for v in field.get("constraints", {}).get("enum", []))
    names |= {"pip", "install", "kaleido", "chromium", "apt", "get", "sha", "pandas", "gdp"}
    names |= {"and", "more", "total", "energy", "cooperation", "reports", "documents", "events"}
    names |= {"years", "un-comtrade", "table"}  # a formula's names; the family ids
    return {w for n in names for w in re.split(r"[^a-z]+", n.lower()) if len(w) > 2}


def test_no_english_word_is_left_in_a_translation(catalog, package_words):
    """A translation is in its language: Latin words only where they are proper names or
    abbreviations a reader reads as such (any all-capital one: CNPC, G8)."""
    allowed = {
        "IMF", "DOTS", "FOB", "CIF", "UN", "Comtrade", "CSV", "JSON", "PNG", "SVG", "XLSX",
        "ZIP", "Excel", "HS", "US", "USD", "GDP", "Plotly", "sinorus", "README", "URL", "Parquet",
        "API", "CC", "BY", "ISO", "WITS", "SITC", "TASS", "Xinhua", "VOA", "EAI", "BibTeX", "RIS",
        "CSL", "APA", "Markdown", "HTML", "iframe", "PDF", "GB", "MB", "KB", "Frictionless",
        "Data", "Package", "Voice", "of", "America", "East", "Asian", "Institute", "log",
        "Direction", "Trade", "Statistics", "WCO", "Streamlit", "DuckDB", "OEC", "Chromium",
        "Creative", "Commons", "Rev",
    }  # fmt: skip
    lang, po = catalog
    left = []
    for m in po:
        if not m.id:  # the catalog's header
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in filter(None, strings):
            # fields, tags, link targets, icons, URL parameters (`lang=`), code spans, quoted
            # examples and the package's own names (trade_total, sources.id) are not words
            bare = re.sub(
                r"%?\{[^{}]*\}|<[^<>]*>|\]\([^)]*\)|:material/[a-z_]+:|\b\w+=|`[^`]*`|'[^']*'"
                r"|\b[\w-]*[_.][\w.-]*\w\b",
                " ",
                text,
            )
            # the msgid's own names and values, written as in the data: kept
            msgid = m.id if isinstance(m.id, str) else m.id[0]
            kept = set(re.findall(r"[a-z]+", msgid)) & package_words
            words = set(re.findall(r"[A-Za-z]{3,}", bare)) - allowed - kept
            words = {w for w in words if not w.isupper()}
            if words:
                left.append(f"{m.id!r}: {sorted(words)}")
    assert not left, f"{lang}:\n" + "\n".join(left[:40])


def test_the_template_is_up_to_date(messages):
    """sinorus.pot holds exactly what the code and the package say now (`make messages`)."""
    with (ROOT / "sinorus" / "locale" / "sinorus.pot").open("rb") as f:
        pot = {i for m in read_po(f) if m.id for i in ((m.id,) if isinstance(m.id, str) else m.id)}
    assert set(messages) - pot == set(), "run make messages: new messages"
    assert pot - set(messages) == set(), "run make messages: messages gone from the code"


def _calls(tree):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "N_", "ngettext"}
        ):
            yield node


def test_every_message_is_one_literal():
    """Babel extracts only literal messages: an f-string or a variable passed to `_()` would be
    shown untranslated, silently. (`_(TABLE[key])` of N_-marked tables is the one exception.)"""
    wrong = []
    for path in sorted((ROOT / "sinorus").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree):
            for arg in call.args[: 2 if call.func.id == "ngettext" else 1]:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if call.func.id == "N_" and not literal:
                    wrong.append(f"{path.name}:{call.lineno}")
                elif isinstance(arg, ast.JoinedStr):
                    wrong.append(f"{path.name}:{call.lineno} (f-string)")
    assert not wrong, wrong


# --- numbers, money, percentages and dates by CLDR -------------------------------------------


@pytest.mark.parametrize(
    "lang, value, spec, expected",
    [
        ("en", 33.4, ",.1f", "US$33.4 bn"),
        ("en", 48.16, "~", "US$48.16 bn"),
        ("zh", 33.4, ",.1f", "334亿美元"),  # 亿 = 10^8: one decimal fewer
        ("zh", 48.16, "~", "481.6亿美元"),
        ("zh", 6, "g", "60亿美元"),
        ("zh", 1670, ",.0f", "1.67万亿美元"),  # 10^12 in 万亿
        ("ru", 33.4, ",.1f", "33,4\u00a0млрд долл. США"),
        ("ru", 1670, ",.0f", "1\u00a0670\u00a0млрд долл. США"),
    ],
)  # fmt: skip
def test_money_by_language(lang, value, spec, expected):
    with i18n.using(lang):
        assert i18n.money_bn(value, spec) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [("en", ("2.0%", "8 Aug 2007", "Aug 2007", "c. 1997")),
     ("zh", ("2.0%", "2007年8月8日", "2007年8月", "约1997年")),
     ("ru", ("2,0\u00a0%", "8 авг. 2007\u202fг.", "авг. 2007\u202fг.", "ок. 1997"))],
)  # fmt: skip
def test_percent_dates_and_derived_years_by_language(lang, expected):
    with i18n.using(lang):
        got = (
            i18n.percent(2.0),
            charts.date_label("2007-08-08"),
            charts.date_label("2007-08"),
            transform.year_label(1997, "derived"),
        )
    assert got == expected


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "nearly / at least US$40 bn"), ("zh", "近 / 至少400亿美元"),
     ("ru", "почти / не менее 40\u00a0млрд долл. США")],
)  # fmt: skip
def test_a_hedge_is_kept_in_each_language(lang, expected):
    """'already reached $40 billion' and 'nearly $40 billion': both hedges, in the reader's
    words, never rounded into certainty."""
    with i18n.using(lang):
        assert charts.qualified(40.0, "nearly / at_least") == expected


def test_english_needs_no_catalog_and_no_babel_formatting():
    """English is written as before the languages came: the bench's pages do no extra work."""
    assert i18n.current() == "en"
    assert i18n.number(1234.5, ",.1f") == "1,234.5"
    assert i18n.money_bn(1234.5, ",.1f") == "US$1,234.5 bn"
    assert i18n._("Trade over time") == "Trade over time"


@pytest.mark.parametrize(
    "header, expected",
    [("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("ru-RU,ru;q=0.9", "ru"), ("fr-FR,ru;q=0.5,zh;q=0.7", "zh"),
     ("de-DE,de;q=0.9", "en"), ("", "en"), (None, "en"), ("zh-Hant-TW", "zh"), ("en;q=x,ru", "ru")],
)  # fmt: skip
def test_the_browser_language_decides_a_first_visit(header, expected):
    assert i18n.from_accept_language(header) == expected


def test_the_pseudo_locale_keeps_fields_tags_and_links():
    text = i18n.pseudo("Trade in {year}: %{y:.1f}<br>[sources](https://example.org/a)")
    assert "{year}" in text and "%{y:.1f}" in text and "<br>" in text
    assert "](https://example.org/a)" in text
    assert "Trade" not in text and text.startswith("[") and len(text) > 60


def test_an_unknown_language_is_english(monkeypatch):
    monkeypatch.delenv("SINORUS_PSEUDO_LOCALE", raising=False)
    with i18n.using("en"):
        assert i18n.activate("fr") == "en"
        assert i18n.activate("xx") == "en"  # the pseudo-locale only where enabled
    monkeypatch.setenv("SINORUS_PSEUDO_LOCALE", "1")
    with i18n.using("en"):
        assert i18n.activate("xx") == "xx"
