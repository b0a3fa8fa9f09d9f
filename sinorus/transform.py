"""Pure pandas: year filters and the one frame behind each chart, table and download.

Nothing here knows about Streamlit or Plotly. Every frame keeps, per row, the figure's id,
qualifier, source and verbatim quote, so a chart's download carries its provenance.
"""

from __future__ import annotations

import pandas as pd

from sinorus.load import TRADE_INDICATOR, Dataset

YearRange = tuple[int, int]


def year_span(ds: Dataset) -> YearRange:
    """First and last year any observation covers (a cumulative total covers from year_start)."""
    obs = ds.observations
    first = int(pd.concat([obs["year"], obs["year_start"]]).dropna().min())
    return first, int(obs["year"].max())


def filter_years(frame: pd.DataFrame, year_range: YearRange, column: str = "year") -> pd.DataFrame:
    """Rows whose `column` lies within the inclusive `year_range`, index reset."""
    lo, hi = year_range
    years = frame[column]
    return frame[(years >= lo) & (years <= hi)].reset_index(drop=True)


def with_sources(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Add each row's source title, publisher and full citation (joined on source_id)."""
    src = ds.sources.set_index("id")
    out = frame.copy()
    out["source_title"] = out["source_id"].map(src["title"])
    out["source_publisher"] = out["source_id"].map(src["publisher"])
    out["citation"] = out["source_id"].map(src["citation"])
    return out


def observations_view(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """Every observation in the range, with its source and citation: the full data table."""
    obs = filter_years(ds.observations, year_range)
    return with_sources(obs, ds).sort_values(["indicator", "year", "id"], ignore_index=True)


def trade_series(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """The bilateral trade figures (US$ bn) in the range, one row per figure as stated."""
    obs = ds.observations
    trade = filter_years(obs[obs["indicator"] == TRADE_INDICATOR], year_range)
    trade = with_sources(trade, ds).rename(columns={"value": "trade_usd_bn"})
    return trade.sort_values(["year", "id"], ignore_index=True)[
        [
            "id",
            "year",
            "trade_usd_bn",
            "qualifier",
            "reported_as",
            "year_basis",
            "year_note",
            "flag",
            "source_id",
            "source_title",
            "quote",
            "citation",
        ]
    ]
