"""The reader's language: English, 中文 (Simplified Chinese) or Русский.

Every interface string is an English message in the code, marked `_("…")` where it is used (or
`N_("…")` where it is defined, in a table read at import, and `_()` where it is shown). Babel
extracts them (`make messages`) into `sinorus/locale/sinorus.pot`; each language's reviewed
catalog is `sinorus/locale/<lang>/LC_MESSAGES/sinorus.po`, compiled in memory the first time a
page asks for that language (no compiled file to go stale).

Messages with figures are templates with named fields (`_("{amount} in {year}").format(...)`),
never English pieces strung together, so each language orders its own words. Numbers, money,
percentages and dates are written by this module by the language's CLDR rules (Babel):
US$33.4 bn, 334亿美元, 33,4 млрд долл. США. English is written exactly as before this module
existed, without Babel.

The language is the running page's (a context variable, set once at the top of each run and of
each fragment's run), so the modules under the UI need no language argument; caches of anything
worded key on `current()`. What is never translated: data values and ids, CSV columns, and the
documents' and reports' own sentences (shown in their language, named).

`xx` is a pseudo-locale for tests (`SINORUS_PSEUDO_LOCALE=1`): every message longer and
accented ("[Ŧřàđé ôvéř ţîmé ·····]"), to find labels that clip or strings left untranslated.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import io
import os
import re
from datetime import date
from pathlib import Path

#: The languages offered, in the switch's order, each named in itself.
LANGUAGES = {"en": "English", "zh": "中文", "ru": "Русский"}
DEFAULT = "en"
#: The pseudo-locale: offered only where SINORUS_PSEUDO_LOCALE=1 (tests).
PSEUDO = "xx"
#: The languages' tags for the page's `lang` attribute and for Babel (CLDR).
TAGS = {"en": "en", "zh": "zh-Hans", "ru": "ru", PSEUDO: "en"}
_BABEL = {"en": "en", "zh": "zh_Hans_CN", "ru": "ru", PSEUDO: "en"}
#: Each language's name in English, for the quotes shown in their original language.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sinorus"

_lang: contextvars.ContextVar[str] = contextvars.ContextVar("sinorus_lang", default=DEFAULT)


def available() -> tuple[str, ...]:
    """The languages a page may be shown in (the pseudo-locale only where enabled)."""
    if os.environ.get("SINORUS_PSEUDO_LOCALE") == "1":
        return (*LANGUAGES, PSEUDO)
    return tuple(LANGUAGES)


def language_name(code: str) -> str:
    """A language named in itself ('中文'); the pseudo-locale pseudo-named."""
    return LANGUAGES.get(code) or pseudo("Pseudo")


def current() -> str:
    return _lang.get()


def activate(lang: str) -> str:
    """Make `lang` this run's language (unknown: English); the language set is returned."""
    lang = lang if lang in available() else DEFAULT
    _lang.set(lang)
    return lang


@contextlib.contextmanager
def using(lang: str):
    """`lang` for the block, then the language before it."""
    token = _lang.set(lang if lang in (*LANGUAGES, PSEUDO) else DEFAULT)
    try:
        yield
    finally:
        _lang.reset(token)


def from_accept_language(header: str | None) -> str:
    """The first offered language in a browser's preference ('zh-CN,zh;q=0.9' -> 'zh'),
    weights respected; English when none is offered."""
    ranked = []
    for i, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q=([^;\s]*)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().lower().split("-")[0]))
    for _q, _i, base in sorted(ranked):
        if base in LANGUAGES:
            return base
    return DEFAULT


# --- messages ----------------------------------------------------------------------------------


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; `_()` translates it where shown."""
    return message


def _(message: str) -> str:
    """`message` in the page's language."""
    lang = _lang.get()
    if lang == DEFAULT:
        return message
    return _translations(lang).gettext(message)


def data_label(text: str) -> str:
    """A label the data package writes for readers (an event's title, a section's name, an
    indicator's label; `make messages` extracts them from the package's tables): translated
    where the catalog has it, else as written (a reader's own data stays as they wrote it).
    Quotes and documents' sentences are never passed here."""
    lang = _lang.get()
    if lang == DEFAULT or not isinstance(text, str) or not text:
        return text
    return _translations(lang).gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, by the language's plural rules (Russian has
    three forms, Chinese one)."""
    lang = _lang.get()
    if lang == DEFAULT:
        return singular if n == 1 else plural
    return _translations(lang).ngettext(singular, plural, n)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog, compiled from its .po in memory once per process; a message
    missing there (or fuzzy) is shown in English."""
    if lang == PSEUDO:
        return _Pseudo()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=_BABEL[lang].split("_")[0], domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñôþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÔÞǪŔŠŢÛṼŴẊÝŽ",
)
#: What a pseudo-translation keeps as it is: format fields, Plotly's %{…}, HTML tags, entities,
#: Markdown link targets and Streamlit's :material/…: icons.
_KEEP = re.compile(r"(%?\{[^{}]*\}|<[^<>]*>|&[a-z]+;|\]\([^)]*\)|:material/[a-z_]+:)")


def pseudo(message: str) -> str:
    """'[Ŧřàđé ôvéř ţîmé ···]': accented, about 40% longer, bracketed; fields kept."""
    if not message.strip():
        return message
    parts = _KEEP.split(message)
    text = "".join(p if i % 2 else p.translate(_ACCENTS) for i, p in enumerate(parts))
    letters = sum(c.isalpha() for c in message)
    return f"[{text} {'·' * max(2, (letters * 2) // 5)}]"


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message):
        return pseudo(message)

    def ngettext(self, singular, plural, n):
        return pseudo(singular if n == 1 else plural)


# --- numbers, money, percentages, dates (CLDR, by Babel) ---------------------------------------

_SPEC = re.compile(r"(?P<sign>\+)?(?P<group>,)?(?:\.(?P<places>[0-9]+))?(?P<kind>[fg~])")


def _pattern(spec: str, shift: int = 0) -> tuple[str, float]:
    """A Python format spec (',.1f', '.0f', 'g', '+,.1f'; '~': up to two decimals) as a
    CLDR number pattern; `shift` moves the decimals (a value in 亿 has one fewer)."""
    m = _SPEC.fullmatch(spec)
    if m is None:
        raise ValueError(f"unsupported number format {spec!r}")
    kind = m["kind"]
    grouped = "#,##0" if (m["group"] or kind == "~") else "0"
    if kind == "f":
        places = max(int(m["places"] or 6) - shift, 0)
        frac = "." + "0" * places if places else ""
    else:  # g and ~: only the decimals the figure has
        places = 2 if kind == "~" else 6
        frac = "." + "#" * max(places - shift, 0) if places - shift > 0 else ""
    body = grouped + frac
    return (f"+{body};-{body}" if m["sign"] else body), 10.0**shift


def number(value: float, spec: str = ",.1f") -> str:
    """`value` as `format(value, spec)` writes it in English, by the language's rules elsewhere
    (33,4 in Russian; grouping by a non-breaking space)."""
    lang = _lang.get()
    if lang in (DEFAULT, PSEUDO):
        if spec == "~":
            return f"{value:,.2f}".rstrip("0").removesuffix(".")
        return format(value, spec)
    from babel.numbers import format_decimal

    pattern, _scale = _pattern(spec)
    return format_decimal(value, format=pattern, locale=_BABEL[lang], decimal_quantization=True)


def money_bn(value: float, spec: str = ",.1f") -> str:
    """A dollar amount in billions: 'US$33.4 bn', '334亿美元' (Chinese counts in 亿, 10^8),
    '33,4 млрд долл. США'."""
    lang = _lang.get()
    if lang in (DEFAULT, PSEUDO):
        return f"US${number(value, spec)} bn"
    if lang == "zh":
        if abs(value) >= 1000:  # 10^12: 万亿, to two decimals (1.67万亿美元)
            from babel.numbers import format_decimal

            return f"{format_decimal(value / 1000, format='#,##0.##', locale=_BABEL[lang])}万亿美元"
        return f"{_in_yi(value, spec)}亿美元"
    return f"{number(value, spec)}\u00a0млрд долл. США"


def money_bn_range(low: float, high: float, spec: str = ",.0f") -> str:
    """'US$1,300–2,200 bn', '13,000–22,000亿美元', '1300–2200 млрд долл. США'."""
    lang = _lang.get()
    if lang in (DEFAULT, PSEUDO):
        return f"US${number(low, spec)}–{number(high, spec)} bn"
    if lang == "zh":
        return f"{_in_yi(low, spec)}–{_in_yi(high, spec)}亿美元"
    return f"{number(low, spec)}–{number(high, spec)}\u00a0млрд долл. США"


def _in_yi(value: float, spec: str) -> str:
    """A value in billions written in 亿 (10^8), one decimal fewer than `spec` asks."""
    from babel.numbers import format_decimal

    pattern, scale = _pattern(spec, shift=1)
    return format_decimal(value * scale, format=pattern, locale=_BABEL["zh"])


def percent(value: float, spec: str = ".1f") -> str:
    """'2.0%' / '2,0 %' (Russian puts a non-breaking space before the sign)."""
    text = number(value, spec)
    return f"{text}\u00a0%" if _lang.get() == "ru" else f"{text}%"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def long_date(year: int, month: int, day: int) -> str:
    """'8 Aug 2007' in English; '2007年8月8日', '8 авг. 2007 г.' by CLDR."""
    lang = _lang.get()
    if lang in (DEFAULT, PSEUDO):
        return f"{day} {_MONTHS_EN[month - 1]} {year}"
    from babel.dates import format_date

    return format_date(date(year, month, day), format="medium", locale=_BABEL[lang])


def month_year(year: int, month: int) -> str:
    """'Aug 2007', '2007年8月', 'авг. 2007 г.'."""
    lang = _lang.get()
    if lang in (DEFAULT, PSEUDO):
        return f"{_MONTHS_EN[month - 1]} {year}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMM", date(year, month, 1), locale=_BABEL[lang])


def plotly_separators() -> str | None:
    """Plotly's decimal and thousands separators for the language (None: Plotly's own)."""
    lang = _lang.get()
    if lang == "ru":
        return ",\u00a0"
    return None


def html_lang() -> str:
    """The page's `lang` attribute."""
    return TAGS.get(_lang.get(), "en")


# --- extraction (make messages) ----------------------------------------------------------------

#: The data package's columns that hold labels written for readers (translated at display by
#: `data_label`); every other column is data, ids or the documents' own words.
LABEL_COLUMNS = {
    "events.csv": ("title",),
    "indicators.csv": ("label",),
    "trade_makeup.csv": ("item",),
    "hs_sections.csv": ("section_short", "section_title"),
}


def extract_labels(fileobj, keywords, comment_tags, options):
    """Babel's extraction method for the package's tables: each label of `LABEL_COLUMNS`, once,
    with the row it is first on."""
    import csv

    name = Path(getattr(fileobj, "name", "")).name
    if name == "datapackage.json":  # its tables' column descriptions, shown in the bundles
        yield from _descriptions(fileobj)
        return
    columns = LABEL_COLUMNS.get(name)
    if not columns:
        return
    text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="")
    seen = set()
    for row_number, row in enumerate(csv.DictReader(text), start=2):
        for column in columns:
            label = (row.get(column) or "").strip()
            if label and label not in seen:
                seen.add(label)
                yield row_number, None, label, [f"{name}: {column}"]


def _descriptions(fileobj):
    import json

    descriptor = json.load(io.TextIOWrapper(fileobj, encoding="utf-8"))
    seen = set()
    for resource in descriptor.get("resources", []):
        for field in resource.get("schema", {}).get("fields", []):
            text = (field.get("description") or "").strip()
            if text and text not in seen:
                seen.add(text)
                yield 1, None, text, [f"datapackage.json: {resource.get('name')}.{field['name']}"]
