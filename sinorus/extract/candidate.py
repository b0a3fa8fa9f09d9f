"""A proposed figure: what `extract` returns and the command writes, one CSV row each."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


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
KINDS = ("observation", "partial", "target", "forecast")
