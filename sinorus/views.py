"""The one registry of what the app shows: every chart and table, by slug.

A view is one frame function (the rows, for a year range and the chart's options), optionally one
figure factory (drawn from that very frame), the words of its text alternative, and how a year
range applies to its full-span frame (what the "use this data in code" snippets do). Downloads,
bundles, static files, snippets and text alternatives all follow from this registry, whatever the
data's origin (the documents, later reports, imported or fetched trade). A new chart is one frame
function, one figure factory and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sinorus import alttext, charts, flow_charts, flows, layers, record, reports, transform
from sinorus.i18n import N_, _
from sinorus.importers.common import COMTRADE_FAMILY
from sinorus.load import Dataset

YearRange = tuple[int, int]


@dataclass(frozen=True)
class View:
    slug: str
    #: Its title and description, English messages (N_): `_()` where they are shown; a
    #: download's data stays English.
    title: str
    description: str
    build: Callable[..., pd.DataFrame]  # (ds, year_range, **options) -> frame
    #: How a year range applies to the full-span frame: "year" (rows whose `year` is in it),
    #: "period" (`from_year` and `to_year` both in it), "date" (ISO `date` in it), "none" (not
    #: limited by year), "computed" (a count over the range, recomputed from the tables).
    year_filter: str
    #: The optional table the view needs: "gdp", "flows" (imported trade), "reports" or "official".
    needs: str | None = None
    draw: Callable[..., object] | None = None  # (ds, year_range, frame, **options) -> figure
    #: Its sentence (the chart's accessible name) and its table in readers' words.
    words: alttext.Words = alttext.ROWS
    #: Whether the package's own file of it is published (static URL, code snippets). Imported
    #: trade is drawn per reader (uploads are private), so it is not.
    published: bool = True
    #: The years its rows can cover (ds) -> (first, last): its "full table" (bundles, published
    #: file, `sinorus export`). Default: the documents' years (`transform.documents_span`).
    span: Callable[[Dataset], YearRange | None] | None = None

    def frame(self, ds: Dataset, year_range: YearRange, **options) -> pd.DataFrame:
        """The frame the app shows and downloads for `year_range`."""
        return self.build(ds, tuple(year_range), **options)

    def figure(self, ds: Dataset, year_range: YearRange, frame: pd.DataFrame, **options):
        """The chart drawn from `frame` (None for a table, or when there is nothing to draw)."""
        if self.draw is None:
            return None
        return self.draw(ds, tuple(year_range), frame, **options)

    def describe(
        self, frame: pd.DataFrame, year_range: YearRange, labels: dict | None = None
    ) -> str:
        """One or two sentences stating what the chart shows for `frame` (its own frame)."""
        return self.words.describe(frame, tuple(year_range), labels)

    def table(self, frame: pd.DataFrame, labels: dict | None = None) -> pd.DataFrame | None:
        """`frame`'s rows with readers' headers and words, or None (no table, or no rows)."""
        return self.words.table(frame, labels)

    def years(self, ds: Dataset) -> YearRange:
        """The years this view's full table covers (the documents' years if it has none)."""
        own = (self.span or transform.documents_span)(ds)
        return tuple(own) if own else transform.documents_span(ds)

    def available(self, ds: Dataset) -> bool:
        if self.needs == "gdp":
            return ds.gdp is not None
        if self.needs == "flows":
            return ds.trade_flows is not None and len(ds.trade_flows) > 0
        if self.needs == "reports":
            return ds.reports is not None
        if self.needs == "official":
            return ds.official is not None and len(ds.official) > 0
        return True


def source_labels(ds: Dataset) -> dict[str, str]:
    """Each source's short label, e.g. 'Voice of America (VOA News), Aug 2007'."""
    return {
        row.id: charts.source_label(row.publisher, row.published) for row in ds.sources.itertuples()
    }


def _plain(function):
    """A frame function of (ds, year_range) as a view's build (options are the figure's)."""
    return lambda ds, year_range, **_options: function(ds, year_range)


def _draw_trade(ds: Dataset, year_range, frame: pd.DataFrame, log_scale: bool = False, **_options):
    """The trade chart from its frame alone (`layers.trade_frame`): None when the frame has no
    rows. Each context layer drawn is told in a sentence of the chart's header."""
    if frame.empty:
        return None
    fig = charts.trade_chart(frame, log=log_scale)
    record = layers.layer(frame, "official")
    if len(record):
        words = alttext.record_sentence(record)
        charts.describe_layer(fig, _("Lines: {sentence}").format(sentence=_lowered(words)))
    reports_rows = layers.layer(frame, "reports")
    if len(reports_rows):
        words = alttext.REPORTS.describe(reports_rows, tuple(year_range))
        charts.describe_layer(
            fig,
            _("Grey squares: {sentence} {note}").format(
                sentence=_lowered(words), note=_(charts.REPORTS_NOTE)
            ),
        )
    imported = layers.layer(frame, "imported")
    if len(imported):
        fig = flow_charts.overlay_imported_totals(fig, _as_totals(imported))
    return fig


def _lowered(sentence: str) -> str:
    """A sentence continued after a colon: its first letter in lower case."""
    return sentence[:1].lower() + sentence[1:]


def _as_totals(imported: pd.DataFrame) -> pd.DataFrame:
    """A trade frame's `imported` rows in the shape of `flows.totals_frame`."""
    return imported.assign(
        kind="imported", value_usd_bn=imported["trade_usd_bn"], ids=imported["id"]
    )


def labelled(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """`frame` with each row's source as readers name it (`source_label`, from its
    `source_id`): what its figure's legend and notes say, so drawing needs nothing else."""
    names = source_labels(ds)
    return frame.assign(source_label=frame["source_id"].map(names).fillna(frame["source_id"]))


def frame_labels(frame: pd.DataFrame) -> dict[str, str]:
    """source_id -> source_label, from a frame's own columns."""
    if "source_label" not in frame:
        return {}
    return dict(zip(frame["source_id"], frame["source_label"], strict=True))


def _claims(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    """Every claim in the range (the documents' trade figures, the later reports' US$ figures)
    beside each official reading of its year: the IMF record, China- and Russia-reported, and
    each reporter's imported UN Comtrade total when flows are imported."""
    lo, hi = year_range
    trade = transform.trade_series(ds, year_range)
    reps = ds.reports
    if reps is not None:
        reps = reps[(reps["year"] >= lo) & (reps["year"] <= hi)]
    said = record.claims(trade, reps, source_labels(ds), charts.source_label)
    imported = None
    if ds.trade_flows is not None and len(ds.trade_flows):
        totals = flows.totals_frame(ds, year_range)
        if len(totals):
            family = totals["series_id"].astype(str).str.split(":").str[0]  # 'un-comtrade:CHN'
            imported = record.imported_readings(
                totals[(totals["kind"] == "imported") & (family == COMTRADE_FAMILY)]
            )
    readings = record.readings(ds.official, _record_label(ds), imported)
    return record.against_record(said, readings, reports.written_dates(trade, ds.sources))


def _record_label(ds: Dataset) -> str:
    """The official record as a reader names it: 'IMF DOTS'."""
    if ds.official is None or ds.official.empty:
        return ""
    return "IMF DOTS"


def _events(ds: Dataset, year_range: YearRange) -> pd.DataFrame:
    # the app drops the helper `year` column from the events download
    return transform.events_in_range(ds, year_range).drop(columns=["year"])


def _treemap(ds, year_range, *, year, flow, reporter, level="section", family=None, **_options):
    return flows.commodity_frame(ds, year, flow, reporter, top_n=10, level=level, family=family)


def _area(ds, year_range, *, flow, reporter, level="section", family=None, **_options):
    return flows.commodity_over_time(
        ds, year_range, flow, reporter, top_n=8, level=level, family=family
    )


def _figure(factory):
    """A figure factory of the frame alone as a view's draw."""
    return lambda ds, year_range, frame, **_options: factory(frame)


_DOCUMENT_VIEWS = (
    View(
        "trade-total",
        N_("China–Russia trade, US$ billion"),
        N_(
            "Every row the trade chart draws, in billions of current US dollars, its `layer` saying "
            "what it is: each figure the two documents state (one row per figure as stated, a year "
            "may have two readings, with its qualifier, how its year was read and the verbatim "
            "sentence); the official record (IMF Direction of Trade Statistics), one row per "
            "reporter and year, its exports FOB + imports CIF as it reports them (China-reported and "
            "Russia-reported are two readings, never added together); each later report's figure; "
            "imported totals when there are any; and the dated events the documents name."
        ),
        layers.trade_frame,
        "year",
        draw=_draw_trade,
        words=alttext.TRADE,
        span=layers.span,
    ),
    View(
        "growth",
        N_("Growth between successive trade figures"),
        N_(
            "The change between each pair of successive years that have trade figures: absolute "
            "change, multiple and compound annual growth rate (CAGR). Where a year has several "
            "readings their median is used. Derived from the trade figures, so as approximate as "
            "the figures they rest on."
        ),
        _plain(transform.growth_periods),
        "period",
        draw=_figure(charts.growth_waterfall),
        words=alttext.GROWTH,
    ),
    View(
        "share-of-china-trade",
        N_("China–Russia trade as a share of China's total trade"),
        N_(
            "The stated share of China's total trade, the same year's trade figure, and China's "
            "total trade that the two imply (trade / share): as approximate as the share."
        ),
        _plain(transform.share_of_china_trade),
        "year",
        draw=_figure(charts.share_bar),
        words=alttext.SHARE,
    ),
    View(
        "trade-to-gdp",
        N_("China–Russia trade relative to GDP"),
        N_(
            "Bilateral trade as a percentage of China's and of Russia's GDP (World Bank, current "
            "US$), for the years that have both a trade figure and a GDP value."
        ),
        _plain(transform.trade_to_gdp),
        "year",
        needs="gdp",
        draw=_figure(charts.trade_gdp_bars),
        words=alttext.GDP,
    ),
    View(
        "source-contributions",
        N_("Figures per source and indicator"),
        N_("How many figures each source gives for each indicator within the year range."),
        _plain(transform.source_contributions),
        "computed",
        # labelled by each source's title, a column of its frame (the published file's and
        # the code snippets' columns stay those of the package)
        draw=_figure(charts.source_bars),
        words=alttext.CONTRIBUTIONS,
    ),
    View(
        "trade-makeup",
        N_("What the texts say the trade is made of"),
        N_(
            "What China buys from and sells to Russia, and where the two sides cooperate, in the "
            "documents' words: statements only, the texts give no figures. Not limited by year."
        ),
        lambda ds, _year_range, **_options: transform.trade_makeup(ds),
        "none",
    ),
    View(
        "events",
        N_("Events named in the texts"),
        N_(
            "The dated events the two documents name, with the date as precise as the text "
            "allows, whether it had been held or was still scheduled, and the sentence."
        ),
        _plain(_events),
        "date",
    ),
    View(
        "observations",
        N_("China–Russia trade observations"),
        N_(
            "Every figure the two documents state, every indicator, one row per figure as stated, "
            "with its qualifier, how its year was read, any doubt flag, its source and the "
            "verbatim sentence."
        ),
        _plain(transform.observations_view),
        "year",
    ),
)

_REPORT_VIEWS = (
    View(
        "later-reports",
        N_("Later reports: China–Russia trade, US$ billion"),
        N_(
            "What later news reports and customs releases give as a full year's China–Russia trade, "
            "in billions of US dollars: one row per figure a report gives (a year can have several, "
            "from different reports or customs services; never averaged), with its qualifier, the "
            "words as reported, whose statistics, the publisher, date and address, and the restated "
            "text it was read from. A cited layer beside the documents' figures: the texts are "
            "restated in our words; the originals remain their publishers'."
        ),
        _plain(transform.later_reports),
        "year",
        needs="reports",
        words=alttext.REPORTS,
        span=transform.reports_span,
    ),
    View(
        "claims-and-records",
        N_(
            "Claims against the record: the documents' and later reports' figures beside the official record"
        ),
        N_(
            "Each trade figure the two 2007 documents state and each US$ figure later reports give "
            "(totals, China's exports and imports), beside the official record's readings for the "
            "same year: China-reported and Russia-reported (IMF Direction of Trade Statistics; and "
            "each reporter's UN Comtrade total, when imported), never added together. One row per "
            "(claim, reading) pair, with the gap in percent, (claim - reading) / reading x 100; a "
            "claim more than 5% from every reading, or with a problem known at its source, is "
            "flagged, with the reason where one is known. Nothing is averaged, dropped or edited."
        ),
        _plain(_claims),
        "year",
        needs="official",
        draw=lambda ds, yr, frame, **_options: charts.claims_chart(frame),
        words=alttext.CLAIMS,
        span=transform.year_span,  # the documents', the record's and the reports' years
    ),
)

_IMPORTED_VIEWS = (
    View(
        "documents-and-imported-totals",
        N_("Documents' figures and imported totals"),
        N_(
            "The documents' trade figures as stated and the imported totals (per dataset and "
            "reporter, exports + imports; or a total as an imported table states it), as separate "
            "series: never summed with one another."
        ),
        _plain(flows.totals_frame),
        "year",
        needs="flows",
        draw=_figure(flow_charts.totals_chart),
        words=alttext.TOTALS,
        published=False,
    ),
    View(
        "direction",
        N_("China's exports to and imports from Russia, by reporter"),
        N_(
            "China's exports to and imports from Russia per year as each reporter states them "
            "(mirror figures: imports CIF, exports FOB), and the balance within one reporter."
        ),
        _plain(flows.direction_frame),
        "year",
        needs="flows",
        draw=_figure(flow_charts.direction_chart),
        words=alttext.DIRECTION,
        published=False,
    ),
    View(
        "commodity-treemap",
        N_("Trade by commodity (HS), one year"),
        N_(
            "One year's trade in one direction, as one reporter states it, by HS section or "
            "chapter: the largest and 'other'."
        ),
        _treemap,
        "year",
        needs="flows",
        draw=_figure(flow_charts.commodity_treemap),
        words=alttext.COMMODITIES,
        published=False,
    ),
    View(
        "commodity-area",
        N_("Trade by commodity (HS) over time"),
        N_(
            "Trade in one direction, as one reporter states it, by HS section or chapter per year: "
            "the largest over the range and 'other'."
        ),
        _area,
        "year",
        needs="flows",
        draw=_figure(flow_charts.commodity_area),
        words=alttext.COMMODITIES,
        published=False,
    ),
)

VIEWS: dict[str, View] = {v.slug: v for v in _DOCUMENT_VIEWS + _REPORT_VIEWS + _IMPORTED_VIEWS}


def view(slug: str) -> View:
    try:
        return VIEWS[slug]
    except KeyError:
        raise ValueError(f"unknown view '{slug}' (expected one of: {', '.join(VIEWS)})") from None
