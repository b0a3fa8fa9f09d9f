"""`python -m sinorus.extract`: the measured tables for docs/extract.md."""

from sinorus.extract.score import report

print(report())
