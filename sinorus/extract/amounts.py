"""Step 1 of reading a sentence: the money amounts in it, each with a scale word.

"$940 million", "US$6 billion", "13.3 billion U.S. dollars", "$244.81bn", "$98-115 billion",
"1.74 trillion yuan ($237 billion)" (the bracketed equivalent is noted, not extracted),
"RUB 127 billion"; a bare "200 billion" takes the currency of the amount before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A number written with more characters than this (digits, thousands commas, decimal points) is
# longer than any amount: it is skipped, never read as one ("$7777…7 billion" is no figure).
MAX_NUMBER_CHARS = 24
LONG_NUMBER = re.compile(rf"\d[\d,.]{{{MAX_NUMBER_CHARS},}}")

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
# Words after a bare amount that say it is no money: "200 billion tons" ("ton" takes "tonnes").
NOT_MONEY = re.compile(r"\s*(tons?|people|barrels|cubic|square|visitors)")
_AND = re.compile(r"\s+and\s+")
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_OPEN_BRACKET = re.compile(r"\s*\(\s*(?:[a-z]+\s+)?")


def currency(word: str | None) -> str | None:
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
class Amount:
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


def long_numbers(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every number longer than `MAX_NUMBER_CHARS`: never part of an amount."""
    end = len(text) if end is None else end
    return [m.span() for m in LONG_NUMBER.finditer(text, start, end)]


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every amount with a scale word between `start` and `end`, values in billions."""
    end = len(text) if end is None else end
    found = _matches(text, start, end)
    _carry_currency(text, found)
    found = _merge_between(text, found)
    _mark_equivalents(text, found)
    return [a for a in found if a.currency is not None]


def _matches(text: str, start: int, end: int) -> list[Amount]:
    too_long = long_numbers(text, start, end)
    found: list[Amount] = []
    for m in AMOUNT.finditer(text, start, end):
        before = text[max(0, m.start() - 2) : m.start()].rjust(2)
        if before[1].isalnum() or before[1] in "/_" or (before[1] == "-" and before[0].isalnum()):
            continue  # part of a word or an address: ".../trade-to-hit-usd110bn"
        if any(a < m.end() and m.start() < b for a, b in too_long):
            continue  # a digit run longer than any amount (extract notes it)
        scale = SCALE[m["scale"].lower()]
        unit = currency(m["pre"]) or currency(m["post"])
        high = _number(m["high"]) * scale if m["high"] else None
        value = round(_number(m["num"]) * scale, 6)
        found.append(Amount(m.start(), m.end(), value, high, unit, m[0]))
    return found


def _carry_currency(text: str, found: list[Amount]) -> None:
    """A bare amount ("... and to 200 billion by 2020") takes the currency before it."""
    for prev, cur in zip(found, found[1:], strict=False):
        if cur.currency is None and prev.currency is not None:
            if not NOT_MONEY.match(text[cur.end : cur.end + 20].lower()):
                cur.currency = prev.currency


def _merge_between(text: str, found: list[Amount]) -> list[Amount]:
    """One range from "between US$60 billion and US$80 billion", like "$60-80 billion"."""
    merged: list[Amount] = []
    for cur in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.high is None
            and cur.high is None
            and _AND.fullmatch(text[prev.end : cur.start])
            and _BETWEEN.search(text[max(0, prev.start - 12) : prev.start])
            and cur.currency in (None, prev.currency)
        ):
            prev.high, prev.end, prev.tail = cur.value, cur.end, cur.end
            prev.text = text[prev.start : cur.end]
            continue
        merged.append(cur)
    return merged


def _mark_equivalents(text: str, found: list[Amount]) -> None:
    """In "122 billion yuan ($17.32 billion)" the bracketed amount is an equivalent, no figure."""
    for prev, cur in zip(found, found[1:], strict=False):
        between = text[prev.end : cur.start]
        if _OPEN_BRACKET.fullmatch(between) and text[cur.end : cur.end + 3].lstrip().startswith(
            ")"
        ):
            cur.is_equivalent = True
            prev.tail = text.index(")", cur.end) + 1
            qual = between.strip(" (")
            prev.equivalent = f"{qual + ' ' if qual else ''}{cur.value:g} {cur.currency} bn".strip()
