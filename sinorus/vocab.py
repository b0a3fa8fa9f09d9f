"""The project's vocabulary, one table each: qualifiers, countries, directions of trade.

A leaf module: the schema's enums (checked against these by the tests), the chart legends and
marks, hover and alt text, the bundle READMEs and the importers' mappings all derive from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Qualifier:
    id: str  # as stored in the tables
    label: str  # as a reader reads it
    words: str  # written before an amount ("" for a figure stated plainly)
    symbol: str  # Plotly marker: filled = as stated, hollow = approximate, ▼▲ = which way
    mark: str  # the character in the chart's key
    legend: str  # the legend entry
    meaning: str  # what it means, for the bundles' README


QUALIFIERS: dict[str, Qualifier] = {
    q.id: q
    for q in (
        Qualifier("exact", "exact", "", "circle", "●", "exact: as stated",
                  "the sentence states the figure without a hedge"),
        Qualifier("about", "about", "about ", "circle-open", "○", "about: approximate",
                  "approximately (the text says *about*)"),
        Qualifier("nearly", "nearly", "nearly ", "triangle-down", "▼", "nearly: a little below",
                  "a little below the figure (the text says *nearly*)"),
        Qualifier("at_least", "at least", "at least ", "triangle-up", "▲",
                  "at least: reached or above",
                  "reached or exceeded (the text says *already reached*); a lower bound"),
    )
}  # fmt: skip

#: Reporting countries by ISO code.
COUNTRIES = {"CHN": "China", "RUS": "Russia"}

#: Directions of trade, seen from China.
FLOWS = {
    "china_exports": "China's exports to Russia",
    "china_imports": "China's imports from Russia",
    "balance": "China's balance with Russia (exports − imports)",
    "total": "Total trade",
}

#: Flows of the official record (IMF DOTS), as each reporter reports them, and their valuation.
OFFICIAL_FLOWS = {
    "exports_fob": "exports (FOB: free on board)",
    "imports_cif": "imports (CIF: cost, insurance and freight)",
}

#: Problems known at a later report's source (`reports.flag`), in readers' words: the figure is
#: kept as the report gives it, and shown flagged.
REPORT_FLAGS = {
    "part_year": "a part-year figure given as the year's",
    "converted_from_yuan": "a yuan total converted to dollars, not customs' dollar figure",
    "goal_baseline": "the round baseline of a goal, not a measured total",
}
