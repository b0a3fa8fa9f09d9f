"""The later reports as a cited layer beside the documents' figures (issue: "After 2007").

The layer is drawn, downloaded and exported through the registry (`later-reports`, and
`claims-and-records` beside it); the documents' headline, growth and share never see it.
"""

import dataclasses
import io
import json
import zipfile

import frictionless
import pandas as pd
import pytest

from sinorus import bundle, charts, export, reports, transform, views
from sinorus.cli import main

DOCS = (1992, 2007)
WIDE = (1992, 2024)


@pytest.fixture(scope="module")
def bare(ds):
    """The same package without its reports table."""
    return dataclasses.replace(ds, reports=None)


def figure(ds, year_range=DOCS, **options):
    """The trade chart as the page draws it: from its frame for these options alone."""
    v = views.view("trade-total")
    frame = v.frame(ds, year_range, **options)
    return v.figure(ds, year_range, frame, **options)


def layer_traces(fig):
    return [t for t in fig.data if t.name == charts.REPORTS_LEGEND]


def hover_texts(trace) -> dict[str, str]:
    """Report id -> its hover text, as Plotly fills the trace's template from `customdata`."""
    out = {}
    for parts in trace.customdata:
        text = trace.hovertemplate
        for i, part in enumerate(parts):
            text = text.replace(f"%{{customdata[{i}]}}", part)
        out[parts[0]] = text
    return out


# --- the documents' figures never rest on a report ---------------------------------------------


@pytest.mark.parametrize("year_range", [DOCS, WIDE, (2000, 2024), (2008, 2024)])
def test_no_report_enters_the_headline_growth_or_share(ds, bare, year_range):
    assert transform.headline(ds, year_range) == transform.headline(bare, year_range)
    mine = transform.headline_frame(ds, year_range)  # the reports' own row names its report
    theirs = mine[mine["whose"] == transform.REPORT]
    assert len(theirs) == (transform.report_headline(ds, year_range) is not None)
    pd.testing.assert_frame_equal(
        mine[mine["whose"] != transform.REPORT], transform.headline_frame(bare, year_range)
    )
    for frame in (
        transform.growth_periods,
        transform.share_of_china_trade,
        transform.trade_by_year,
        transform.trade_series,
        transform.trade_to_gdp,
        transform.source_contributions,
    ):
        pd.testing.assert_frame_equal(frame(ds, year_range), frame(bare, year_range))
    report_ids = set(ds.reports["id"])
    ids = " ".join(mine[mine["whose"] != transform.REPORT][["from_ids", "to_ids"]].stack())
    assert not any(rid in ids for rid in report_ids)


def test_headline_over_the_whole_slider_is_the_documents(ds):
    head = transform.headline(ds, WIDE)
    assert (head["first_year"], head["latest_year"]) == (1992, 2007)
    assert head["latest_usd_bn"] == 40.0 and head["figures"] == 5
    assert transform.headline(ds, (2008, 2024)) is None  # the documents' part has no figure
    record = transform.record_headline(ds, (2008, 2024))
    assert (record["first_year"], record["latest_year"]) == (2008, 2020)
    assert (
        round(record["latest_usd_bn"], 2) == 107.7 and round(record["russia_usd_bn"], 2) == 104.49
    )
    assert transform.report_headline(ds, (2008, 2024))["year"] == 2024


# --- the layer on the trade chart --------------------------------------------------------------


def test_one_trace_for_the_layer_and_the_documents_stay_the_subject(ds):
    off, on = figure(ds, show_reports=False), figure(ds)
    assert len(on.data) == len(off.data) + 1  # one trace, however many reports
    (layer,) = layer_traces(on)
    assert len(layer.x) == len(transform.later_reports(ds, DOCS)) == 21
    assert not layer_traces(off)
    assert charts.header(on)["title"] == charts.header(off)["title"]
    # drawn under the documents' marks, listed after them in the legend, muted, another shape
    names = [t.name for t in on.data]
    sources = [n for n in names if n in views.source_labels(ds).values()]
    assert len(sources) == 2
    assert all(names.index(charts.REPORTS_LEGEND) < names.index(s) for s in sources)
    assert layer.legendrank > max((t.legendrank or 1000) for t in on.data if t.name in sources)
    assert layer.marker.color == charts.REPORT_COLOUR and layer.marker.size < 12
    assert set(layer.marker.symbol) == {"square", "square-open"}
    documents = {s for t in on.data if t.name in sources for s in t.marker.symbol}
    assert not documents & set(layer.marker.symbol)


def test_layer_over_the_whole_slider(ds):
    fig = figure(ds, WIDE)
    (layer,) = layer_traces(fig)
    assert len(layer.x) == 74 and max(layer.y) == pytest.approx(244.81)
    lo, hi = fig.layout.xaxis.range
    assert lo < 1992 and hi > 2024
    assert len(fig.data) == len(figure(ds, WIDE, show_reports=False).data) + 1


def test_layer_hover_gives_publisher_date_words_measure_and_link(ds):
    (layer,) = layer_traces(figure(ds))
    hover = hover_texts(layer)
    text = hover["r04-1997-total"]
    for words in (
        "US$6.12 bn in 1997",
        "“US$6.12 billion in 1997”",
        "China's customs (GACC)",
        "People's Daily Online",
        "30 Apr 2000",
        "http://en.people.cn/english/200004/30/print20000430_40067.html",
    ):
        assert words in text.replace("<br>", ""), words
    assert "at least US$7 bn in 1993" in hover["r01-1993-total"]


def test_layer_hover_is_escaped():
    frame = pd.DataFrame(
        [
            dict(
                id="x", year=2010, trade_usd_bn=5.0, qualifier="exact", kind="observation",
                reported_as="<script>alert(1)</script>", measured_by="<b>m</b>",
                publisher="<img src=x onerror=alert(1)>", published="2011", url="https://e.org/",
                text="reports/x.txt", note="",
            )
        ]
    )  # fmt: skip
    (hover,) = hover_texts(charts.reports_layer(frame)).values()
    assert "<script>" not in hover and "<img" not in hover and "<b>m</b>" not in hover
    assert "&lt;script&gt;" in hover


def test_layer_sentence_in_the_charts_header_and_picture_notes(ds):
    fig = figure(ds)
    (record, sentence) = charts.header(fig)["layers"]
    assert record.startswith("Lines: the official record")
    assert sentence.startswith("Grey squares: later reports give 21 figures for 1993–2007")
    assert "the headline names whose each figure is" in sentence.lower()
    picture = charts.with_header(fig, footer=["Source: x"])
    assert "Grey squares" in picture.layout.title.subtitle.text
    assert not charts.header(figure(ds, show_reports=False, show_official=False))["layers"]


def test_range_without_documents_draws_the_record_and_the_layer(ds):
    record = ["China-reported total (IMF DOTS)", "Russia-reported total (IMF DOTS)"]
    fig = figure(ds, (2010, 2020))
    assert [t.name for t in fig.data] == record + [charts.REPORTS_LEGEND]
    assert [t.name for t in figure(ds, (2010, 2020), show_reports=False).data] == record
    assert figure(ds, (2010, 2020), show_reports=False, show_official=False) is None  # empty
    frame = views.view("trade-total").frame(ds, (2010, 2020))
    assert views.view("trade-total").describe(frame, (2010, 2020)) == (
        "The documents give no trade figures in this range: the official record and later "
        "reports are drawn."
    )
    (record, _reports) = charts.header(fig)["layers"]  # each layer told in its own sentence
    assert record.startswith(
        "Lines: the official record (IMF Direction of Trade Statistics) gives China-reported "
        "US$55.4 bn in 2010 to US$107.7 bn in 2020"
    )


def test_log_scale_covers_the_layer(ds):
    fig = figure(ds, WIDE, log_scale=True)  # the record's lowest (Russia-reported 1994) is 3.8
    assert list(fig.layout.yaxis.ticktext) == ["2", "5", "10", "20", "50", "100", "200", "500"]


def test_without_reports_table_the_chart_is_unchanged(bare, ds):
    assert not layer_traces(figure(bare))
    assert [t.name for t in figure(bare).data] == [t.name for t in figure(ds, show_reports=False).data]  # fmt: skip
    assert not views.view("later-reports").available(bare)


# --- the layer's own view: frame, downloads, bundle, CLI -------------------------------------


def test_later_reports_view_through_the_registry(ds):
    v = views.view("later-reports")
    assert v.years(ds) == (1993, 2024) and v.published and v.needs == "reports"
    frame = v.frame(ds, (2018, 2018))
    assert sorted(frame.trade_usd_bn) == [100.0, 107.0, 107.06, 109.0]  # never averaged
    assert list(frame.columns) == reports.SERIES_COLUMNS
    assert (frame.year == 2018).all()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_layer_download_cites_the_reports_not_the_documents(ds, fmt):
    v = views.view("later-reports")
    frame = v.frame(ds, (2006, 2008))
    data = export.render(fmt, frame, ds.sources, v.title, (2006, 2008))
    if fmt == "csv":
        got = pd.read_csv(io.BytesIO(data))
        assert list(got.id) == list(frame.id) and list(got.trade_usd_bn) == list(frame.trade_usd_bn)
        return
    if fmt == "json":
        doc = json.loads(data)
        cited = pd.DataFrame(doc["sources"])
        assert [r["id"] for r in doc["data"]] == list(frame.id)
    else:
        cited = pd.read_excel(io.BytesIO(data), sheet_name="sources")
    assert not {"voa-2007-08", "eai-bb346"} & set(cited.id)
    assert set(cited.url) == set(frame.url)
    assert cited.license.str.contains("restated in our own words").all()


def test_layer_bundle_says_what_it_is_and_validates(ds, tmp_path):
    name, data = bundle.bundle_for(ds, "later-reports", (2006, 2008))
    assert name == "sinorus-later-reports-2006-2008.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(tmp_path)
        readme = zf.read("README.md").decode()
    assert "Every figure is one a later report gives" in readme
    assert "Every figure comes from one of two documents" not in readme
    assert "PortNews" in readme and "restated in our own words" in readme
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "zip"])
def test_cli_exports_the_layer(ds, tmp_path, fmt, capsys):
    out = tmp_path / f"layer.{fmt}"
    assert main(["export", "--layer", "reports", "--format", fmt, "-o", str(out)]) == 0
    assert "74 later report figure(s)" in capsys.readouterr().err
    expected = views.view("later-reports").frame(ds, (1993, 2024))
    if fmt == "csv":
        assert out.read_bytes() == export.to_csv(expected)
    elif fmt == "json":
        doc = json.loads(out.read_bytes())
        assert doc["year_range"] == [1993, 2024] and len(doc["data"]) == 74
    elif fmt == "xlsx":
        assert len(pd.read_excel(out, sheet_name="data")) == 74
    else:
        with zipfile.ZipFile(out) as zf:
            assert "sinorus-later-reports-1993-2024.csv" in zf.namelist()


def test_cli_export_default_layer_is_the_documents(ds, tmp_path):
    out = tmp_path / "docs.json"
    assert main(["export", "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_bytes())
    assert doc["year_range"] == [1992, 2007]  # the documents' own years, as before
    assert {r["id"] for r in doc["data"]} == set(ds.observations.id)
    out = tmp_path / "range.csv"
    assert main(["export", "--layer", "reports", "--from", "2007", "--to", "2007", "-o", str(out)]) == 0  # fmt: skip
    assert sorted(pd.read_csv(out).trade_usd_bn) == [48.16, 48.2, 48.2]


def test_cli_export_reports_of_a_package_without_them(pkg, capsys):
    (pkg / "reports.csv").unlink()
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "reports"]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert main(["export", "--data", str(pkg), "--layer", "reports"]) == 1
    assert "no later reports" in capsys.readouterr().err


def test_same_year_reports_sit_within_a_fifth_of_a_year_and_each_hover_names_its_year(ds):
    """2022's six reports were spread over 2021.63–2022.38 and ran into 2021's and 2023's: now
    each year's marks stay within ±0.2 of it, apart from one another."""
    (layer,) = layer_traces(figure(ds, WIDE))
    hover = hover_texts(layer)
    by_year: dict[int, list[float]] = {}
    for x, (id_, text) in zip(layer.x, hover.items(), strict=True):
        year = int(round(x))
        assert abs(x - year) <= 0.2 + 1e-9, (id_, x)
        assert f" in {year}" in text, (id_, text)  # the hover names the year the mark is for
        by_year.setdefault(year, []).append(x)
    crowded = max(by_year.values(), key=len)
    assert len(crowded) >= 4 and len(set(crowded)) == len(crowded)  # apart, not on each other
    assert len(by_year[2022]) == 6 and max(by_year[2022]) - min(by_year[2022]) == pytest.approx(0.4)
    alone = [xs[0] for xs in by_year.values() if len(xs) == 1]
    assert alone and all(x == int(x) for x in alone)  # a year's only report sits on its year


@pytest.mark.parametrize(
    "years, offsets",
    [([2000], [0.0]), ([2000, 2000], [-0.1, 0.1]), ([2000, 2001, 2000, 2000], [-0.2, 0.0, 0.0, 0.2])],
)  # fmt: skip
def test_side_by_side_offsets(years, offsets):
    assert charts.side_by_side(pd.Series(years)).tolist() == pytest.approx(offsets)
