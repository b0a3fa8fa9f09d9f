"""The page in 中文 and Русский, in a real browser: no English left but quotes and proper names
(by the script of each visible word), the page's `lang` attribute, no serious axe violation, the
browser's language on a first visit, and no label clipped by the pseudo-locale's longer words."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sinorus import i18n
from sinorus.load import load
from tests.browser import IDLE, streamlit_server

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

SECTIONS = ("trade", "composition", "data", "claims", "sources", "yours")
CHARTS = {"trade": 1, "composition": 4, "claims": 1}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TAGS = {"zh": "zh-Hans", "ru": "ru", "en": "en"}

#: Latin words a Chinese or Russian reader reads as they are: names, abbreviations, formats.
PROPER = {
    "IMF", "DOTS", "FOB", "CIF", "UN", "Comtrade", "CSV", "JSON", "PNG", "SVG", "XLSX", "ZIP",
    "Excel", "HS", "US", "USD", "GDP", "sinorus", "README", "URL", "Parquet", "API", "CC", "BY",
    "ISO", "VOA", "EAI", "BibTeX", "RIS", "CSL", "APA", "Markdown", "HTML", "iframe", "Plotly",
    "Frictionless", "English", "Pseudo", "MIT", "Streamlit", "WCO", "TASS", "Xinhua", "RIA",
    "Novosti", "Interfax", "Reuters", "Bloomberg", "GACC", "OEC", "WITS", "log", "CNPC",
}  # fmt: skip
#: Streamlit's own words inside its widgets (the uploader's drop zone), which an app cannot
#: translate: said in the README.
STREAMLIT_OWN = ("Drag and drop files here", "Drag and drop file here", "Browse files", "Limit")


@pytest.fixture(scope="module")
def server():
    with streamlit_server(env={"SINORUS_PSEUDO_LOCALE": "1"}) as url:
        yield url


@pytest.fixture(scope="module")
def quoted() -> list[str]:
    """Everything the data package says in its own words (quotes, titles, publishers, what a
    figure was reported as, sources' names and URLs): shown as written, in English."""
    ds = load()
    frames = {"sources.csv": ds.sources, "observations.csv": ds.observations}
    frames |= {"events.csv": ds.events, "reports.csv": ds.reports, "official.csv": ds.official}
    frames |= {"trade_makeup.csv": ds.trade_makeup}
    texts = set()
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            continue
        for column in frame.columns:
            if column in i18n.LABEL_COLUMNS.get(name, ()):  # written for readers: translated
                continue
            if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
                texts.update(str(v) for v in frame[column].dropna() if len(str(v)) > 3)
                if column == "publisher":  # named as far as its first comma
                    texts.update(str(v).split(",")[0].strip() for v in frame[column].dropna())
    return sorted(texts, key=len, reverse=True)


def open_page(browser, url: str, query: str, width: int = 1280, height: int = 900, locale=None):
    context = browser.new_context(
        viewport={"width": width, "height": height}, **({"locale": locale} if locale else {})
    )
    page = context.new_page()
    page.goto(f"{url}/?{query}")
    page.wait_for_selector(IDLE, timeout=60_000)
    view = dict(p.split("=") for p in query.split("&") if "=" in p).get("view", "trade")
    if CHARTS.get(view):
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {CHARTS[view]}",
            timeout=60_000,
        )
        page.wait_for_timeout(300)
    return context, page


def has_lang(page, lang: str) -> None:
    """The page's `lang` attribute names its language (set by the page's script once drawn)."""
    page.wait_for_function(
        f"document.documentElement.lang === {TAGS[lang]!r}", timeout=10_000, polling=100
    )


#: What a reader reads: the page's text as laid out, and the charts' SVG text; not the icons
#: (Material ligatures such as "download" are drawn as symbols) and not code blocks, which hold
#: text to copy as it is (a citation in its format, BibTeX, a command).
VISIBLE_TEXT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const skip = '[data-testid="stIconMaterial"], [data-testid="stCode"], svg';  // svg: below
  const hidden = [...main.querySelectorAll(skip)];
  const before = hidden.map(e => e.style.display);
  hidden.forEach(e => { e.style.display = 'none'; });
  const text = main.innerText;
  hidden.forEach((e, i) => { e.style.display = before[i]; });
  // Plotly keeps a label's text before it broke it into lines (<br>) in data-unformatted
  const said = t => (t.getAttribute('data-unformatted') || t.textContent).replace(/<[^>]*>/g, ' ');
  const svg = [...main.querySelectorAll('.main-svg text')].map(said);
  return text + '\\n' + svg.join('\\n');
}"""


def english_left(text: str, quoted: list[str]) -> list[str]:
    """The Latin-script words of `text` that are neither quoted from the package nor names."""
    text = text.replace("\u2060", "")  # the word joiners that keep a URL from being a link
    for quote in quoted:
        text = text.replace(quote, " ")
    for own in STREAMLIT_OWN:
        text = text.replace(own, " ")
    # a name glossed in the page's language: "Data（数据）", "Data (Данные)"
    text = re.sub(
        r"[A-Za-z][\w ]*\s?[（(][^()（）]*[\u4e00-\u9fff\u0400-\u04ff][^()（）]*[)）]", " ", text
    )
    # addresses, file names and codes (NY.GDP.MKTP.CD, sources.id, data/DOTS/DOTS_40.xlsx)
    text = re.sub(r"https?://\S+|\S*[\w-][./_][\w/.-]*\w", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)
    return sorted({w for w in words if w not in PROPER})


@pytest.mark.parametrize("view", SECTIONS)
@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_no_english_left_but_quotes_and_names(browser, server, quoted, lang, view):
    context, page = open_page(browser, server, f"lang={lang}&view={view}")
    try:
        has_lang(page, lang)
        text = page.evaluate(VISIBLE_TEXT)
        script = r"[\u4e00-\u9fff]" if lang == "zh" else r"[\u0400-\u04ff]"
        assert len(re.findall(script, text)) > 40, text[:500]  # the page is in that script
        assert english_left(text, quoted) == []
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("view", SECTIONS)
@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_no_serious_axe_violation_in_each_language(browser, server, lang, view):
    context, page = open_page(browser, server, f"lang={lang}&view={view}")
    try:
        page.wait_for_function(
            "document.getAnimations().filter(a => a.playState === 'running').length === 0",
            timeout=10_000,
        )
        result = axe_playwright.Axe().run(page, options={"runOnly": AXE_TAGS})
        bad = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == []
        has_lang(page, lang)
    finally:
        context.close()


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("ru-RU", "ru"), ("de-DE", "en")])
def test_a_first_visit_follows_the_browser_language(browser, server, locale, lang):
    """No `?lang=`: the browser's language decides; the address then says it (a link shared
    from there opens the same), English for a language not offered."""
    context, page = open_page(browser, server, "", locale=locale)
    try:
        has_lang(page, lang)
        page.wait_for_timeout(300)
        assert ("lang=" + lang in page.url) == (lang != "en")
    finally:
        context.close()


def test_the_switch_changes_the_language_and_the_address(browser, server):
    context, page = open_page(browser, server, "from=1997&to=2007")
    try:
        page.get_by_role("button", name="English").click()  # the menu names the language shown
        page.get_by_role("radio", name="Русский").click()
        page.wait_for_function("document.documentElement.lang === 'ru'", timeout=30_000)
        page.wait_for_selector(IDLE)
        assert "lang=ru" in page.url and "from=1997" in page.url  # the range is kept
        assert re.search(r"[\u0400-\u04ff]{4}", page.locator("h1").inner_text())
    finally:
        context.close()


CLIPPED = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const found = [];
  const sel = 'h1, h2, h3, label, button, p, [data-testid="stMetricLabel"], ' +
    '[data-testid="stMetricValue"], [data-testid="stMetricDelta"], [data-testid="stCaptionContainer"]';
  for (const el of main.querySelectorAll(sel)) {
    if (!el.offsetParent || !el.innerText.trim()) continue;
    const style = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1) found.push(el.innerText.slice(0, 60));
    for (const child of el.querySelectorAll('div, span, p')) {
      const cs = getComputedStyle(child);
      if (child.offsetParent && child.innerText.trim() && cs.textOverflow === 'ellipsis'
          && child.scrollWidth > child.clientWidth + 1) found.push(child.innerText.slice(0, 60));
    }
  }
  return {clipped: [...new Set(found)], overflow: main.scrollWidth - main.clientWidth};
}"""


@pytest.mark.parametrize("view", SECTIONS)
@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_no_label_is_clipped_in_the_pseudo_locale(browser, server, view, size):
    """Words about 40% longer and accented (`?lang=xx`): every label, heading, button and
    figure is whole, and the page never scrolls sideways."""
    context, page = open_page(browser, server, f"lang=xx&view={view}", *size)
    try:
        found = page.evaluate(CLIPPED)
        assert found["clipped"] == []
        assert found["overflow"] <= 1
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
