"""`sinorus extract`: find China–Russia trade figures in plain-text documents, by readable rules.

The modules, in the order a document goes through them:

- `sentences`: split the text into sentences (a sentence over `WINDOW` characters into
  overlapping windows, so the time stays linear in the length of the text);
- `amounts`: the money amounts with a scale word in each (a number over `MAX_NUMBER_CHARS`
  characters is skipped, with a note);
- `steps`: for each amount, is it trade, its qualifier, kind and flow, each a function reading
  the words around the amount with the rules in `rules`;
- `years` (with `dates`): the year of the figure, stated, relative or from the context;
- `pipeline`: `extract()`, which runs the steps over a document;
- `score`: precision and recall on the labelled corpus (`python -m sinorus.extract`);
- `command`: the `sinorus extract` command (`register`, `run`).
"""

from sinorus.extract.amounts import find_amounts
from sinorus.extract.candidate import COLUMNS, KINDS, Candidate
from sinorus.extract.command import package_row, register, render, run
from sinorus.extract.dates import find_document_date
from sinorus.extract.pipeline import Note, extract, extract_file
from sinorus.extract.score import DEFAULT_CORPUS, evaluate, markdown_table
from sinorus.extract.sentences import split_sentences

__all__ = [
    "COLUMNS",
    "DEFAULT_CORPUS",
    "KINDS",
    "Candidate",
    "Note",
    "evaluate",
    "extract",
    "extract_file",
    "find_amounts",
    "find_document_date",
    "markdown_table",
    "package_row",
    "register",
    "render",
    "run",
    "split_sentences",
]
