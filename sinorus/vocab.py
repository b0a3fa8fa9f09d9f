"""The project's vocabulary, one table each: qualifiers, countries, directions of trade.

A leaf module (but for `sinorus.i18n`'s marker): the schema's enums (checked against these by
the tests), the chart legends and marks, hover and alt text, the bundle READMEs and the
importers' mappings all derive from here. Labels are English messages marked `N_` (extracted
for translation); code that shows one passes it through `sinorus.i18n._` at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass

from sinorus.i18n import N_


@dataclass(frozen=True)
class Qualifier:
    id: str  # as stored in the tables
    label: str  # as a reader reads it (N_: shown through `_()`, as are legend and meaning)
    words: str  # written before an amount ("" for a figure stated plainly), English only
    symbol: str  # Plotly marker: filled = as stated, hollow = approximate, ▼▲ = which way
    mark: str  # the character in the chart's key
    legend: str  # the legend entry
    meaning: str  # what it means, for the bundles' README


QUALIFIERS: dict[str, Qualifier] = {
    q.id: q
    for q in (
        Qualifier("exact", N_("exact"), "", "circle", "●", N_("exact: as stated"),
                  N_("the sentence states the figure without a hedge")),
        Qualifier("about", N_("about"), "about ", "circle-open", "○", N_("about: approximate"),
                  N_("approximately (the text says *about*)")),
        Qualifier("nearly", N_("nearly"), "nearly ", "triangle-down", "▼",
                  N_("nearly: a little below"),
                  N_("a little below the figure (the text says *nearly*)")),
        Qualifier("at_least", N_("at least"), "at least ", "triangle-up", "▲",
                  N_("at least: reached or above"),
                  N_("reached or exceeded (the text says *already reached*); a lower bound")),
    )
}  # fmt: skip

#: Reporting countries by ISO code.
COUNTRIES = {"CHN": N_("China"), "RUS": N_("Russia")}

#: Directions of trade, seen from China.
FLOWS = {
    "china_exports": N_("China's exports to Russia"),
    "china_imports": N_("China's imports from Russia"),
    "balance": N_("China's balance with Russia (exports − imports)"),
    "total": N_("Total trade"),
}

#: Flows of the official record (IMF DOTS), as each reporter reports them, and their valuation.
OFFICIAL_FLOWS = {
    "exports_fob": N_("exports (FOB: free on board)"),
    "imports_cif": N_("imports (CIF: cost, insurance and freight)"),
}

#: Problems known at a later report's source (`reports.flag`), in readers' words: the figure is
#: kept as the report gives it, and shown flagged.
REPORT_FLAGS = {
    "part_year": N_("a part-year figure given as the year's"),
    "converted_from_yuan": N_("a yuan total converted to dollars, not customs' dollar figure"),
    "goal_baseline": N_("the round baseline of a goal, not a measured total"),
}
