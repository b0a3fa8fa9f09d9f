"""`extract()`: the steps run over a document, sentence by sentence, amount by amount.

For each document: find its date (`--date` wins; else a "Date:" line; else the first full
date); split it into sentences (a sentence over `WINDOW` characters into overlapping windows);
in each, find the amounts (`amounts`), then read each in its context: is it trade, its
qualifier, kind, year and flow (`steps`, `years`). A figure whose sentence does not name Russia,
after a figure of another pair or of world trade, continues that figure.

Offsets are character offsets into the original text (Markdown escapes such as `\\$` are
matched in place, not removed first), and `quote` is the sentence as `sinorus.load` compares
quotes (escapes removed, whitespace collapsed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sinorus.checks import normalise_text
from sinorus.extract import rules, steps, years
from sinorus.extract.amounts import MAX_NUMBER_CHARS, find_amounts, long_numbers
from sinorus.extract.candidate import Candidate
from sinorus.extract.dates import SPAN, YearIndex, find_document_date, year_refs
from sinorus.extract.sentences import WINDOW, Sentence, split_sentences, windows

_IN = re.compile(r"\s+in\s+")


@dataclass
class Note:
    """Something `extract` skipped or read in a bounded way, at `offset` of the text."""

    offset: int
    text: str


@dataclass
class Document:
    text: str
    source: str
    date: date | None
    sentences: list[Sentence]
    paragraphs: list[tuple[int, int]]  # (start, end) of each sentence's paragraph
    years: YearIndex
    last: Candidate | None = None  # the previous trade figure
    last_any: Candidate | None = None  # the previous figure, trade or not

    @classmethod
    def read(cls, text: str, source: str, doc_date: date | None, notes: list[Note]) -> Document:
        sentences = split_sentences(text)
        for s in sentences:
            if s.end - s.start > WINDOW:
                what = f"a sentence of {s.end - s.start:,} characters"
                notes.append(Note(s.start, f"{what} read in windows of {WINDOW:,}"))
        for start, end in long_numbers(text):
            what = f"a number of {end - start:,} characters"
            notes.append(
                Note(start, f"{what} skipped: no amount is longer than {MAX_NUMBER_CHARS}")
            )
        sentences = windows(text, sentences)
        paragraphs = _paragraphs(sentences)
        return cls(text, source, doc_date, sentences, paragraphs, YearIndex(text, doc_date))

    def place(self, i: int) -> years.Place:
        start, end = self.paragraphs[i]
        return years.Place(self.sentences[i].start, i == 0, start, end)


def _paragraphs(sentences: list[Sentence]) -> list[tuple[int, int]]:
    """For each sentence, the start of its paragraph's first and the end of its last."""
    bounds: list[tuple[int, int]] = []
    first = 0
    for k, s in enumerate(sentences):
        if k + 1 == len(sentences) or sentences[k + 1].paragraph != s.paragraph:
            span = (sentences[first].start, s.end)
            bounds += [span] * (k + 1 - first)
            first = k + 1
    return bounds


def extract(
    text: str,
    *,
    source: str = "",
    date: date | None = None,
    include_excluded: bool = False,
    notes: list[Note] | None = None,
) -> list[Candidate]:
    """Trade figures in `text`; with `include_excluded`, the non-trade figures too. What was
    skipped (a digit run longer than any amount) or read in windows is added to `notes`."""
    doc_date = date or find_document_date(text)
    doc = Document.read(text, source, doc_date, [] if notes is None else notes)
    out: list[Candidate] = []
    for i in range(len(doc.sentences)):
        out += _read_sentence(doc, i, include_excluded)
    return out


@dataclass
class _SentenceReading:
    about_trade: bool
    refs: list
    span: re.Match | None
    quote: str


def _read_sentence(doc: Document, i: int, include_excluded: bool) -> list[Candidate]:
    text, sent = doc.text, doc.sentences[i]
    amounts = [a for a in find_amounts(text, sent.start, sent.end) if not a.is_equivalent]
    if not amounts:
        return []
    reading = _SentenceReading(
        steps.about_trade(text, doc.sentences, i),
        year_refs(text, sent.start, sent.end, doc.date),
        SPAN.search(text, sent.start, sent.end),
        normalise_text(text[sent.start : sent.end]),
    )
    out: list[Candidate] = []
    prev: Candidate | None = None  # the previous amount in the sentence
    prev_main: Candidate | None = None  # the previous amount that is not a comparison base
    for j, amt in enumerate(amounts):
        ctx = steps.Context.around(text, sent, amounts, j)
        cand = _read_amount(doc, i, ctx, reading, prev, prev_main)
        prev = cand
        if not rules.COMPARISON_BASE.search(ctx.left):
            prev_main = cand
        if not sent.owns(amt.start):
            continue  # context for this window; the window on the other side reads it
        doc.last_any = cand
        if cand.indicator == "trade":
            doc.last = cand
        if cand.indicator == "trade" or include_excluded:
            out.append(cand)
    return out


def _read_amount(
    doc: Document,
    i: int,
    ctx: steps.Context,
    reading: _SentenceReading,
    prev: Candidate | None,
    prev_main: Candidate | None,
) -> Candidate:
    amt, context = ctx.amount, doc.last_any.indicator if doc.last_any else ""
    goal = steps.names_goal(ctx)
    indicator = steps.trade_indicator(ctx, about=reading.about_trade, prev=prev, context=context)
    qualifier, q_start = steps.read_qualifier(ctx, goal=goal)
    kind = steps.read_kind(ctx, goal=goal, prev=prev_main, doc_date=doc.date)
    words = years.year_words(ctx, reading.refs, reading.span)
    year = years.stated_year(words, doc.date, doc.last)
    if year is None and prev_main is not None:
        year = years.Year(prev_main.year, prev_main.year_resolved, prev_main.year_note)
    elif year is None:
        year, kind = years.context_year(doc.years, doc.place(i), kind, doc.last, doc.date)
    cut = years.horizon(ctx, words, year)
    if cut is not None:
        year = cut
        if indicator == "trade":
            indicator = "horizon"  # not a figure of any year: listed only with --all
    reported = normalise_text(doc.text[q_start : amt.end])
    if (
        words.right is not None
        and not words.right.relative
        and _IN.fullmatch(doc.text, amt.end, words.right.start)
    ):
        reported += f" in {words.right.words}"
    return Candidate(
        source=doc.source,
        offset=amt.start,
        end=amt.end,
        year=year.year,
        year_resolved=year.resolved,
        year_note=year.note,
        value=amt.value,
        value_high=amt.high,
        unit=f"{amt.currency} bn",
        kind=years.settle_kind(kind, words, year.year, doc.date, goal=goal, right=ctx.right),
        qualifier=qualifier,
        reported_as=reported,
        flow=steps.read_flow(ctx),
        period=kind.period,
        equivalent=amt.equivalent,
        indicator=indicator,
        quote=reading.quote,
    )


def extract_file(
    path: str | Path,
    *,
    date: date | None = None,
    include_excluded: bool = False,
    notes: list[Note] | None = None,
) -> list[Candidate]:
    """`extract` on a UTF-8 file (a byte-order mark is dropped); `source` is its name."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    return extract(
        text, source=path.name, date=date, include_excluded=include_excluded, notes=notes
    )
