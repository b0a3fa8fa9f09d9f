"""Sentences: a small splitter.

Line breaks, then `.!?` before a capital, with a list of abbreviations that do not end a
sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "no", "st", "co", "ltd", "inc", "vs", "e.g",
    "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_WORD_CHAR = re.compile(r"[\w.]")
_LINE = re.compile(r"[^\n]+|\n\s*\n")


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int


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
