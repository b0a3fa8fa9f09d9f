"""The steps that read one amount in its sentence: is it trade, its qualifier, kind and flow.

(The year is `years`.) Each step reads some of the words around the amount, a `Context`:

- the *left window* runs from the previous amount (or the sentence start) to the amount;
- the *clause* is the part of the left window after its last comma (or `;:(` or "while");
- the *right gap* is the text up to the next amount or the sentence end, and its *head* the
  words up to a clause break ("and", "while", ...), at most 60 characters;
- *sentence left* is the whole sentence up to the amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sinorus.extract import rules
from sinorus.extract.amounts import Amount
from sinorus.extract.candidate import Candidate
from sinorus.extract.dates import MONTH_NAMES
from sinorus.extract.sentences import Sentence

_CLAUSE_BREAK = re.compile(r"[,;:(]|\bwhile\b")
_HEAD_BREAK = re.compile(r"[,;.]|\b(?:and|while|but|whereas)\b")


@dataclass
class Context:
    """The words around one amount, as the rules read them (offsets into `text`)."""

    text: str
    amount: Amount
    sentence_start: int
    sentence_end: int
    left_start: int
    right_end: int

    @classmethod
    def around(cls, text: str, sentence: Sentence, amounts: list[Amount], j: int) -> Context:
        """The context of `amounts[j]`, one of the amounts of `sentence` in order."""
        left_start = amounts[j - 1].end if j else sentence.start
        right_end = amounts[j + 1].start if j + 1 < len(amounts) else sentence.end
        return cls(text, amounts[j], sentence.start, sentence.end, left_start, right_end)

    def __post_init__(self):
        amt, text = self.amount, self.text
        self.left = text[self.left_start : amt.start]
        self.clause = _CLAUSE_BREAK.split(self.left)[-1]
        self.clause_start = self.left_start + len(self.left) - len(self.clause)
        self.right = text[amt.tail : self.right_end]
        # the words after the amount up to a clause break; "... by 2010 and increasing
        # China's investment in Russia to US$12 billion": "investment" is the next figure's
        self.right_head = _HEAD_BREAK.split(self.right)[0][:60]
        self.sentence_left = text[self.sentence_start : amt.start]


def about_trade(text: str, sentences: list[Sentence], i: int) -> bool:
    """A trade word in sentence `i`, in one of the two before it or in the one after."""
    near = sentences[max(0, i - 2) : i + 2]
    return any(rules.TRADE_WORDS.search(text, s.start, s.end) for s in near)


def trade_indicator(ctx: Context, *, about: bool, prev: Candidate | None, context: str = "") -> str:
    """The indicator: "trade", or why the amount is not a trade figure (`rules.EXCLUDE_RULES`...).

    `prev` is the amount before it in the sentence; `context` the indicator of the document's
    previous figure ("world_trade", "other_pair", ...); `about` whether the sentence is about
    trade (`about_trade`).
    """
    indicator = excluded_as(ctx)
    if (
        indicator == "trade"
        and prev is not None
        and prev.indicator != "trade"
        and rules.PART_OF.match(ctx.clause)
    ):
        indicator = prev.indicator  # a part of a non-trade figure
    if indicator == "trade" and context in ("world_trade", "other_pair"):
        # no China–Russia words since a figure of another pair or of world trade: a part or
        # a continuation of that figure ("... including $1.73 trillion of exports (+14.2%)
        # and $1.34 trillion of imports")
        since = ctx.left if prev is not None else ctx.text[ctx.sentence_start : ctx.sentence_end]
        if not rules.PARTNER.search(since):
            indicator = context
    if indicator == "trade" and not about:
        indicator = "not_trade"
    return indicator


def excluded_as(ctx: Context) -> str:
    """The amount's own words: a change, another pair, or one of `rules.EXCLUDE_RULES`."""
    if rules.INCREMENT.search(ctx.clause):
        return "change"
    if rules.OTHER_PAIR.search(ctx.sentence_left) or rules.OTHER_PAIR.search(ctx.right_head):
        return "other_pair"
    words = ctx.clause + " " + ctx.right_head
    for name, pattern in rules.EXCLUDE_RULES:
        if pattern.search(words):
            return name
    return "trade"


def names_goal(ctx: Context) -> bool:
    """The words right after the amount name a goal: "the $100-billion target for 2015"."""
    return rules.NAMES_GOAL.match(ctx.text, ctx.amount.end) is not None


def read_qualifier(ctx: Context, *, goal: bool = False) -> tuple[str, int]:
    """(qualifier, where the figure's words start): the hedge at the end of the clause."""
    if ctx.amount.high is not None or goal:
        # a range states its own bounds; in "close to the $100-billion target" the hedge is
        # about another figure, the target itself is named exactly
        return "exact", ctx.amount.start
    for name, pattern in rules.QUALIFIER_RULES:
        m = pattern.search(ctx.clause)
        if m:
            return name, ctx.clause_start + m.start()
    return "exact", ctx.amount.start


@dataclass
class Kind:
    kind: str | None  # None: no cue; the year decides (`years.settle_kind`)
    period: str = ""
    cue: str = ""  # the goal or expectation word read, if any


def read_kind(
    ctx: Context, *, goal: bool = False, prev: Candidate | None = None, doc_date: date | None = None
) -> Kind:
    """The kind from the cues before the amount, a period, or the figure before in the sentence.

    `prev` is the sentence's previous figure that is not a comparison base.
    """
    cue = _nearest_before(
        [("target", rules.TARGET_CUES), ("forecast", rules.FORECAST_CUES)], ctx.left
    )
    kind = cue[0] if cue else None
    if (
        kind == "forecast"
        and cue[1][0].lower() in ("should", "will", "would")
        and rules.TARGET_FRAME.search(ctx.sentence_left)
    ):
        kind = "target"  # "under the targets ..., trade should reach"
    if goal:
        kind = "target"
    period = read_period(ctx)
    if kind is None and period:
        kind = "partial"
    if kind is None and prev is not None:  # "... to 100 billion by 2015 and to 200 billion by 2020"
        kind, period = prev.kind, prev.period
    if period.lower() == "last month" and doc_date:
        period = MONTH_NAMES[(doc_date.month - 2) % 12 + 1]
    return Kind(kind, period, cue[1][0] if cue else "")


def read_period(ctx: Context) -> str:
    """The part of a year named in the left window or the right gap (`rules.PERIOD_RULES`)."""
    for pattern in rules.PERIOD_RULES:
        m = pattern.search(ctx.left) or pattern.search(ctx.right)
        if m:
            return m[1]
    return ""


def read_flow(ctx: Context) -> str:
    """The direction: the `rules.FLOW_RULES` cue nearest before the amount, else "total"."""
    cue = _nearest_before(rules.FLOW_RULES, ctx.sentence_left)
    return cue[0] if cue else "total"


def _nearest_before(patterns, window: str):
    """(label, match) of the cue ending closest to the end of `window`."""
    best = None
    for label, pattern in patterns:
        for m in pattern.finditer(window):
            if best is None or m.end() > best[1].end():
                best = (label, m)
    return best
