"""The year step: which year a figure is of, and what that says about its kind.

Stated years ("in 2006", "for 2015"), relative ones ("last year", "over the past ten years",
"a year earlier" = the year before the figure before), or carried from the context; every year
not written as digits next to the figure is marked resolved, with a note saying how it was
read. A figure with a horizon and no year ("in the next three or four years", "later") gets no
year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sinorus.extract import rules
from sinorus.extract.candidate import Candidate
from sinorus.extract.dates import YearIndex, YearRef, years_in_span
from sinorus.extract.steps import Context, Kind

_GAP_BREAK = re.compile(r"[\d%;]")
_GAP_NAMES_TIME = re.compile(r"\b(?:in|for|by|before|of|during|to)\s+(?:the\s+)?$", re.I)
_GAP_COMPARES = re.compile(r"\b(?:from|than|compared|since|against)\b", re.I)
_GAP_ACROSS = re.compile(r"[,:]|\band\b")
_FROM = re.compile(r"\bfrom\s+(?:\w+\s+)?$", re.I)
_TO = re.compile(r"\bto\s+(?:\w+\s+)?$", re.I)


@dataclass
class Year:
    year: int | None = None
    resolved: bool = False
    note: str = ""


@dataclass
class YearWords:
    """The years the sentence names around the figure."""

    right: YearRef | None = None  # a year right after it that counts
    left: list[YearRef] = field(default_factory=list)  # years in its left window
    own_left: list[YearRef] = field(default_factory=list)  # those in its own clause
    span: re.Match | None = None  # "over the past ten years", if the figure starts or ends it
    span_from: bool = False  # "from about $7 billion": the start of the span

    @property
    def stated(self) -> bool:
        """A year read from the figure's own words (not the context)."""
        return bool(self.right or self.left)


def year_words(ctx: Context, refs: list[YearRef], span: re.Match | None) -> YearWords:
    """The years of the sentence (`refs`, and its `dates.SPAN`) that belong to the figure."""
    amt = ctx.amount
    right, across = _right_ref(ctx, refs)
    left = [r for r in refs if ctx.left_start <= r.start and r.end <= amt.start]
    own_left = [r for r in left if r.start >= ctx.clause_start]
    if across and own_left:
        # "In 2017 it rose to $84.07 billion, and in 2018 it soared ...": a year in the
        # figure's own clause wins over one past a break
        right = None
    words = YearWords(right, left, own_left)
    if span and _FROM.search(ctx.clause):
        words.span, words.span_from = span, True
    elif span and _TO.search(ctx.clause):
        words.span = span
    return words


def _right_ref(ctx: Context, refs: list[YearRef]) -> tuple[YearRef | None, bool]:
    """The year after the amount, if it is the figure's, and whether it is past a break."""
    ref = next((r for r in refs if ctx.amount.tail <= r.start <= ctx.right_end), None)
    if ref is None:
        return None, False
    gap = ctx.text[ctx.amount.tail : ref.start]
    if _GAP_BREAK.search(gap):
        return None, False
    if not ref.relative and not _GAP_NAMES_TIME.search(gap):
        return None, False
    if len(gap) > 30 and (ref.relative or len(gap) > 80 or _GAP_COMPARES.search(gap)):
        # further on in the clause only a stated year, with no comparison between:
        # "the $200 billion target we've set for ourselves for 2024"
        return None, False
    return ref, bool(_GAP_ACROSS.search(gap)) or len(gap) > 30


def stated_year(words: YearWords, doc_date: date | None, last: Candidate | None) -> Year | None:
    """The year from the figure's own words; None if they name none. `last` is the document's
    previous trade figure ("a year earlier" is the year before its year)."""
    if words.span is not None:
        span = words.span
        if not doc_date:
            return Year()
        n = 10 if span[2] else years_in_span(span[1])
        if words.span_from:
            note = f'"{span[0]}" before the document date ({doc_date.isoformat()})'
            return Year(doc_date.year - n, True, note)
        note = f'the end of "{span[0]}": the year of the document date ({doc_date.isoformat()})'
        return Year(doc_date.year, True, note)
    if not words.stated:
        return None
    ref = words.right or words.left[-1]
    if not ref.relative:
        return Year(ref.year, False, "")
    if rules.ANAPHORIC_YEAR.fullmatch(ref.words) and last and last.year:
        # "A year earlier, trade had grown to ...": before the year just reported
        note = f'"{ref.words}": the year before that of the figure before it ({last.year})'
        return Year(last.year - 1, True, note)
    if doc_date:
        return Year(ref.year, True, f'"{ref.words}" in a document dated {doc_date.isoformat()}')
    return Year(ref.year, True, f'"{ref.words}": no document date (pass --date)')


@dataclass
class Place:
    """Where a sentence is in its document, for reading a year from the context."""

    start: int  # the sentence's start
    first: bool  # the first sentence of the document
    paragraph_start: int
    paragraph_end: int


def context_year(
    years: YearIndex, place: Place, kind: Kind, last: Candidate | None, doc_date: date | None
) -> tuple[Year, Kind]:
    """A figure with no year in its sentence: a year named earlier in its paragraph, else the
    previous figure's (and its period, if that was partial), else one named ("in 2010") in an
    earlier paragraph, else the document date's."""
    inherits = kind.kind is None and not kind.period and last is not None and last.kind == "partial"
    ref = years.in_paragraph_before(place.paragraph_start, place.paragraph_end, place.start)
    if ref is not None and ref.year is not None:
        note = f'no year in the sentence: "{ref.words}" earlier in the paragraph'
        if inherits and last.offset >= place.paragraph_start:
            kind = replace(kind, kind="partial", period=last.period)
        return Year(ref.year, True, note), kind
    if last is not None and last.year is not None and not place.first:
        if inherits:
            kind = replace(kind, kind="partial", period=last.period)
        note = "no year in the sentence: the year of the figure before it"
        return Year(last.year, True, note), kind
    prior = years.stated_before(place.paragraph_start)
    if prior is not None:
        # the first figure of the text, after a lead paragraph that names the year
        note = f'no year in the sentence: "{prior.words}" in an earlier paragraph'
        return Year(prior.year, True, note), kind
    if doc_date:
        note = f"no year in the sentence: the year of the document date ({doc_date.isoformat()})"
        return Year(doc_date.year, True, note), kind
    return Year(note="no year found (pass --date)"), kind


def horizon(ctx: Context, words: YearWords, year: Year) -> Year | None:
    """No year (a `Year` with none) when a horizon is closer to the figure than any year:
    "US$20 billion in the next three or four years", "$80 billion later", "in the near future
    ... to $200 billion". None when there is no such horizon."""
    found, after = rules.HORIZON.search(ctx.right_head), ctx.clause_start
    if found is None:
        found = _last_match(rules.HORIZON, ctx.clause)
        after = ctx.clause_start + found.start() if found else ctx.clause_start
    if (
        found is None
        or year.year is None
        or words.right
        or words.span
        or any(r.start >= after for r in words.own_left)
    ):
        return None
    return Year(None, False, f'a horizon, not a year: "{found[0]}"')


def settle_kind(
    kind: Kind, words: YearWords, year: int | None, doc_date: date | None, *, goal: bool, right: str
) -> str:
    """The kind once the year is known: a goal or expectation for a past year is a level; with
    no cue, "by YEAR" in the future is a goal and any other future year an expectation."""
    name = kind.kind
    past = year is not None and doc_date is not None and year < doc_date.year
    if name in ("target", "forecast") and words.stated and past and not kind.cue and not goal:
        name = "observation"  # inherited from the figure before, but its own year is past
    if name == "forecast" and past and not goal:
        # an expectation about a year already over ("we will reach at least last year's
        # figures, which is approximately $110 billion") states that year's level
        name = "observation"
    if name is None:
        future = year is not None and doc_date is not None and year > doc_date.year
        by_year = rules.BY_YEAR.search(right)
        name = ("target" if by_year else "forecast") if future else "observation"
    return name


def _last_match(pattern, window: str):
    found = None
    for found in pattern.finditer(window):  # noqa: B007
        pass
    return found
