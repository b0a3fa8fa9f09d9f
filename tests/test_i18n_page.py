"""The page in another language (issue 27): every section runs in 中文, Русский and the
pseudo-locale without an exception, and under the pseudo-locale (`xx`: every message accented,
"[Ţŕàđé ôṽéŕ ţîɱé ··]") no English word is left in what the page says (its title, headings,
sentences, captions, notices, metrics, buttons, toggles, expanders and other widgets' labels)
but proper names and the data's own words (quotes, publishers, titles, notes: shown as written).
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from sinorus import export, i18n, views
from sinorus.checks import normalise_text
from sinorus.load import DEFAULT_DATA_DIR, load
from sinorus.markup import md
from sinorus.urlstate import SECTIONS
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
FIXTURES = ROOT / "tests" / "fixtures"

#: Names and abbreviations a page in any language writes as they are.
PROPER = {
    "sinorus", "BibTeX", "Plotly", "Excel", "JSON", "IMF", "DOTS", "FOB", "CIF", "Comtrade", "UN",
    "GACC", "FCS", "HS", "ZIP", "CSV", "PNG", "SVG", "README", "datapackage", "json", "pandas",
    "curl", "Frictionless", "API", "GDP", "OECD", "VOA", "EAI", "TASS", "Xinhua", "English",
}  # fmt: skip
#: Names of more than one word, and codes, written as they are.
PROPER_NAMES = ["World Bank", "World Customs Organization", "NY.GDP.MKTP.CD", "UN Comtrade"]
_ROMAN = re.compile(r"[IVXL]+")  # HS sections' numbers (XVII)
#: Streamlit's Markdown marks that are not words: colours and icons.
_MARKS = re.compile(
    r":(?:orange-background|gray|grey|blue|red|green|violet|orange)\[|:material/[a-z_]+:"
)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")


def normal(text: str) -> str:
    """Text with its Markdown (escapes, marks, link targets, emphasis) and addresses taken out,
    whitespace collapsed, as what is left is compared."""
    text = _LINK_TARGET.sub("]", str(text).replace("\u2060", ""))
    text = normalise_text(_MARKS.sub(" ", text))
    text = _URL.sub(" ", text)
    text = re.sub(r"[*_`\[\]“”\"]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def as_written():
    return data_words()


def data_words() -> list[str]:
    """The data's own words the page shows as written (quotes, publishers, titles, licences,
    notes, the source texts' paragraphs), longest first."""
    ds = load(DEFAULT_DATA_DIR)
    texts = set()
    for frame in (ds.sources, ds.reports, ds.observations, ds.events, ds.trade_makeup):
        if frame is None:
            continue
        for column in frame.columns:
            if column in ("title", "item") and frame is not ds.sources:
                continue  # labels written for readers: translated (`i18n.data_label`)
            texts.update(str(v) for v in frame[column].dropna() if isinstance(v, str))
    for text in ds.source_texts.values():
        texts.update(re.split(r"\n\s*\n", text))
    texts.update(views.source_labels(ds).values())
    # the reports' addresses, named by their hosts
    texts.update(
        (urlsplit(u).hostname or "").removeprefix("www.") for u in ds.reports["url"].dropna()
    )
    texts.add(export.DASHBOARD_CITATION)  # the dashboard's citation, as it is cited
    found = {normal(t) for t in texts} | {normal(md(t)) for t in texts}
    return sorted((t for t in found if len(t) > 3), key=len, reverse=True)


def english_left(text: str, allowed: list[str]) -> list[str]:
    """The plain-ASCII words of four letters or more left in `text` once the data's own words
    and proper names are taken out (a pseudo-translated word is accented: never plain ASCII)."""
    rest = normal(text)
    for words in allowed:
        if words in rest:
            rest = rest.replace(words, " ")
    for name in PROPER_NAMES:
        rest = rest.replace(name, " ")
    return [
        w
        for w in re.findall(r"[^\W\d_]+", rest)
        if len(w) >= 4 and w.isascii() and w not in PROPER and not _ROMAN.fullmatch(w)
    ]


def run(lang: str, view: str, uploads=(), opened=True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if view != "trade":
        at.query_params["view"] = view
    if opened:  # every lazy part opened as a reader would: popovers, tables, the events
        for slug in views.VIEWS:
            at.session_state[f"reuse-{slug}"] = True
            at.session_state[f"table-{slug}"] = True
            at.session_state[f"share-{slug}"] = True
        at.session_state["events-open"] = True
        at.session_state["later-reports-open"] = True
    at.run()
    if uploads:
        files = [(n, (FIXTURES / n).read_bytes(), "text/csv") for n in uploads]
        at.file_uploader[0].set_value(files).run()
    return at


def shown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(kind, text) of everything the page says in words, main area and sidebar."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error"):
        out += [(kind, e.value) for e in at.get(kind)]
    for m in at.metric:
        out += [("metric label", m.label), ("metric delta", m.proto.delta), ("help", m.help)]
    for kind in ("button", "toggle", "slider", "selectbox", "radio", "file_uploader"):
        for w in at.get(kind):
            out += [(f"{kind} label", w.label), (f"{kind} help", w.help or "")]
    out += [("expander", e.label) for e in at.expander]
    out += [("tab", t.label) for t in at.tabs]
    for e in at.get("download_button"):
        out += [("download label", e.proto.label), ("download help", e.proto.help)]
    out += [("popover", e.proto.popover.label) for e in at.get("popover")]
    for table in at.table:  # the charts' tables
        out += [("table header", str(c)) for c in table.value.columns]
    for frame in at.dataframe:  # the headers the page gives the columns (its column config)
        config = json.loads(frame.proto.columns or "{}")
        out += [("table header", c.get("label") or "") for c in config.values()]
    return [(k, t) for k, t in out if t]


@pytest.fixture
def pseudo(monkeypatch):
    monkeypatch.setenv("SINORUS_PSEUDO_LOCALE", "1")


def no_english_left(at: AppTest, allowed: list[str]) -> None:
    """No English word left on the page but the allowed (names, the package's own words)."""
    assert not leftovers(at, allowed)


def leftovers(at: AppTest, allowed: list[str]) -> dict:
    """(kind, the text's start) -> the English words left in it."""
    return {(k, t[:90]): w for k, t in shown_texts(at) if (w := english_left(t, allowed))}


@pytest.mark.parametrize("view", SECTIONS)
def test_no_english_left_under_the_pseudo_locale(pseudo, as_written, view):
    at = run("xx", view)
    assert not at.exception
    assert at.session_state["lang"] == "xx"
    kinds = {k for k, _t in shown_texts(at)}
    assert {"title", "slider label", "metric label", "caption"} <= kinds  # all looked at
    no_english_left(at, as_written)


def test_no_english_left_in_your_data_with_uploads(pseudo, as_written):
    name = "comtrade-plus-synthetic.csv"
    at = run("xx", "yours", uploads=[name])
    assert not at.exception
    assert "selectbox label" in {k for k, _t in shown_texts(at)}  # the commodity choices
    no_english_left(at, [normal(md(name)), name, *as_written])


def test_a_refused_upload_is_explained_in_the_language(pseudo, as_written):
    """The problem lines stay English (diagnostics, FILE:ROW: FIELD: as the command line prints
    them); what says so is in the page's language."""
    name = "comtrade-plus-synthetic-broken.csv"
    at = run("xx", "yours", uploads=[name])
    assert not at.exception
    (error,) = at.main.error
    head, listed = error.value.split("\n\n", 1)
    assert not english_left(head, [normal(md(name)), *as_written])
    assert md(f"{name}:5: refYear: 1850 is out of range") in listed
    (note,) = at.sidebar.error
    assert not english_left(note.value, [normal(md(name)), *as_written])


def test_headline_under_the_pseudo_locale(pseudo):
    at = run("xx", "trade", opened=False)
    labels = [m.label for m in at.metric]
    assert len(labels) == 3 and all(label.startswith("[") for label in labels)
    assert "2007" in labels[1]  # the year filled into the translated template
    growth = [c.value for c in at.caption if "×" in c.value]
    assert growth and growth[0].startswith("[") and "6.7" in growth[0]


@pytest.mark.parametrize("lang", ["zh", "ru"])
@pytest.mark.parametrize("view", SECTIONS)
def test_every_section_runs_in_chinese_and_russian(lang, view):
    at = run(lang, view)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["lang"] == lang


@pytest.mark.parametrize("lang", ["zh", "ru"])
@pytest.mark.parametrize(
    "name", ["comtrade-plus-synthetic.csv", "comtrade-plus-synthetic-broken.csv"]
)
def test_your_data_runs_in_chinese_and_russian(lang, name):
    at = run(lang, "yours", uploads=[name])
    assert not at.exception
    if "broken" in name:  # said in the sidebar and, with every problem, on the page
        assert len(at.sidebar.error) == 1 and len(at.main.error) == 1
    else:
        assert not at.error and len(at.get("plotly_chart")) >= 2


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_the_headline_writes_numbers_by_the_language(lang):
    at = run(lang, "trade", opened=False)
    values = [m.value for m in at.metric]
    with i18n.using(lang):
        assert values[1] == i18n.money_bn(48.1)  # the record's 2007: '481亿美元', '48,1 млрд …'
    growth = [c.value for c in at.caption if "×" in c.value][0]
    assert ("6,7" if lang == "ru" else "6.7") in growth


def test_english_page_is_unchanged_by_the_language_switch():
    at = run("en", "trade", opened=False)
    assert [m.label for m in at.metric] == [
        "Documents, c. 2007",
        "Official record, 2007",
        "Latest report, 2007",
    ]
    assert [t.label for t in at.toggle] == [
        "Log scale",
        "Official record",
        "Later reports",
        "Show events",
    ]


@pytest.mark.parametrize("lang", ["en", "zh", "ru", "xx"])
def test_the_url_notice_script_is_worded_in_the_language(pseudo, lang):
    from sinorus.ui import state

    with i18n.using(lang):
        script = state.unread_url_script()
    assert f'toLocaleString("{i18n.TAGS[lang]}")' in script
    assert (
        "{count}" in script and "{characters}" in script and "@" not in script.split("<script>")[1]
    )
    if lang == "en":
        assert script == state._UNREAD_URL
    if lang == "xx":
        assert "This address has" not in script


@pytest.mark.parametrize("lang", ["zh", "ru", "xx"])
def test_the_chart_alone_in_the_language(pseudo, as_written, lang):
    """`?embed=CHART`: runs in each language; the source line's label and the link back are
    worded in it (the catalogs of 中文 and Русский are filled later: the pseudo-locale shows
    what goes through them)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["embed"] = "trade-total"
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception and not at.error
    (line,) = [m.value for m in at.markdown if "](" in m.value and "#trade-total)" in m.value]
    if lang == "xx":
        assert line.startswith("[Šôûŕçé: ") and "Open in sinorus" not in line


@pytest.mark.parametrize("lang", ["zh", "ru", "xx"])
def test_an_unknown_chart_alone_in_the_language(pseudo, as_written, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["embed"] = "no-such-chart"
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    (error,) = at.error
    if lang == "xx":
        # the address's chart name and the charts' ids are the reader's and the code's
        assert not english_left(re.sub(r"`[^`]*`|'[^']*'", " ", error.value), as_written)
