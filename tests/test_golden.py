"""Golden outputs: what every view shows and lets a reader download, compared whole with the
reviewed copies in `tests/golden/`.

For each view of the registry and a set of year ranges and options, on the embedded package and
on it with the SYNTHETIC UN Comtrade fixtures imported, this computes the frame, the figure (every
trace, mark, colour, hover text and axis setting), the sentence that is the chart's accessible
name and, for the full range, the CSV, JSON and Excel downloads; and compares each with its
reviewed copy, reporting the first place where they part. The other tests check the numbers
against the documents' own words; these make any change to what a reader sees visible, so that a
change is made on purpose: the model is Our World in Data's grapher, whose SVG tester compares
every chart with a reviewed rendering.

After an intended change: `make golden` writes the copies again; review `git diff tests/golden`
and commit it with the change.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sinorus import charts, export, i18n, transform, views

GOLDEN = Path(__file__).resolve().parent / "golden"
FIX = Path(__file__).resolve().parent / "fixtures"
UPDATE = os.environ.get("SINORUS_GOLDEN") == "update"

# Year ranges shown on the embedded package: all of it, the documents' decade, one year, the
# documents' first years, only later reports, and years with nothing in them.
RANGES = {
    "full": None,
    "1997-2007": (1997, 2007),
    "2006": (2006, 2006),
    "1992-1997": (1992, 1997),
    "2010-2024": (2010, 2024),
    "1950-1960": (1950, 1960),
}
TRADE_OPTIONS = {
    "default": {},
    "log": {"log_scale": True},
    "no-events": {"show_events": False},
    "no-reports": {"show_reports": False},
    "no-record": {"show_official": False},
    "log-documents-only": {
        "log_scale": True,
        "show_official": False,
        "show_reports": False,
        "show_events": False,
    },  # fmt: skip
}
DOCUMENT_SLUGS = [slug for slug, v in views.VIEWS.items() if v.needs != "flows"]


def plain(value):
    """`value` as plain JSON: numbers to 12 significant digits (so the comparison is of what a
    reader sees, not of the last bit of a float), arrays (and Plotly's base64 typed arrays) as
    lists, NaN and NaT as None."""
    if isinstance(value, dict) and {"dtype", "bdata"} <= set(value):  # Plotly's typed array
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return plain(array.tolist())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Index, pd.Series)):
        return [plain(v) for v in list(value)]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return None if math.isnan(x) else float(f"{x:.12g}") if math.isfinite(x) else str(x)
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    return value if isinstance(value, str) else str(value)


def frame_record(frame: pd.DataFrame | None) -> dict | None:
    if frame is None:
        return None
    return {
        "columns": [str(c) for c in frame.columns],
        "dtypes": [str(t) for t in frame.dtypes],
        "rows": [plain(list(row)) for row in frame.itertuples(index=False)],
    }


def figure_record(fig) -> dict | None:
    """The figure without its template: every figure carries the house template whole (its
    colours, fonts, margins); it is checked here to be whole and compared once with its reviewed
    copy (`test_the_house_template`), so a change of font size is one reviewed diff, not 90."""
    if fig is None:
        return None
    record = plain(fig.to_dict())
    template = record.get("layout", {}).pop("template", None)
    assert template == _house_template(), "a figure that does not wear the house template"
    return record


def _house_template() -> dict:
    import plotly.io as pio

    return plain(pio.templates[charts.TEMPLATE].to_plotly_json())


def xlsx_record(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [plain(list(r)) for r in ws.iter_rows(values_only=True)] for ws in book}


def first_difference(got, want, path="$") -> str | None:
    """Where `got` first parts from `want`, in words (None when they are equal)."""
    if type(got) is not type(want) and not (
        isinstance(got, (int, float)) and isinstance(want, (int, float))
    ):
        return (
            f"{path}: {type(want).__name__} {want!r:.200} became {type(got).__name__} {got!r:.200}"
        )
    if isinstance(want, dict):
        for key in list(want) + [k for k in got if k not in want]:
            if key not in got:
                return f"{path}.{key}: missing (was {want[key]!r:.200})"
            if key not in want:
                return f"{path}.{key}: new ({got[key]!r:.200})"
            found = first_difference(got[key], want[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list):
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            found = first_difference(g, w, f"{path}[{i}]")
            if found:
                return found
        if len(got) != len(want):
            return f"{path}: {len(want)} items became {len(got)}"
        return None
    return None if got == want else f"{path}: {want!r:.300} became {got!r:.300}"


def check(name: str, record: dict) -> None:
    """Compare `record` with the golden copy `name` (or write it, under `make golden`)."""
    path = GOLDEN / f"{name}.json"
    got = json.loads(json.dumps(record))
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"no golden copy {path.name}: run `make golden` and review it"
    want = json.loads(path.read_text(encoding="utf-8"))
    difference = first_difference(got, want)
    assert difference is None, f"{name}: {difference}"


def view_record(ds, slug: str, year_range, options: dict, *, downloads: bool) -> dict:
    v = views.VIEWS[slug]
    frame = v.frame(ds, year_range, **options)
    record = {"range": list(year_range), "frame": frame_record(frame)}
    record["figure"] = figure_record(v.figure(ds, year_range, frame, **options))
    labels = views.source_labels(ds)
    if v.words.sentence is not None:
        record["described"] = v.describe(frame, year_range, labels)
    if v.words.rows is not None:
        record["table"] = frame_record(v.table(frame, labels))
    if downloads:
        record["csv"] = export.to_csv(frame).decode("utf-8")
        data = export.to_json(frame, ds.sources, v.title, tuple(year_range))
        record["json"] = json.loads(data)
        record["xlsx"] = xlsx_record(export.to_xlsx(frame, ds.sources, v.title))
        record["filename"] = export.filename(slug, tuple(year_range), "csv")
    return record


def _cases():
    for slug in DOCUMENT_SLUGS:
        for range_name in RANGES:
            options = TRADE_OPTIONS if slug == "trade-total" else {"default": {}}
            for option_name in options:
                yield pytest.param(
                    slug, range_name, option_name, id=f"{slug}-{range_name}-{option_name}"
                )


@pytest.mark.parametrize("slug, range_name, option_name", list(_cases()))
def test_view_on_the_embedded_package(ds, slug, range_name, option_name):
    year_range = RANGES[range_name] or views.VIEWS[slug].years(ds)
    options = TRADE_OPTIONS[option_name] if slug == "trade-total" else {}
    downloads = range_name == "full" and option_name == "default"
    record = view_record(ds, slug, year_range, options, downloads=downloads)
    check(f"embedded/{slug}/{range_name}-{option_name}", record)


IMPORTED_CASES = {
    "documents-and-imported-totals": [("full", (1990, 2025), {}), ("2020", (2020, 2020), {})],
    "direction": [("full", (1990, 2025), {}), ("2021", (2021, 2021), {})],
    "trade-total": [("full", (1990, 2025), {}), ("log", (1990, 2025), {"log_scale": True})],
    "claims-and-records": [("full", (1990, 2025), {})],
    "commodity-treemap": [
        (
            f"{year}-{flow}-{reporter}-{level}",
            (year, year),
            dict(year=year, flow=flow, reporter=reporter, level=level),
        )  # fmt: skip
        for year in (2020, 2021)
        for flow in ("china_exports", "china_imports")
        for reporter in ("CHN", "RUS")
        for level in ("section", "chapter")
    ],
    "commodity-area": [
        (
            f"{flow}-{reporter}-{level}",
            (1990, 2025),
            dict(flow=flow, reporter=reporter, level=level),
        )  # fmt: skip
        for flow in ("china_exports", "china_imports")
        for reporter in ("CHN", "RUS")
        for level in ("section", "chapter")
    ],
}


@pytest.mark.parametrize(
    "slug, name, year_range, options",
    [
        pytest.param(slug, name, year_range, options, id=f"{slug}-{name}")
        for slug, cases in IMPORTED_CASES.items()
        for name, year_range, options in cases
    ],
)
def test_view_with_imported_trade(merged, slug, name, year_range, options):
    record = view_record(merged, slug, year_range, options, downloads=name == "full")
    for key in ("csv", "json", "xlsx"):  # the temporary folder's name is in the file's path
        record.pop(key, None)
    check(f"imported/{slug}/{name}", record)


@pytest.mark.parametrize("log", [False, True], ids=["linear", "log"])
def test_trade_chart_of_grouped_marks(ds, log):
    """Over `MAX_MARKS` figures the time series draws one mark per (year, source, qualifier)
    with the count and the range: here forced with a limit of 1 on the embedded figures."""
    span = transform.documents_span(ds)
    trade = transform.trade_series(ds, span)
    # two more readings of 2006 by the same source, same qualifier (SYNTHETIC: 30 and 36): one
    # mark at the median with the range as an error bar
    extra = (
        trade[trade["year"] == 2006].iloc[[0, 0]].assign(trade_usd_bn=[30.0, 36.0], id=["x1", "x2"])
    )
    trade = pd.concat([trade, extra], ignore_index=True)
    marks = transform.trade_marks(trade, max_marks=1)
    fig = charts.trade_timeseries(
        trade,
        transform.trade_by_year(ds, span),
        transform.events_in_range(ds, span),
        log=log,
        source_labels=views.source_labels(ds),
        marks=marks,
    )
    check(
        f"grouped-marks/{'log' if log else 'linear'}",
        {"marks": frame_record(marks), "figure": figure_record(fig)},
    )


def words_record(ds, slug: str, year_range, options: dict) -> dict:
    """What a reader reads of one view: its heading, notes and layers' sentences, the sentence
    that describes it and its table, in the language in force."""
    v = views.VIEWS[slug]
    frame = v.frame(ds, year_range, **options)
    fig = v.figure(ds, year_range, frame, **options)
    labels = views.source_labels(ds)
    record = {"header": charts.header(fig) if fig is not None else None}
    if v.words.sentence is not None:
        record["described"] = v.describe(frame, year_range, labels)
    if v.words.rows is not None:
        table = v.table(frame, labels)
        record["table"] = {"columns": [str(c) for c in table.columns], "rows": plain(table.values)}
    return record


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_every_views_words_in_each_language(ds, merged, lang):
    """Every view's heading, sentence and table in English, Chinese and Russian, for the
    documents' years and for all years, on the embedded package and with imported trade: the
    translated templates with their figures slotted in, reviewed whole in
    `tests/golden/words/LANG.json`."""
    record = {}
    with i18n.using(lang):
        for slug in DOCUMENT_SLUGS:
            for name, year_range in (("documents", (1992, 2007)), ("full", None)):
                year_range = year_range or views.VIEWS[slug].years(ds)
                record[f"embedded/{slug}/{name}"] = words_record(ds, slug, year_range, {})
        for slug, cases in IMPORTED_CASES.items():
            name, year_range, options = cases[0]
            record[f"imported/{slug}/{name}"] = words_record(merged, slug, year_range, options)
    check(f"words/{lang}", record)


def test_the_house_template():
    """The template every figure wears (colours, fonts, margins, hover), reviewed once."""
    check("template", _house_template())
