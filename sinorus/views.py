"""The frames the app offers for download, by slug: one registry for bundles, files and snippets.

Each `View` names a chart's (or table's) download as the app does (`slug`, `title`), the
function that builds its frame for a year range, and how a year range is applied to its
full-range frame (`year_filter`), which is what the "use this data in code" snippets do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sinorus import transform
from sinorus.load import Dataset

YearRange = tuple[int, int]

#: How a year range applies to a view's full-range frame:
#: "year" - rows whose `year` is in the range; "period" - rows with `from_year` and `to_year`
#: both in the range; "date" - rows whose ISO `date` falls in the range; "none" - the view
#: ignores the year range; "computed" - a count over the observations in the range (the
#: snippet recomputes it from the published tables).
YEAR_FILTERS = ("year", "period", "date", "none", "computed")


@dataclass(frozen=True)
class View:
    slug: str
    title: str
    description: str
    build: Callable[[Dataset, YearRange], pd.DataFrame]
    year_filter: str
    needs_gdp: bool = False

    def frame(self, ds: Dataset, year_range: YearRange) -> pd.DataFrame:
        """The frame the app shows and downloads for `year_range`."""
        return self.build(ds, year_range)

    def available(self, ds: Dataset) -> bool:
        return ds.gdp is not None or not self.needs_gdp


def _events(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    # the app drops the helper `year` column from the events download
    return transform.events_in_range(ds, year_range).drop(columns=["year"])


VIEWS: dict[str, View] = {
    v.slug: v
    for v in (
        View(
            "trade-total",
            "China–Russia trade, US$ billion",
            "Each bilateral trade figure the two documents state, one row per figure as stated "
            "(a year may have two readings), in billions of current US dollars, with its qualifier, "
            "how its year was read, its source and the verbatim sentence.",
            transform.trade_series,
            "year",
        ),
        View(
            "growth",
            "Growth between successive trade figures",
            "The change between each pair of successive years that have trade figures: absolute "
            "change, multiple and compound annual growth rate (CAGR). Where a year has several "
            "readings their median is used. Derived from the trade figures, so as approximate as "
            "the figures they rest on.",
            transform.growth_periods,
            "period",
        ),
        View(
            "share-of-china-trade",
            "China–Russia trade as a share of China's total trade",
            "The stated share of China's total trade, the same year's trade figure, and China's "
            "total trade that the two imply (trade / share): as approximate as the share.",
            transform.share_of_china_trade,
            "year",
        ),
        View(
            "trade-to-gdp",
            "China–Russia trade relative to GDP",
            "Bilateral trade as a percentage of China's and of Russia's GDP (World Bank, current "
            "US$), for the years that have both a trade figure and a GDP value.",
            transform.trade_to_gdp,
            "year",
            needs_gdp=True,
        ),
        View(
            "source-contributions",
            "Figures per source and indicator",
            "How many figures each source gives for each indicator within the year range.",
            transform.source_contributions,
            "computed",
        ),
        View(
            "trade-makeup",
            "What the texts say the trade is made of",
            "What China buys from and sells to Russia, and where the two sides cooperate, in the "
            "documents' words: statements only, the texts give no figures. Not limited by year.",
            lambda ds, _year_range: transform.trade_makeup(ds),
            "none",
        ),
        View(
            "events",
            "Events named in the texts",
            "The dated events the two documents name, with the date as precise as the text "
            "allows, whether it had been held or was still scheduled, and the sentence.",
            _events,
            "date",
        ),
        View(
            "observations",
            "China–Russia trade observations",
            "Every figure the two documents state, every indicator, one row per figure as stated, "
            "with its qualifier, how its year was read, any doubt flag, its source and the "
            "verbatim sentence.",
            transform.observations_view,
            "year",
        ),
    )
}


def view(slug: str) -> View:
    try:
        return VIEWS[slug]
    except KeyError:
        raise ValueError(f"unknown view '{slug}' (expected one of: {', '.join(VIEWS)})") from None
