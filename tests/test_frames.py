"""A figure is drawn from its frame alone: for every registered view and several year ranges,
the marks the figure holds, trace by trace, are the frame's rows (counts and values), and a
download is offered whenever a mark is drawn (the page disables its buttons on `frame.empty`,
`sinorus.ui.widgets.downloads`, so "enabled" is "the frame has rows")."""

import html
import math
import re
from collections import Counter

import pytest

from sinorus import layers, views

#: The documents' years, the whole slider, the years after the documents, and years before any.
RANGES = [(1992, 2007), (1992, 2024), (2008, 2024), (1980, 1985)]
#: Options of the imported views that need them (the synthetic Comtrade fixture's years).
OPTIONS = {
    "commodity-treemap": {"year": 2020, "flow": "china_imports", "reporter": "CHN"},
    "commodity-area": {"flow": "china_imports", "reporter": "CHN"},
}


def data_traces(fig) -> list:
    """The traces that draw data: not a connector or label layer skipped by hover."""
    return [t for t in fig.data if t.hoverinfo != "skip"]


def points(trace) -> list:
    """A trace's values (y, or x for horizontal bars, or a pie's values)."""
    if trace.type == "pie":
        return list(trace.values)
    if trace.type == "treemap":  # its root (the whole, of value 0 under "remainder") is no mark
        return [v for v, parent in zip(trace.values, trace.parents, strict=True) if parent]
    if trace.type == "bar" and trace.orientation == "h":
        return list(trace.x)
    return list(trace.y)


def close(a, b) -> bool:
    """The same values; a gap a line breaks at (NaN or None among the drawn values) is no mark."""
    drawn = [float(v) for v in a if v is not None and not math.isnan(float(v))]
    return sorted(round(v, 6) for v in drawn) == sorted(round(float(v), 6) for v in b)


def check_trade(frame, fig):
    # a long legend entry is wrapped with <br> (after a space or a hyphen): the same words
    def bare(name) -> str:
        return re.sub(r"<br>|\s", "", html.unescape(str(name)))

    by_series = {bare(t.name): t for t in data_traces(fig)}
    series = [bare(s) for s in dict.fromkeys(frame["series"])]
    imported = {bare(s) for s in layers.layer(frame, "imported")["series"]}
    assert {s for s in series if s not in imported} <= set(by_series), (series, list(by_series))
    for name, trace in by_series.items():
        rows = frame[frame["series"].map(bare) == name]
        if not len(rows):  # an imported series is named shorter on the chart (esc(series, 60))
            rows = frame[frame["series"].map(bare).str.startswith(name.rstrip("…"))]
        if (rows["layer"] == "events").all():
            assert len(rows) == len(trace.x), name
            continue
        marks = [y for y in points(trace) if y is not None and not math.isnan(float(y))]
        assert len(rows) == len(marks), name
        assert close(points(trace), rows["trade_usd_bn"]), name


def check_growth(frame, fig):
    (trace,) = data_traces(fig)
    assert len(trace.x) == len(frame) + 2  # the first figure, each step, the last as a total
    assert trace.y[0] == frame["from_usd_bn"].iloc[0]
    assert close(trace.y[1:-1], frame["change_usd_bn"])


def check_share(frame, fig):
    pies = data_traces(fig)
    assert len(pies) == len(frame)
    assert close([p.values[0] for p in pies], frame["share_percent"])


def check_gdp(frame, fig):
    for trace in data_traces(fig):
        rows = frame[frame["country"] == trace.name]
        assert len(rows) == len(trace.x)
        assert close(trace.y, rows["trade_pct_of_gdp"])


def check_contributions(frame, fig):
    drawn = [v for t in data_traces(fig) for v in points(t)]
    assert close(drawn, frame["figures"])


def check_claims(frame, fig):
    """One mark per (claim, reading) pair with a gap, in the trace of its layer and reporter."""
    read = frame[frame["gap_pct"].notna()]
    traces = data_traces(fig)
    assert sum(len(t.x) for t in traces) == len(read)
    for trace in traces:
        who = "documents" if "documents" in trace.name else "reports"
        reporter = "CHN" if "China-reported" in trace.name else "RUS"
        rows = read[(read["layer"] == who) & (read["reporter"] == reporter)]
        rows = rows[(rows["record"] == "imported") == ("imported" in trace.name)]
        assert close(trace.y, rows["gap_pct"]), trace.name


def check_totals(frame, fig):
    drawn = [v for t in data_traces(fig) for v in points(t)]
    assert close(drawn, frame["value_usd_bn"])


def check_treemap(frame, fig):
    (trace,) = data_traces(fig)
    assert close(points(trace), frame["value_usd_bn"])


def check_area(frame, fig):
    drawn = [v for t in data_traces(fig) for v in points(t)]
    assert close(drawn, frame["value_usd_bn"])


CHECKS = {
    "trade-total": check_trade,
    "growth": check_growth,
    "share-of-china-trade": check_share,
    "trade-to-gdp": check_gdp,
    "source-contributions": check_contributions,
    "claims-and-records": check_claims,
    "documents-and-imported-totals": check_totals,
    "direction": check_totals,  # the same: every point drawn is a value_usd_bn
    "commodity-treemap": check_treemap,
    "commodity-area": check_area,
}


def test_every_drawn_view_has_a_check():
    drawn = {slug for slug, v in views.VIEWS.items() if v.draw is not None}
    assert drawn == set(CHECKS)


@pytest.mark.parametrize("year_range", RANGES, ids=lambda r: f"{r[0]}-{r[1]}")
@pytest.mark.parametrize("slug", sorted(CHECKS))
def test_marks_are_the_frames_rows(ds, merged, slug, year_range):
    for data in (ds, merged):
        v = views.view(slug)
        if not v.available(data):
            continue
        options = OPTIONS.get(slug, {})
        frame = v.frame(data, year_range, **options)
        fig = v.figure(data, year_range, frame, **options)
        drawn = 0 if fig is None else sum(len(points(t)) for t in data_traces(fig))
        if drawn:
            assert not frame.empty, "a mark is drawn, so its download must be enabled"
            CHECKS[slug](frame, fig)
        else:
            assert frame.empty or slug == "trade-total" and set(frame["layer"]) <= {"events"}


@pytest.mark.parametrize("year_range", RANGES, ids=lambda r: f"{r[0]}-{r[1]}")
def test_trade_frame_holds_every_layer_drawn(ds, year_range):
    frame = views.view("trade-total").frame(ds, year_range)
    counts = Counter(frame["layer"])
    lo, hi = year_range
    in_range = ds.reports is not None and ((ds.reports["year"] >= lo) & (ds.reports["year"] <= hi)).any()  # fmt: skip
    assert (counts["reports"] > 0) == bool(in_range)
    official_years = set(ds.official["year"])
    assert counts["official"] == 2 * len(official_years & set(range(lo, hi + 1)))


def test_2008_to_2024_draws_and_downloads_the_record_and_the_reports(ds):
    frame = views.view("trade-total").frame(ds, (2008, 2024))
    assert Counter(frame["layer"]) == {"official": 26, "reports": 53}
    fig = views.view("trade-total").figure(ds, (2008, 2024), frame)
    names = [html.unescape(t.name) for t in data_traces(fig)]
    assert names == [
        "China-reported total (IMF DOTS)",
        "Russia-reported total (IMF DOTS)",
        "later reports (context)",
    ]


def test_each_layer_switch_takes_its_rows_out_of_the_frame_and_the_figure(ds):
    v = views.view("trade-total")
    every = v.frame(ds, (1992, 2024))
    for option, layer in (("show_official", "official"), ("show_reports", "reports"), ("show_events", "events")):  # fmt: skip
        frame = v.frame(ds, (1992, 2024), **{option: False})
        assert layer not in set(frame["layer"])
        assert len(frame) == len(every) - (every["layer"] == layer).sum()
        fig = v.figure(ds, (1992, 2024), frame, **{option: False})
        check_trade(frame, fig)


def test_the_record_is_two_readings_never_added(ds):
    frame = views.view("trade-total").frame(ds, (2007, 2007))
    record = layers.layer(frame, "official").set_index("reporter")
    assert round(record.at["CHN", "trade_usd_bn"], 2) == 48.11
    assert round(record.at["RUS", "trade_usd_bn"], 2) == 40.31
    assert (record["valuation"] == "exports FOB + imports CIF").all()
    fig = views.view("trade-total").figure(ds, (2007, 2007), frame)
    lines = [t for t in fig.data if t.name.endswith("-reported total (IMF DOTS)")]
    assert len(lines) == 2
    assert all("reported (exports FOB + imports CIF)" in t.customdata[0][1] for t in lines)


def test_the_chart_says_where_the_record_ends(ds):
    fig = views.view("trade-total").figure(ds, (1992, 2024), views.view("trade-total").frame(ds, (1992, 2024)))  # fmt: skip
    notes = [a.text for a in fig.layout.annotations]
    assert any("official record ends 2020" in n for n in notes)
    inside = views.view("trade-total").frame(ds, (1992, 2007))
    fig = views.view("trade-total").figure(ds, (1992, 2007), inside)
    assert not any("record ends" in (a.text or "") for a in fig.layout.annotations)


@pytest.mark.parametrize("year_range", [*RANGES, (1995, 1995), (2001, 2013)], ids=lambda r: f"{r[0]}-{r[1]}")  # fmt: skip
@pytest.mark.parametrize("shown", [(True, True, True), (True, False, True), (False, True, False)])
def test_a_ranges_trade_frame_is_its_layers_built_for_that_range_alone(ds, year_range, shown):
    """The frame of a range is a slice of one built for every year (a range change rebuilds
    nothing): row for row and type for type what the range's own layers make."""
    import pandas as pd

    official, reports, events = shown
    names = layers.labels(ds)
    parts = [layers.documents(ds, year_range, names)]
    parts += [layers.official(ds, year_range, names)] if official else []
    parts += [layers.later_reports(ds, year_range)] if reports else []
    parts += [layers.events(ds, year_range, names)] if events else []
    parts = [p.reindex(columns=layers.COLUMNS) for p in parts if len(p)]
    expected = pd.DataFrame(columns=layers.COLUMNS) if not parts else pd.concat(parts, ignore_index=True)  # fmt: skip
    got = layers.trade_frame(ds, year_range, show_official=official, show_reports=reports, show_events=events)  # fmt: skip
    assert list(got["layer"]) == list(expected["layer"]) and list(got["id"]) == list(expected["id"])
    assert got.index.equals(pd.RangeIndex(len(expected)))
    pd.testing.assert_frame_equal(got, layers._typed(expected))
