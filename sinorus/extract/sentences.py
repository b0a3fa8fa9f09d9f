"""Sentences, and the bounded windows a very long sentence is read in.

A small splitter: line breaks, then `.!?` before a capital, with a list of abbreviations that
do not end a sentence. A sentence longer than `WINDOW` characters (a run-on text, a table
flattened into one line) is read as overlapping windows of `WINDOW` characters, each as if it
were a sentence, so the rules never read more than `WINDOW` characters around a figure and the
time stays linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "u.s",
    "u.k",
    "u.n",
    "mr",
    "mrs",
    "ms",
    "dr",
    "no",
    "st",
    "co",
    "ltd",
    "inc",
    "vs",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_WORD_CHAR = re.compile(r"[\w.]")
_LINE = re.compile(r"[^\n]+|\n\s*\n")

WINDOW = 1000  # the longest stretch of a sentence the rules read at once, in characters
OVERLAP = 400  # consecutive windows share about this much; each figure is read in the window
# where it is furthest from a cut: at least OVERLAP / 2 - _SNAP = 160 characters from either
_SNAP = 40  # a cut moves back (an end) or on (a start) to a space at most this far away


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int
    # A window of a longer sentence reads the figures that start in [own_start, own_end); the
    # rest of it is context, read by the windows on either side.
    own_start: int | None = None
    own_end: int | None = None

    def owns(self, offset: int) -> bool:
        start = self.start if self.own_start is None else self.own_start
        end = self.end if self.own_end is None else self.own_end
        return start <= offset < end


def split_sentences(text: str) -> list[Sentence]:
    """Sentences as (start, end) offsets; a blank line starts a new paragraph."""
    out: list[Sentence] = []
    paragraph = 0
    for line in _LINE.finditer(text):
        if not line[0].strip():
            paragraph += 1
            continue
        start = line.start()
        for m in _SENTENCE_END.finditer(text, line.start(), line.end()):
            if _after_abbreviation(text, start, m.start()):
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


def _after_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether the word of `[\\w.]` characters ending at `stop` (not before `start`), less its
    trailing points, is an abbreviation; reads no further back than the longest one."""
    core_end = stop
    while core_end > start and text[core_end - 1] == ".":
        core_end -= 1
    begin = core_end
    while begin > start and core_end - begin <= _LONGEST_ABBREVIATION:
        if not _WORD_CHAR.match(text[begin - 1]):
            break
        begin -= 1
    return text[begin:core_end].lower() in ABBREVIATIONS  # a longer word is none


def windows(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences, each longer than `WINDOW` replaced by its overlapping windows."""
    out: list[Sentence] = []
    for s in sentences:
        out.extend(split_window(text, s) if s.end - s.start > WINDOW else [s])
    return out


def split_window(text: str, s: Sentence) -> list[Sentence]:
    """Overlapping windows of at most `WINDOW` characters covering `s`, cut at spaces."""
    spans: list[tuple[int, int]] = []
    start = s.start
    while True:
        end = s.end if s.end - start <= WINDOW else _cut_end(text, start, start + WINDOW)
        spans.append((start, end))
        if end >= s.end:
            break
        start = _cut_start(text, start + WINDOW - OVERLAP, end)
    bounds = [s.start]
    bounds += [(nxt[0] + cur[1]) // 2 for cur, nxt in zip(spans, spans[1:], strict=False)]
    bounds.append(s.end)
    return [Sentence(a, b, s.paragraph, bounds[k], bounds[k + 1]) for k, (a, b) in enumerate(spans)]


def _cut_end(text: str, start: int, end: int) -> int:
    """`end`, moved back to the last space before it (by at most `_SNAP`)."""
    for i in range(end - 1, max(start, end - _SNAP), -1):
        if text[i].isspace():
            return i
    return end


def _cut_start(text: str, start: int, limit: int) -> int:
    """`start`, moved on past the next space (by at most `_SNAP`, and to before `limit`)."""
    for i in range(start, min(limit - 1, start + _SNAP)):
        if text[i].isspace():
            return i + 1
    return start
