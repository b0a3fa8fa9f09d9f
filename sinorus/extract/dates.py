"""The document's date, and the years a text names: as digits, or relative to the date."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

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
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DATE_FORMS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: date(int(m[1]), int(m[2]), int(m[3]))),
    (
        re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\s+(\d{{4}})\b", re.I),
        lambda m: date(int(m[3]), MONTHS[m[2].lower().rstrip(".")], int(m[1])),
    ),
    (
        re.compile(rf"\b({MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I),
        lambda m: date(int(m[3]), MONTHS[m[1].lower().rstrip(".")], int(m[2])),
    ),
    (
        re.compile(rf"\b({MONTH})\s+(\d{{4}})\b", re.I),
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
# A count of years: at most three digits ("over the past 4,000 years" is no trade period).
_N = r"(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
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
# "in 2010", "for 2015": a year named as the time of what is said.
_YEAR_OF = re.compile(r"\b(?:in|of|for|during)\s+$", re.I)


def years_in_span(word: str) -> int:
    """The count of a `SPAN` or "N years ago": "ten" -> 10, "3" -> 3."""
    return int(word) if word.isdigit() else _WORD_NUMBERS[word.lower()]


@dataclass
class YearRef:
    start: int
    end: int
    year: int | None
    relative: bool
    words: str


def year_refs(text: str, start: int, end: int, doc_date: date | None) -> list[YearRef]:
    """Years written as digits, and relative phrases resolved against the document date."""
    refs = [
        YearRef(m.start(), m.end(), int(m[1]), False, m[0])
        for m in _YEAR.finditer(text, start, end)
    ]
    for pattern, delta in RELATIVE_YEARS:
        for m in pattern.finditer(text, start, end):
            if _COMPARISON.search(text[max(start, m.start() - 25) : m.start()]):
                continue
            shift = -years_in_span(m[1]) if delta == "ago" else delta
            year = doc_date.year + shift if doc_date else None
            refs.append(YearRef(m.start(), m.end(), year, True, m[0]))
    return sorted(refs, key=lambda r: r.start)


def names_the_time(text: str, ref: YearRef) -> bool:
    """Whether the year is written as the time of what is said: "in 2010", "for 2015"."""
    return bool(_YEAR_OF.search(text[max(0, ref.start - 8) : ref.start]))


class YearIndex:
    """The years before a point of the text, each paragraph scanned once (not once a figure)."""

    def __init__(self, text: str, doc_date: date | None):
        self.text, self.doc_date = text, doc_date
        self._paragraphs: dict[int, tuple[list[int], list[YearRef]]] = {}
        stated = (YearRef(m.start(), m.end(), int(m[1]), False, m[0]) for m in _YEAR.finditer(text))
        self._stated = [r for r in stated if names_the_time(text, r)]
        self._stated_starts = [r.start for r in self._stated]

    def stated_before(self, offset: int) -> YearRef | None:
        """The last year written "in 2010" / "for 2015" ... before `offset`."""
        k = bisect.bisect_left(self._stated_starts, offset)
        return self._stated[k - 1] if k else None

    def in_paragraph_before(self, start: int, end: int, offset: int) -> YearRef | None:
        """The last relative phrase or stated year in the paragraph [start, end) before `offset`."""
        if start not in self._paragraphs:
            refs = year_refs(self.text, start, end, self.doc_date)
            refs = [r for r in refs if r.relative or names_the_time(self.text, r)]
            self._paragraphs[start] = ([r.start for r in refs], refs)
        starts, refs = self._paragraphs[start]
        k = bisect.bisect_left(starts, offset)
        while k and refs[k - 1].end > offset:
            k -= 1  # a phrase cut by `offset` (only where a long sentence is read in windows)
        return refs[k - 1] if k else None
