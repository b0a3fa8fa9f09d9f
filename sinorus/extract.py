"""`sinorus extract`: find China–Russia trade figures in plain-text documents, by readable rules.

The pipeline, for each document:

1. find the document's date (`--date` wins; else a "Date:" line; else the first full date);
2. split the text into sentences (a small splitter: line breaks, then `.!?` before a capital,
   with a list of abbreviations that do not end a sentence);
3. find every money amount with a scale word (`AMOUNT`): "$940 million", "US$6 billion",
   "13.3 billion U.S. dollars", "$244.81bn", "$98-115 billion", "1.74 trillion yuan
   ($237 billion)" (the bracketed equivalent is noted, not extracted), "RUB 127 billion";
   a bare "200 billion" takes the currency of the amount before it in the same sentence;
4. for each amount, read the words around it: the *left window* runs from the previous amount
   (or the sentence start) to the amount, the *clause* is the part of the left window after
   its last comma, and the *right gap* is the text up to the next amount or the sentence end.
   Each rule below says which of these it reads:
   - `EXCLUDE_RULES`: not trade (investment, deals, arms, budget, surpluses, increments
     "by $35 billion", another country pair, the world total) -> another `indicator`,
     left out unless `--all`;
   - `QUALIFIER_RULES`: the hedge right before the amount (about, nearly, over, at_least);
   - `TARGET_CUES` / `FORECAST_CUES` / `PERIOD_RULES`: the kind;
   - `FLOW_RULES`: total, China's exports, China's imports, border trade;
   - years: stated ("in 2006", "for 2015"), relative ("last year", "over the past ten
     years", "a year earlier" = the year before the figure before), or carried from the
     context; every year not written as digits next to the figure is marked `year_resolved`
     with a note saying how it was read; a figure with a horizon and no year ("in the next
     three or four years", "later", "ahead of schedule") gets no year and indicator `horizon`;
   - context: a figure whose sentence does not name Russia (or "bilateral", "the two
     countries"), after a figure of another pair or of world trade, continues that figure.

Offsets are character offsets into the original file (Markdown escapes such as `\\$` are
matched in place, not removed first), and `quote` is the sentence as `sinorus.load` compares
quotes (escapes removed, whitespace collapsed).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path

from sinorus.load import normalise_text

# --- amounts -----------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
AMOUNT = re.compile(
    rf"""
    (?P<pre>(?:U\.?S\.?\s?)?\\?\$|USD\s?|RMB\s?|CNY\s?|¥\s?|RUB\s?|₽\s?)?   # currency before
    (?<![\d.,])(?!(?:19|20)\d\d\s+to\s)(?P<num>{_NUM})                              # not "in 2023 to $240bn"
    (?:\s?(?:-|–|to)\s?(?:\\?\$)?(?P<high>{_NUM}))?                     # a range: $98-115
    [\s-]?(?P<scale>trillion|billion|million|trn|tln|tn|bln|bn|mln|mn)\b  # scale word
    (?:[\s-]+(?P<post>(?:U\.S\.|US)\s+dollars?|dollars?|yuan|renminbi|RMB|roubles?|rubles?))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
SCALE = {"trillion": 1000.0, "trn": 1000.0, "tln": 1000.0, "tn": 1000.0, "billion": 1.0}
SCALE |= {"bln": 1.0, "bn": 1.0, "million": 0.001, "mln": 0.001, "mn": 0.001}


def _currency(word: str | None) -> str | None:
    """USD / CNY / RUB from the currency word or sign, None if there is none."""
    if not word:
        return None
    w = word.lower().replace("\\", "").strip()
    if "$" in w or "dollar" in w or w == "usd":
        return "USD"
    if w in ("rmb", "cny", "¥", "yuan", "renminbi"):
        return "CNY"
    if w in ("rub", "₽") or w.startswith(("rouble", "ruble")):
        return "RUB"
    return None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@dataclass
class _Amount:
    start: int
    end: int
    value: float
    high: float | None
    currency: str | None
    text: str
    equivalent: str = ""
    is_equivalent: bool = False
    tail: int = 0  # where the words after the amount start (after a bracketed equivalent)

    def __post_init__(self):
        self.tail = self.tail or self.end


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[_Amount]:
    """Every amount with a scale word between `start` and `end`, values in billions."""
    end = len(text) if end is None else end
    found: list[_Amount] = []
    for m in AMOUNT.finditer(text, start, end):
        before = text[max(0, m.start() - 2) : m.start()].rjust(2)
        if before[1].isalnum() or before[1] in "/_" or (before[1] == "-" and before[0].isalnum()):
            continue  # part of a word or an address: ".../trade-to-hit-usd110bn"
        scale = SCALE[m["scale"].lower()]
        currency = _currency(m["pre"]) or _currency(m["post"])
        high = _number(m["high"]) * scale if m["high"] else None
        found.append(
            _Amount(m.start(), m.end(), round(_number(m["num"]) * scale, 6), high, currency, m[0])
        )
    # A bare amount ("... and to 200 billion by 2020") takes the currency before it.
    for prev, cur in zip(found, found[1:], strict=False):
        if cur.currency is None and prev.currency is not None:
            follows = text[cur.end : cur.end + 20].lower()
            if not re.match(r"\s*(tons?|tonnes|people|barrels|cubic|square|visitors)", follows):
                cur.currency = prev.currency
    # "between US$60 billion and US$80 billion": one range, like "$60-80 billion".
    merged: list[_Amount] = []
    for cur in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.high is None
            and cur.high is None
            and re.fullmatch(r"\s+and\s+", text[prev.end : cur.start])
            and re.search(r"\bbetween\s+$", text[max(0, prev.start - 12) : prev.start], re.I)
            and cur.currency in (None, prev.currency)
        ):
            prev.high, prev.end, prev.tail = cur.value, cur.end, cur.end
            prev.text = text[prev.start : cur.end]
            continue
        merged.append(cur)
    found = merged
    # "122 billion yuan ($17.32 billion)": the bracketed amount is an equivalent, not a figure.
    for prev, cur in zip(found, found[1:], strict=False):
        between = text[prev.end : cur.start]
        if re.fullmatch(r"\s*\(\s*(?:[a-z]+\s+)?", between) and text[
            cur.end : cur.end + 3
        ].lstrip().startswith(")"):
            cur.is_equivalent = True
            prev.tail = text.index(")", cur.end) + 1
            qual = between.strip(" (")
            prev.equivalent = f"{qual + ' ' if qual else ''}{cur.value:g} {cur.currency} bn".strip()
    return [a for a in found if a.currency is not None]


# --- sentences ---------------------------------------------------------------------------------

ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "no", "st", "co", "ltd", "inc", "vs", "e.g",
    "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences as (start, end) offsets; a blank line starts a new paragraph."""
    out: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+|\n\s*\n", text):
        if not line[0].strip():
            paragraph += 1
            continue
        start = line.start()
        for m in _SENTENCE_END.finditer(text, line.start(), line.end()):
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            if word and word[1].lower().rstrip(".") in ABBREVIATIONS:
                continue  # "U.S. President", "Oct. 7": not the end of a sentence
            out.append(Sentence(start, m.start() + 1 + len(m[0].rstrip()) - 1, paragraph))
            start = m.end()
        if text[start : line.end()].strip():
            out.append(Sentence(start, line.end(), paragraph))
    for s in out:  # trim the whitespace at the edges
        while s.end > s.start and text[s.end - 1].isspace():
            s.end -= 1
        while s.start < s.end and text[s.start].isspace():
            s.start += 1
    return out


# --- dates and years ---------------------------------------------------------------------------

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for m in names
}  # fmt: skip
MONTH_NAMES = [
    "",
    *"January February March April May June July August September October November December".split(),
]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DATE_FORMS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: date(int(m[1]), int(m[2]), int(m[3]))),
    (
        re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b", re.I),
        lambda m: date(int(m[3]), MONTHS[m[2].lower().rstrip(".")], int(m[1])),
    ),
    (
        re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I),
        lambda m: date(int(m[3]), MONTHS[m[1].lower().rstrip(".")], int(m[2])),
    ),
    (
        re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.I),
        lambda m: date(int(m[2]), MONTHS[m[1].lower().rstrip(".")], 1),
    ),
]
_DATE_LINE = re.compile(
    r"^[ \t*_]*(?:Date(?:\s+of\s+Publication)?|Published|Publication date)[ \t*_]*:[ \t]*(.+)$",
    re.I | re.M,
)


def _parse_date(text: str) -> date | None:
    hits = []
    for pattern, make in _DATE_FORMS:
        for m in pattern.finditer(text):
            try:
                hits.append((m.start(), make(m)))
            except (ValueError, KeyError):
                continue
            break
    return min(hits)[1] if hits else None


def find_document_date(text: str) -> date | None:
    """The date on a "Date:" / "Date of Publication:" line, else the first full date."""
    for m in _DATE_LINE.finditer(text):
        found = _parse_date(m[1])
        if found:
            return found
    return _parse_date(text[:3000])


_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_WORD_NUMBERS |= {"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_N = r"(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
# Relative year phrases and how many years they are from the document's year.
RELATIVE_YEARS = [
    (re.compile(r"\b(?:last year|the previous year|the year before|a year earlier)\b", re.I), -1),
    (re.compile(r"\b(?:this year|the current year|(?:the )?(?:whole|full) year|for the year|the end of (?:the|this) year|year-end)\b", re.I), 0),
    (re.compile(r"\b(?:next year|the coming year)\b", re.I), 1),
    (re.compile(rf"\b{_N} years ago\b", re.I), "ago"),
]  # fmt: skip
# "Annual trade has grown over the past ten years from about $7 billion to nearly $40 billion."
SPAN = re.compile(rf"\b(?:over|in|during) the (?:past|last) (?:{_N} years|(decade))\b", re.I)
# A relative phrase that names a comparison base, not the figure's year.
_COMPARISON = re.compile(r"\b(?:same period(?: of)?|compared (?:with|to)|than|on|from)\s*$", re.I)


def _n(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_NUMBERS[word.lower()]


@dataclass
class _YearRef:
    start: int
    end: int
    year: int | None
    relative: bool
    words: str


def year_refs(text: str, start: int, end: int, doc_date: date | None) -> list[_YearRef]:
    """Years written as digits, and relative phrases resolved against the document date."""
    refs = [
        _YearRef(m.start(), m.end(), int(m[1]), False, m[0])
        for m in _YEAR.finditer(text, start, end)
    ]
    for pattern, delta in RELATIVE_YEARS:
        for m in pattern.finditer(text, start, end):
            if _COMPARISON.search(text[max(start, m.start() - 25) : m.start()]):
                continue
            shift = -_n(m[1]) if delta == "ago" else delta
            year = doc_date.year + shift if doc_date else None
            refs.append(_YearRef(m.start(), m.end(), year, True, m[0]))
    return sorted(refs, key=lambda r: r.start)


# --- rules read around each amount --------------------------------------------------------------

TRADE_WORDS = re.compile(
    r"\b(?:trade|turnover|exports?|imports?|exported|imported|bought|sold|commerce|goods)\b", re.I
)
# Not trade: (indicator, pattern). Read in the clause before the amount and the right gap.
EXCLUDE_RULES = [
    ("arms", r"\b(?:arms|armaments?|weapons?|weaponry|military)\b"),
    ("investment", r"\b(?:invest\w*|fund)\b"),
    ("deals", r"\b(?:deals?|contracts?|agreements?|signed)\b"),
    ("budget", r"\b(?:budget|tax(?:es)?|revenues?|receipts)\b"),
    ("balance", r"\b(?:surplus|deficit)\b"),
    ("gdp", r"\b(?:GDP|gross domestic product|economy)\b"),
    ("spending", r"\b(?:spent|spending)\b"),
    # "foreign trade turnover with China" is the pair's trade, not a country's world trade
    (
        "world_trade",
        r"\b(?:foreign trade(?!\s+(?:turnover\s+|volume\s+)?with\s+(?:China|Russia))|global trade|total trade|overall trade|with the world)\b",
    ),
]
_OTHER = (
    r"(?:the\s+)?(?:United States|U\.S\.A?|USA?|America|EU|European Union|Japan|India|Germany|ASEAN|Kazakhstan"
    r"|Ukraine|Saudi Arabia|Brazil|(?:South\s+)?Korea|Australia|Vietnam|Turkey|Iran|Mongolia|Belarus|Britain|UK"
    r"|France|Italy|Canada|Mexico|Africa|Latin America|the Middle East)"
)
# Another country pair, read from the start of the sentence to the amount.
OTHER_PAIR = re.compile(
    rf"\b(?:between\s+(?:China|Russia|Beijing|Moscow)\s+and\s+{_OTHER}\b|(?:trade|exports?|imports?)\s+(?:with|to|from)\s+{_OTHER}\b"
    rf"|(?:China|Sino|Chinese)[–-](?:US|U\.S\.|American|EU|Japan|India|ASEAN|Africa|Brazil)\b|(?:US|U\.S\.|EU)[–-]Chin)"
)  # fmt: skip
# Names the China–Russia pair. A figure whose sentence does not, right after a figure of another
# pair or of a country's world trade, belongs to that figure ("... totaled $3.07 trillion.
# Exports fell to $1.73 trillion ...").
PARTNER = re.compile(
    r"\b(?:Russia\w*|Moscow|Kremlin|bilateral|two countries|both countries|two sides|two neighbou?rs|Sino-Russian)\b",
    re.I,
)
# A horizon that is not a calendar year: a figure with one takes no year from its context.
HORIZON = re.compile(
    r"\b(?:in\s+the\s+(?:next|coming)\s+(?:[\w-]+\s+){0,3}years?|in\s+(?:the\s+)?coming\s+years|in\s+the\s+near\s+future"
    r"|later|one day|ahead of schedule|in\s+the\s+(?:long|medium)\s+term)\b",
    re.I,
)
# "Under targets set by the leaders, trade should reach $60 billion by 2010": a goal, not a forecast.
TARGET_FRAME = re.compile(
    r"\b(?:under|according to|in line with|as part of|to meet|to attain)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}(?:targets?|goals?|plans?)\b",
    re.I,
)
# A comparison base: "rose to $29.61 billion, compared with 2009 ($17.496 billion)".
COMPARISON_BASE = re.compile(
    r"\b(?:compared (?:with|to)|than|against|from)\s+(?:(?:19|20)\d\d\s*)?\(?\s*(?:\w+\s+)?$", re.I
)
# "a year earlier" is a year before the figure the text is talking about, not before its date.
ANAPHORIC_YEAR = re.compile(r"\b(?:a year earlier|the previous year|the year before)\b", re.I)

# A change, not a level: "or by $35 billion", "beating projections by some $20 billion".
INCREMENT = re.compile(
    r"\b(?:by|up|down|increase of|rise of|growth of)\s+(?:(?:some|about|around|almost|nearly|more than|over|roughly)\s+)?$",
    re.I,
)

# The hedge just before the amount: (qualifier, pattern), first match wins.
_FILLER = r"(?:\s+(?:(?:a|the)\s+(?:new\s+)?(?:record(?:\s+high)?|level|mark|total|figure|sum)\s+of))?(?:\s+the)?\s*$"
QUALIFIER_RULES = [
    ("at_least", r"\b(?:at least|not less than|already (?:reached|hit)|topped|tops|top|topping)"),
    ("over", r"\b(?:more than|over|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|above|in excess of|pass(?:ed|es|ing)?|beyond)"),
    ("nearly", r"\b(?:nearly|almost|close to|just under|just shy of|nearing)"),
    ("about", r"\b(?:about|around|approximately|roughly|some|an estimated|circa)"),
]  # fmt: skip
QUALIFIER_RULES = [(q, re.compile(p + _FILLER, re.I)) for q, p in QUALIFIER_RULES]

# A goal; read in the left window, or right after the amount ("the $100-billion target for 2015").
TARGET_CUES = re.compile(
    r"\b(?:aims?|aimed|aiming|goals?|targets?|targeted|plans?|planned|pledged?|objective)\b", re.I
)
# An expectation.
FORECAST_CUES = re.compile(
    r"\b(?:expects?|expected|expecting|will|would|could|(?-i:may)|might|should|likely|forecasts?|predicts?|predicted"
    r"|projected|looks set|set to|on track|hopes?|estimates?|anticipated?)\b",
    re.I,
)  # fmt: skip
# Part of a year; read in the left window and the right gap. The group is the period's name.
_ORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|\d+)"
PERIOD_RULES = [
    re.compile(rf"\b(first (?:{_ORD} )?(?:months?|quarters?|half))\b", re.I),
    re.compile(rf"\b((?:{_ORD}|\d+) months)\b", re.I),
    re.compile(r"\b((?:first|second|third|fourth) quarter|H1|half[- ]year)\b", re.I),
    re.compile(rf"\b((?:between|from)\s+{_MONTH}\s+(?:and|to|through)\s+{_MONTH})", re.I),
    re.compile(rf"\b({_MONTH}\s*[-–]\s*{_MONTH})\b", re.I),
    re.compile(rf"\b(?:in|during)\s+({_MONTH})(?:\s+alone)?\b(?!\s*[-–])", re.I),
    re.compile(rf"\b({_MONTH}) alone\b", re.I),
    re.compile(r"\b(last month|this month|so far this year|year to date)\b", re.I),
]

# Direction of the trade, nearest cue before the amount wins: (flow, pattern).
FLOW_RULES = [
    ("china_exports", r"\bexports?\s+(?:from China\s+)?to (?:Russia|the Russian Federation)\b"),
    ("china_exports", r"\b(?:Chinese|China's) exports\b|\bexports from China\b|\bChina exported\b|\bexported\b"),
    ("china_exports", r"\b(?:Russia's )?imports from China\b|\bimports of Chinese\b|\bshipments to Russia\b"),
    ("china_imports", r"\b(?:China's|Chinese) imports\b|\bimports (?:from Russia|of Russian|into China)\b"),
    ("china_imports", r"\b(?:Russia's|Russian) exports\b|\bexports from Russia\b|\bRussian (?:goods|products)\b"),
    ("china_imports", r"\bChina (?:bought|purchased|imported)\b|\bbought from Russia\b"),
    ("border", r"\b(?:cross-)?border (?:trade|province|region|city|cities|ports?|crossings?)\b"),
]  # fmt: skip
FLOW_RULES = [(f, re.compile(p, re.I)) for f, p in FLOW_RULES]


# --- the candidates ----------------------------------------------------------------------------


@dataclass
class Candidate:
    source: str
    offset: int
    year: int | None
    year_resolved: bool
    year_note: str
    value: float
    value_high: float | None
    unit: str
    kind: str
    qualifier: str
    reported_as: str
    flow: str
    period: str = ""
    equivalent: str = ""
    indicator: str = "trade"  # anything else names why it is not a trade figure
    quote: str = ""
    end: int = field(default=0, repr=False)


COLUMNS = [f.name for f in fields(Candidate) if f.name != "end"]


def _last_match(pattern, window: str):
    found = None
    for found in pattern.finditer(window):  # noqa: B007
        pass
    return found


def _nearest_before(patterns, window: str):
    """(label, match) of the cue ending closest to the end of `window`."""
    best = None
    for label, pattern in patterns:
        for m in pattern.finditer(window):
            if best is None or m.end() > best[1].end():
                best = (label, m)
    return best


def extract(
    text: str, *, source: str = "", date: date | None = None, include_excluded: bool = False
) -> list[Candidate]:
    """Trade figures in `text`; with `include_excluded`, the non-trade figures too."""
    doc_date = date or find_document_date(text)
    out: list[Candidate] = []
    sentences = split_sentences(text)
    last: Candidate | None = None  # the previous trade figure of the document
    last_any: Candidate | None = None  # the previous figure, trade or not
    for i, sent in enumerate(sentences):
        amounts = [a for a in find_amounts(text, sent.start, sent.end) if not a.is_equivalent]
        if not amounts:
            continue
        # about trade: a trade word in the sentence, in one of the two before it or the one after
        near = sentences[max(0, i - 2) : i + 2]
        about_trade = any(TRADE_WORDS.search(text[s.start : s.end]) for s in near)
        refs = year_refs(text, sent.start, sent.end, doc_date)
        span = SPAN.search(text, sent.start, sent.end)
        prev_amount: Candidate | None = None
        prev_main: Candidate | None = None  # the previous amount that is not a comparison base
        sentence_text = text[sent.start : sent.end]
        for j, amt in enumerate(amounts):
            left_start = amounts[j - 1].end if j else sent.start
            right_end = amounts[j + 1].start if j + 1 < len(amounts) else sent.end
            left = text[left_start : amt.start]
            clause = re.split(r"[,;:(]|\bwhile\b", left)[-1]
            right = text[amt.tail : right_end]
            # the words after the amount up to a clause break; "... by 2010 and increasing
            # China's investment in Russia to US$12 billion": "investment" is the next figure's
            right_head = re.split(r"[,;.]|\b(?:and|while|but|whereas)\b", right)[0][:60]
            sentence_left = text[sent.start : amt.start]

            # 1. Is it trade?
            indicator = "trade"
            if INCREMENT.search(clause):
                indicator = "change"
            elif OTHER_PAIR.search(sentence_left) or OTHER_PAIR.search(right_head):
                indicator = "other_pair"
            else:
                for name, pattern in EXCLUDE_RULES:
                    if re.search(pattern, clause + " " + right_head, re.I):
                        indicator = name
                        break
            if (
                indicator == "trade"
                and prev_amount is not None
                and prev_amount.indicator != "trade"
                and re.match(r"\s*(?:including|of which)\b", clause, re.I)
            ):
                indicator = prev_amount.indicator  # a part of a non-trade figure
            context = last_any.indicator if last_any is not None else ""
            if indicator == "trade" and context in ("world_trade", "other_pair"):
                # no China–Russia words since a figure of another pair or of world trade:
                # a part or a continuation of that figure ("... including $1.73 trillion of
                # exports (+14.2%) and $1.34 trillion of imports")
                since = left if prev_amount is not None else sentence_text
                if not PARTNER.search(since):
                    indicator = context
            if indicator == "trade" and not about_trade:
                indicator = "not_trade"

            # 2. The qualifier and the words as written.
            qualifier, q_start = "exact", amt.start
            for name, pattern in QUALIFIER_RULES:
                m = pattern.search(clause)
                if m:
                    qualifier, q_start = name, left_start + len(left) - len(clause) + m.start()
                    break
            names_goal = re.match(r"[\s-]*(?:billion\s+)?(?:target|goal)\b", text[amt.end :], re.I)
            if amt.high is not None or names_goal:
                # a range states its own bounds; in "close to the $100-billion target" the hedge
                # is about another figure, the target itself is named exactly
                qualifier, q_start = "exact", amt.start

            # 3. The kind.
            cue = _nearest_before([("target", TARGET_CUES), ("forecast", FORECAST_CUES)], left)
            kind = cue[0] if cue else None
            if (
                kind == "forecast"
                and cue[1][0].lower() in ("should", "will", "would")
                and TARGET_FRAME.search(sentence_left)
            ):
                kind = "target"  # "under the targets ..., trade should reach"
            if names_goal:
                kind = "target"
            period = ""
            for pattern in PERIOD_RULES:
                m = pattern.search(left) or pattern.search(right)
                if m:
                    period = m[1]
                    break
            if kind is None and period:
                kind = "partial"
            if (
                kind is None and prev_main is not None
            ):  # "... to 100 billion by 2015 and to 200 billion by 2020"
                kind, period = prev_main.kind, prev_main.period
            if period.lower() == "last month" and doc_date:
                month = (doc_date.month - 2) % 12 + 1
                period = MONTH_NAMES[month]

            # 4. The year.
            year, resolved, note = None, False, ""
            right_ref = next((r for r in refs if amt.tail <= r.start <= right_end), None)
            across = False  # the year after the amount is past a comma or an "and"
            if right_ref is not None:
                gap = text[amt.tail : right_ref.start]
                if re.search(r"[\d%;]", gap):
                    right_ref = None
                elif not right_ref.relative and not re.search(
                    r"\b(?:in|for|by|before|of|during|to)\s+(?:the\s+)?$", gap, re.I
                ):
                    right_ref = None
                elif len(gap) > 30 and (
                    right_ref.relative
                    or len(gap) > 80
                    or re.search(r"\b(?:from|than|compared|since|against)\b", gap, re.I)
                ):
                    # further on in the clause only a stated year, with no comparison between:
                    # "the $200 billion target we've set for ourselves for 2024"
                    right_ref = None
                else:
                    across = bool(re.search(r"[,:]|\band\b", gap)) or len(gap) > 30
            left_refs = [r for r in refs if left_start <= r.start and r.end <= amt.start]
            clause_start = left_start + len(left) - len(clause)
            own_left = [r for r in left_refs if r.start >= clause_start]
            if across and own_left:
                # "In 2017 it rose to $84.07 billion, and in 2018 it soared ...": a year in the
                # figure's own clause wins over one past a break
                right_ref = None
            from_span = span and re.search(r"\bfrom\s+(?:\w+\s+)?$", clause, re.I)
            to_span = span and re.search(r"\bto\s+(?:\w+\s+)?$", clause, re.I)
            if from_span or to_span:
                n = 10 if span[2] else _n(span[1])
                if doc_date:
                    year = doc_date.year - (n if from_span else 0)
                    resolved = True
                    note = (
                        f'"{span[0]}" before the document date ({doc_date.isoformat()})'
                        if from_span
                        else f'the end of "{span[0]}": the year of the document date ({doc_date.isoformat()})'
                    )
            elif right_ref or left_refs:
                ref = right_ref or left_refs[-1]
                year, resolved = ref.year, ref.relative
                if ref.relative:
                    note = (
                        f'"{ref.words}" in a document dated {doc_date.isoformat()}'
                        if doc_date
                        else f'"{ref.words}": no document date (pass --date)'
                    )
                if ref.relative and ANAPHORIC_YEAR.fullmatch(ref.words) and last and last.year:
                    # "A year earlier, trade had grown to ...": before the year just reported
                    year = last.year - 1
                    note = (
                        f'"{ref.words}": the year before that of the figure before it ({last.year})'
                    )
            elif prev_main is not None:
                year, resolved, note = (
                    prev_main.year,
                    prev_main.year_resolved,
                    prev_main.year_note,
                )
            else:
                earlier = [
                    r
                    for r in year_refs(text, _paragraph_start(sentences, i), sent.start, doc_date)
                    if r.relative
                    or re.search(
                        r"\b(?:in|of|for|during)\s+$", text[max(0, r.start - 8) : r.start], re.I
                    )
                ]
                if earlier and earlier[-1].year is not None:
                    ref = earlier[-1]
                    year, resolved = ref.year, True
                    note = f'no year in the sentence: "{ref.words}" earlier in the paragraph'
                    same_paragraph = last is not None and last.offset >= _paragraph_start(
                        sentences, i
                    )
                    if kind is None and not period and same_paragraph and last.kind == "partial":
                        kind, period = "partial", last.period
                elif last is not None and last.year is not None and i > 0:
                    year, resolved = last.year, True
                    note = "no year in the sentence: the year of the figure before it"
                    if kind is None and not period and last.kind == "partial":
                        kind, period = "partial", last.period
                elif prior := [
                    r
                    for r in year_refs(text, 0, _paragraph_start(sentences, i), doc_date)
                    if not r.relative
                    and re.search(
                        r"\b(?:in|of|for|during)\s+$", text[max(0, r.start - 8) : r.start], re.I
                    )
                ]:
                    # the first figure of the text, after a lead paragraph that names the year
                    year, resolved = prior[-1].year, True
                    note = f'no year in the sentence: "{prior[-1].words}" in an earlier paragraph'
                elif doc_date:
                    year, resolved = doc_date.year, True
                    note = f"no year in the sentence: the year of the document date ({doc_date.isoformat()})"
                else:
                    note = "no year found (pass --date)"
            # "US$20 billion in the next three or four years", "$80 billion later", "in the near
            # future ... to $200 billion": a horizon closer to the figure than any year has no year
            horizon, after = HORIZON.search(right_head), clause_start
            if horizon is None:
                horizon = _last_match(HORIZON, clause)
                after = clause_start + horizon.start() if horizon else clause_start
            if (
                horizon is not None
                and year is not None
                and not (right_ref or from_span or to_span)
                and not any(r.start >= after for r in own_left)
            ):
                year, resolved = None, False
                note = f'a horizon, not a year: "{horizon[0]}"'
                if indicator == "trade":
                    indicator = "horizon"  # not a figure of any year: listed only with --all
            own_past_year = (right_ref or left_refs) and year and doc_date and year < doc_date.year
            if kind in ("target", "forecast") and own_past_year and not cue and not names_goal:
                kind = "observation"  # inherited from the figure before, but its own year is past
            if kind == "forecast" and year and doc_date and year < doc_date.year and not names_goal:
                # an expectation about a year already over ("we will reach at least last year's
                # figures, which is approximately $110 billion") states that year's level
                kind = "observation"
            if kind is None:
                # "by 2020" with no other cue is a goal; any other future year an expectation
                future = year is not None and doc_date is not None and year > doc_date.year
                by_year = re.search(r"^\s*(?:\w+\s+){0,3}?by\s+\d{4}", right)
                kind = ("target" if by_year else "forecast") if future else "observation"

            # 5. The flow.
            flow_cue = _nearest_before(FLOW_RULES, sentence_left)
            flow = flow_cue[0] if flow_cue else "total"

            reported = normalise_text(text[q_start : amt.end])
            if (
                right_ref is not None
                and not right_ref.relative
                and re.fullmatch(r"\s+in\s+", text[amt.end : right_ref.start])
            ):
                reported += f" in {right_ref.words}"
            cand = Candidate(
                source=source,
                offset=amt.start,
                end=amt.end,
                year=year,
                year_resolved=resolved,
                year_note=note,
                value=amt.value,
                value_high=amt.high,
                unit=f"{amt.currency} bn",
                kind=kind,
                qualifier=qualifier,
                reported_as=reported,
                flow=flow,
                period=period,
                equivalent=amt.equivalent,
                indicator=indicator,
                quote=normalise_text(text[sent.start : sent.end]),
            )
            prev_amount = last_any = cand
            if not COMPARISON_BASE.search(left):
                prev_main = cand
            if indicator == "trade":
                last = cand
            if indicator == "trade" or include_excluded:
                out.append(cand)
    return out


def _paragraph_start(sentences: list[Sentence], i: int) -> int:
    j = i
    while j > 0 and sentences[j - 1].paragraph == sentences[i].paragraph:
        j -= 1
    return sentences[j].start


def extract_file(path: str | Path, *, date: date | None = None, include_excluded: bool = False):
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    return extract(text, source=path.name, date=date, include_excluded=include_excluded)


# --- measuring against a labelled corpus -------------------------------------------------------

KINDS = ("observation", "partial", "target", "forecast")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _matches(cand: Candidate, label: dict, *, qualifier: bool = True) -> bool:
    """Same file, year, kind and unit, value within 1% (and the same qualifier)."""
    value = float(label["value"])
    return (
        cand.source == label["file"]
        and cand.year == int(label["year"])
        and cand.kind == label["kind"]
        and cand.unit == label["unit"]
        and abs(cand.value - value) <= 0.01 * value
        and (not qualifier or cand.qualifier == label["qualifier"])
    )


def evaluate(
    corpus: str | Path = DEFAULT_CORPUS, *, split: str | None = None, qualifier: bool = True
) -> dict:
    """Precision and recall per kind on `corpus` (its labels.csv and the files index.csv names;
    `split` "dev", "heldout" or "heldout2" keeps only that part).

    Each label is matched to at most one candidate and each candidate to at most one label.
    Returns {kind: {"tp", "fp", "fn", "precision", "recall"}} with an "all" row, plus
    "flow_accuracy" over the matched pairs and the unmatched rows for inspection.
    """
    corpus = Path(corpus)
    with open(corpus / "index.csv", newline="", encoding="utf-8") as fh:
        files = [row["file"] for row in csv.DictReader(fh) if split in (None, row["split"])]
    with open(corpus / "labels.csv", newline="", encoding="utf-8") as fh:
        labels = [row for row in csv.DictReader(fh) if row["file"] in files]
    cands = [c for f in files for c in extract_file(corpus / f)]
    free = list(cands)
    matched: list[tuple[Candidate, dict]] = []
    missed: list[dict] = []
    for label in labels:
        hit = next((c for c in free if _matches(c, label, qualifier=qualifier)), None)
        if hit is None:
            missed.append(label)
        else:
            free.remove(hit)
            matched.append((hit, label))
    result: dict = {}
    for kind in (*KINDS, "all"):
        tp = sum(1 for c, _ in matched if kind in ("all", c.kind))
        fp = sum(1 for c in free if kind in ("all", c.kind))
        fn = sum(1 for lab in missed if kind in ("all", lab["kind"]))
        result[kind] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }
    flows = [c.flow == lab["flow"] for c, lab in matched]
    result["flow_accuracy"] = sum(flows) / len(flows) if flows else 1.0
    result["false_positives"] = free
    result["missed"] = missed
    return result


def markdown_table(result: dict, result_no_qualifier: dict | None = None) -> str:
    lines = [
        "| kind | labels | found | correct | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*KINDS, "all"):
        r = result[kind]
        lines.append(
            f"| {kind} | {r['tp'] + r['fn']} | {r['tp'] + r['fp']} | {r['tp']} "
            f"| {r['precision']:.2f} | {r['recall']:.2f} |"
        )
    return "\n".join(lines)


# --- the command -------------------------------------------------------------------------------

PACKAGE_COLUMNS = [
    "id", "indicator", "year", "year_start", "value", "unit", "qualifier", "reported_as",
    "year_basis", "year_note", "flag", "flag_note", "source_id", "quote", "review",
]  # fmt: skip
_FLOW_INDICATOR = {
    "total": "trade_total",
    "china_exports": "trade_china_exports",
    "china_imports": "trade_china_imports",
    "border": "trade_border",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _source_ids(paths: list[Path]) -> dict[Path, str]:
    """Map each file to its source id in the data package's sources.csv, when it is there."""
    from sinorus.load import data_dir

    root = data_dir()
    ids: dict[Path, str] = {}
    try:
        with open(root / "sources.csv", newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError:
        rows = []
    known = {(root / r["path"]).resolve(): r["id"] for r in rows if r.get("path")}
    for p in paths:
        ids[p] = known.get(p.resolve(), _slug(p.stem))
    return ids


def package_row(c: Candidate, source_id: str) -> dict:
    """One observations.csv row (plus review=pending) for a curator to check."""
    notes = []
    if c.year_note:
        notes.append(c.year_note)
    qualifier = c.qualifier
    if qualifier == "over":
        qualifier = "at_least"
        notes.append("qualifier 'over' (more than) recorded as at_least")
    if c.kind != "observation":
        notes.append(f"kind {c.kind}" + (f" ({c.period})" if c.period else ""))
    if c.value_high is not None:
        notes.append(f"a range: {c.value:g} to {c.value_high:g} {c.unit}")
    if c.equivalent:
        notes.append(f"the text gives the equivalent {c.equivalent}")
    if c.unit != "USD bn":
        notes.append(f"in {c.unit}: convert to USD bn before accepting")
    indicator = _FLOW_INDICATOR[c.flow] + ("" if c.kind == "observation" else f"_{c.kind}")
    return {
        "id": f"x-{_slug(source_id)}-{c.year}-{c.offset}",
        "indicator": indicator,
        "year": c.year,
        "year_start": "",
        "value": f"{c.value:g}",
        "unit": c.unit,
        "qualifier": qualifier,
        "reported_as": c.reported_as,
        "year_basis": "derived" if c.year_resolved else "stated",
        "year_note": "; ".join(notes),
        "flag": "",
        "flag_note": "",
        "source_id": source_id,
        "quote": c.quote,
        "review": "pending",
    }


def render(cands: list[Candidate], fmt: str, source_ids: dict[str, str] | None = None) -> str:
    buf = io.StringIO()
    if fmt == "package":
        writer = csv.DictWriter(buf, fieldnames=PACKAGE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for c in cands:
            writer.writerow(package_row(c, (source_ids or {}).get(c.source, _slug(c.source))))
    else:
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for c in cands:
            row = {k: v for k, v in asdict(c).items() if k in COLUMNS}
            row["value"] = f"{c.value:g}"
            row["value_high"] = "" if c.value_high is None else f"{c.value_high:g}"
            row["year"] = "" if c.year is None else c.year
            writer.writerow(row)
    return buf.getvalue()


def register(subparsers) -> None:
    """Add `extract` to the `sinorus` command's subparsers."""
    p = subparsers.add_parser(
        "extract", help="find China–Russia trade figures in plain-text documents"
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="plain-text documents")
    p.add_argument(
        "--date",
        type=date.fromisoformat,
        help="document date YYYY-MM-DD for relative years (default: a date found in each text)",
    )
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument(
        "--format",
        choices=("csv", "package"),
        default="csv",
        help="csv: one row per figure; package: observations.csv rows with review=pending",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="also list figures that are not trade, with the reason in `indicator`",
    )
    p.set_defaults(handler=run)


def run(args) -> int:
    paths = [Path(f) for f in args.files]
    cands: list[Candidate] = []
    for p in paths:
        try:
            cands += extract_file(p, date=args.date, include_excluded=args.all)
        except (OSError, UnicodeDecodeError) as err:
            print(f"error: {p}: cannot read as UTF-8 text ({err})", file=sys.stderr)
            return 1
    source_ids = None
    if args.format == "package":
        by_path = _source_ids(paths)
        source_ids = {p.name: by_path[p] for p in paths}
        keep = []
        for c in cands:
            if c.indicator != "trade" or c.year is None:
                print(
                    f"note: {c.source}:{c.offset}: {c.reported_as!r} left out "
                    f"({'not trade: ' + c.indicator if c.indicator != 'trade' else 'no year'})",
                    file=sys.stderr,
                )
            else:
                keep.append(c)
        cands = keep
    data = render(cands, args.format, source_ids)
    if args.output:
        Path(args.output).write_text(data, encoding="utf-8")
        print(f"wrote {len(cands)} figure(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(data)
    return 0


if __name__ == "__main__":  # python -m sinorus.extract: the measured tables for docs/extract.md
    for part in ("dev", "heldout", "heldout2", None):
        res = evaluate(split=part)
        loose = evaluate(split=part, qualifier=False)["all"]
        print(f"\n### {part or 'all'}\n\n{markdown_table(res)}\n")
        print(f"flow right on {res['flow_accuracy']:.0%} of the matched figures; without requiring")
        print(f"the qualifier: precision {loose['precision']:.2f}, recall {loose['recall']:.2f}.")
        for c in res["false_positives"]:
            print(
                f"- extra: {c.source} {c.year} {c.value:g} {c.unit} {c.kind} {c.qualifier} {c.reported_as!r}"
            )
        for lab in res["missed"]:
            print(
                f"- missed: {lab['file']} {lab['year']} {lab['value']} {lab['unit']} {lab['kind']} {lab['qualifier']}"
            )
