"""Frames and figures for imported trade, values checked against the SYNTHETIC fixtures' own
numbers (computed here from the raw file, not from the code under test)."""

import csv
import re
from pathlib import Path

import pytest

from sinorus import charts, flow_charts, flows, transform
from sinorus.importers import combine, read

FIX = Path(__file__).resolve().parent / "fixtures"
PLUS_CSV = FIX / "comtrade-plus-synthetic.csv"
OBS = FIX / "observations-synthetic.csv"
ALL = (1900, 2100)


@pytest.fixture(scope="module")
def raw():
    """Annual China–Russia rows of the fixture, straight from the CSV: {(year, rep, flow, cmd): US$}."""
    out = {}
    with PLUS_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pair = {r["reporterISO"], r["partnerISO"]}
            if r["freqCode"] == "A" and pair == {"CHN", "RUS"} and r["flowCode"] in ("M", "X"):
                if r["primaryValue"]:
                    key = (int(r["refYear"]), r["reporterISO"], r["flowCode"], r["cmdCode"])
                    out[key] = float(r["primaryValue"])
    return out


def merge(ds, *results):
    import tempfile

    return combine(ds, list(results), tempfile.mkdtemp(prefix="sinorus-test-"))


def test_direction_frame_values_per_reporter(merged, raw):
    frame = flows.direction_frame(merged, ALL)
    got = {(r.year, r.reporter, r.flow): r.value_usd_bn for r in frame.itertuples()}
    for year in (2020, 2021):
        # China reports: exports = its X, imports = its M
        assert got[(year, "CHN", "china_exports")] == raw[(year, "CHN", "X", "TOTAL")] / 1e9
        assert got[(year, "CHN", "china_imports")] == raw[(year, "CHN", "M", "TOTAL")] / 1e9
        # Russia reports the mirror: China's exports = Russia's M, China's imports = Russia's X
        assert got[(year, "RUS", "china_exports")] == raw[(year, "RUS", "M", "TOTAL")] / 1e9
        assert got[(year, "RUS", "china_imports")] == raw[(year, "RUS", "X", "TOTAL")] / 1e9
        for rep, x, m in (("CHN", "X", "M"), ("RUS", "M", "X")):
            balance = (raw[(year, rep, x, "TOTAL")] - raw[(year, rep, m, "TOTAL")]) / 1e9
            assert got[(year, rep, "balance")] == pytest.approx(balance)
    assert len(frame) == 2 * 2 * 3  # years x reporters x (exports, imports, balance)
    assert set(frame[frame.reporter == "RUS"].mirror) == {True}
    assert set(frame.series) == {"UN Comtrade"}
    row = frame[(frame.year == 2020) & (frame.reporter == "CHN") & (frame.flow == "china_exports")]
    assert row.row_refs.iloc[0] == "comtrade-plus-synthetic.csv row 2"


def test_direction_frame_sums_chapters_when_no_total(ds, tmp_path):
    lines = PLUS_CSV.read_text(encoding="utf-8").splitlines()
    kept = [x for x in lines if not (",RUS," in x.split(",TOTAL,")[0] and ",TOTAL," in x and x.split(",")[7] == "RUS")]  # fmt: skip
    assert len(kept) < len(lines)
    no_totals = tmp_path / "no-russian-totals-synthetic.csv"
    no_totals.write_text("\n".join(kept) + "\n", encoding="utf-8")
    frame = flows.direction_frame(merge(ds, read(no_totals)), ALL)
    r = frame[(frame.year == 2020) & (frame.reporter == "RUS") & (frame.flow == "china_exports")]
    assert r.value_usd_bn.iloc[0] == pytest.approx(13.0 + 16.0)
    assert r.basis.iloc[0] == "sum of 2 HS commodity row(s)"
    # 2021 Russia has no rows but TOTALs, so nothing there
    assert frame[(frame.year == 2021) & (frame.reporter == "RUS")].empty


def test_direction_frame_year_range_and_empty(ds, merged):
    assert set(flows.direction_frame(merged, (2021, 2021)).year) == {2021}
    assert flows.direction_frame(ds, ALL).empty
    assert list(flows.direction_frame(ds, ALL).columns) == flows.DIRECTION_COLUMNS


def test_totals_frame_keeps_documents_and_imports_apart(merged, raw, ds):
    frame = flows.totals_frame(merged, ALL)
    docs = frame[frame.kind == "document"]
    assert sorted(docs.value_usd_bn) == sorted(transform.trade_series(merged, ALL).trade_usd_bn)
    imported = frame[frame.kind == "imported"].set_index(["series", "year"])["value_usd_bn"]
    china = "UN Comtrade · reported by China (exports + imports)"
    russia = "UN Comtrade · reported by Russia (exports + imports)"
    for year in (2020, 2021):
        assert imported[(china, year)] == pytest.approx(
            (raw[(year, "CHN", "X", "TOTAL")] + raw[(year, "CHN", "M", "TOTAL")]) / 1e9
        )
        assert imported[(russia, year)] == pytest.approx(
            (raw[(year, "RUS", "X", "TOTAL")] + raw[(year, "RUS", "M", "TOTAL")]) / 1e9
        )
    assert imported[("table: observations-synthetic.csv", 2008)] == pytest.approx(56.8)
    # the documents' own series is unchanged by an upload
    assert transform.trade_by_year(merged, ALL).equals(transform.trade_by_year(ds, ALL))
    assert len(transform.trade_series(merged, ALL)) == 5


def test_commodity_frame_top_n_and_other(merged, raw):
    frame = flows.commodity_frame(merged, 2020, "china_exports", "CHN", top_n=2)
    chapters = {k[3]: v for k, v in raw.items() if k[:3] == (2020, "CHN", "X") and k[3] != "TOTAL"}
    ranked = sorted(chapters.items(), key=lambda kv: -kv[1])
    assert list(frame.code) == [ranked[0][0], ranked[1][0], "other"]
    assert frame.value_usd_bn.tolist() == pytest.approx(
        [ranked[0][1] / 1e9, ranked[1][1] / 1e9, sum(v for _, v in ranked[2:]) / 1e9]
    )
    assert frame.share_percent.sum() == pytest.approx(100)
    assert frame[frame.code == "other"].codes.iloc[0] == ", ".join(c for c, _ in ranked[2:])
    assert (
        frame[frame.code == "85"].section_label.iloc[0] == "XVI Machinery and electrical equipment"
    )


def test_commodity_frame_by_section(merged, raw):
    frame = flows.commodity_frame(merged, 2020, "china_imports", "CHN", level="section")
    got = dict(zip(frame.section_label, frame.value_usd_bn, strict=True))
    expected_v = (raw[(2020, "CHN", "M", "27")] + raw[(2020, "CHN", "M", "26")]) / 1e9
    assert got["V Mineral products"] == pytest.approx(expected_v)
    assert got["IX Wood and cork"] == pytest.approx(raw[(2020, "CHN", "M", "44")] / 1e9)
    assert "other" not in set(frame.code)


def test_commodity_frame_mirror_reporter_and_errors(merged, ds):
    rus = flows.commodity_frame(merged, 2020, "china_imports", "RUS")
    assert set(rus.code) == {"27", "44"}
    with pytest.raises(ValueError, match="china_exports or china_imports"):
        flows.commodity_frame(merged, 2020, "balance", "CHN")
    assert not flows.commodity_frame(merged, 2020, "china_exports", "CHN", family="un-comtrade").empty  # fmt: skip
    assert flows.commodity_frame(merged, 2020, "china_exports", "CHN", family="table-x").empty
    assert flows.commodity_frame(ds, 2020, "china_exports", "CHN").empty


def test_commodity_over_time(merged, raw):
    frame = flows.commodity_over_time(merged, (2020, 2021), "china_imports", "CHN", top_n=2)
    assert sorted(set(frame.year)) == [2020, 2021]
    assert frame.groupby("year").size().tolist() == [3, 3]  # top 2 + other, every year
    for year in (2020, 2021):
        part = frame[frame.year == year]
        total = sum(v for k, v in raw.items() if k[:3] == (year, "CHN", "M") and k[3] != "TOTAL")
        assert part.value_usd_bn.sum() == pytest.approx(total / 1e9)
        assert part.share_percent.sum() == pytest.approx(100, abs=1e-3)
    v = frame[(frame.year == 2021) & (frame.code == "5")].value_usd_bn.iloc[0]
    assert v == pytest.approx(raw[(2021, "CHN", "M", "27")] / 1e9)  # no chapter 26 in 2021


def test_imported_sources(merged):
    table = flows.imported_sources(merged).set_index("file")
    row = table.loc["comtrade-plus-synthetic.csv"]
    assert (row.first_year, row.last_year, row.reporters, row.has_commodities) == (2020, 2021, "CHN, RUS", True)  # fmt: skip


# --- figures ------------------------------------------------------------------------------------


def test_direction_chart_traces_and_styles(merged):
    frame = flows.direction_frame(merged, ALL)
    fig = flow_charts.direction_chart(frame)
    assert len(fig.data) == 6
    by_name = {t.name.replace("<br>", " "): t for t in fig.data}  # long entries wrap, to fit
    chn = by_name["China's imports from Russia, reported by China"]
    rus = by_name["China's imports from Russia, reported by Russia (mirror)"]
    assert chn.line.dash == "solid" and rus.line.dash == "dash"
    assert chn.marker.symbol != rus.marker.symbol
    assert list(chn.y) == [57.0, 79.3] and list(rus.y) == [49.1, 68.0]
    assert fig.layout.template.layout.font.family.startswith("Inter")


def test_figures_escape_text(ds):
    data = PLUS_CSV.read_bytes().replace(b"SYNTHETIC Machinery", b"<script>x</script> Machinery")
    result = read(data, "<img src=x onerror=alert(1)>-synthetic.csv")
    merged = merge(ds, result)
    fig = flow_charts.direction_chart(flows.direction_frame(merged, ALL))
    text = " ".join(" ".join(t.hovertext) for t in fig.data)
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;-synthetic.csv" in text
    frame = flows.commodity_frame(merged, 2020, "china_exports", "CHN")
    frame.loc[0, "label"] = "<img src=x>"
    tree = flow_charts.commodity_treemap(frame)
    assert all("<img" not in str(label) for label in tree.data[0].labels)


def test_treemap_structure(merged):
    frame = flows.commodity_frame(merged, 2020, "china_exports", "CHN", top_n=2)
    tree = flow_charts.commodity_treemap(frame).data[0]
    assert tree.branchvalues == "remainder"
    leaves = {i: v for i, v in zip(tree.ids, tree.values, strict=True) if i.startswith("c-")}
    assert leaves == {"c-85": 15.0, "c-84": 12.0, "c-other": 3.5}
    parents = dict(zip(tree.ids, tree.parents, strict=True))
    assert parents["c-85"] == "s-16" and parents["c-other"] == "root"


def test_area_chart(merged):
    frame = flows.commodity_over_time(merged, (2020, 2021), "china_imports", "CHN", top_n=2)
    fig = flow_charts.commodity_area(frame)
    assert len(fig.data) == 3 and {t.stackgroup for t in fig.data} == {"one"}
    assert list(fig.data[0].y) == list(frame[frame["rank"] == 1].value_usd_bn)


def test_totals_chart_and_overlay(merged):
    totals = flows.totals_frame(merged, ALL)
    fig = flow_charts.totals_chart(totals)
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert sum(n.startswith("document: ") for n in names) == 2
    assert sum(n.startswith(("UN Comtrade", "table: ")) for n in names) == 3
    yr = (1992, 2007)
    base = charts.trade_timeseries(
        transform.trade_series(merged, yr), transform.trade_by_year(merged, yr)
    )
    before = len(base.data)
    flow_charts.overlay_imported_totals(base, totals)
    assert len(base.data) == before + 4  # three series, one with a gap bridged by dots
    assert base.layout.xaxis.range[1] > 2021


def named(trace) -> str:
    """A trace's legend entry as one line (long entries are wrapped with <br> to fit)."""
    return re.sub(r"(?<=-)<br>", "", trace.name).replace("<br>", " ")


def test_imported_lines_break_where_years_are_missing_dotted_across(merged):
    """observations-synthetic.csv gives 2008 and 2010: the line breaks at 2009 (no value drawn
    there) and a dotted line without hover joins 2008 to 2010, as the documents' chart does."""
    fig = flow_charts.totals_chart(flows.totals_frame(merged, ALL))
    line = next(t for t in fig.data if named(t) == "table: observations-synthetic.csv")
    points = dict(zip(line.x, line.y, strict=True))
    assert points[2008] == 56.8 and points[2010] == 55.5
    assert points[2009] != points[2009]  # NaN: Plotly draws no segment through it
    assert line.hovertext[list(line.x).index(2009)] == ""
    (bridge,) = [t for t in fig.data if named(t).startswith("table: ") and t is not line]
    assert list(bridge.x) == [2008, 2010, None] and bridge.line.dash == "dot"
    assert bridge.hoverinfo == "skip" and bridge.showlegend is False
    assert bridge.line.color == line.line.color
    uncut = next(t for t in fig.data if named(t).startswith("UN Comtrade · reported by China"))
    assert list(uncut.x) == [2020, 2021]  # no gap: no break, no bridge
    assert sum(t.name.startswith("UN Comtrade") for t in fig.data) == 2


def test_one_years_document_readings_sit_side_by_side_within_a_fifth_of_a_year(merged):
    """The 2007 ▼ (nearly 40) and ▲ (at least 40) no longer sit on each other."""
    fig = flow_charts.totals_chart(flows.totals_frame(merged, ALL))
    (growing,) = [t for t in fig.data if named(t) == "document: Growing Ties between China and Russia"]  # fmt: skip
    at_40 = [(x, h) for x, y, h in zip(growing.x, growing.y, growing.hovertext, strict=True) if y == 40.0]  # fmt: skip
    assert len(at_40) == 2 and at_40[0][0] != at_40[1][0]
    assert all(abs(x - 2007) <= 0.2 for x, _ in at_40)
    assert all("</b> in 2007<br>" in h for _, h in at_40)  # each hover names its year


@pytest.mark.parametrize("factory", [
    flow_charts.direction_chart,
    flow_charts.commodity_treemap,
    flow_charts.commodity_area,
    flow_charts.totals_chart,
])  # fmt: skip
def test_empty_frames_say_so(factory):
    import pandas as pd

    fig = factory(pd.DataFrame())
    assert fig.layout.annotations and "No " in fig.layout.annotations[0].text
