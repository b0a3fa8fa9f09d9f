"""The benchmark harness stays runnable: the scale pipeline at 100 rows and the results writer.

Structure only, never times: the machine is shared and timings are not assertions.
"""

import csv

import pytest

from bench import report, scale
from bench.common import loglog_slope, summary
from sinorus.load import load


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch):
    # bench.scale raises SINORUS_MAX_FILE_MB for its synthetic tables; keep that out of other tests
    monkeypatch.setenv("SINORUS_MAX_FILE_MB", "25")


def test_synthetic_package_is_valid_and_labelled(tmp_path):
    pkg = scale.make_package(100, tmp_path)
    ds = load(pkg)  # raises DataError if a synthetic row were invalid
    assert len(ds.observations) == 100
    with (pkg / "observations.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    synthetic = [r for r in rows if r["id"].startswith(scale.SYNTHETIC_PREFIX)]
    assert synthetic and all(r["year_note"] == scale.SYNTHETIC_NOTE for r in synthetic)


@pytest.mark.full
def test_scale_pipeline_and_results_md(tmp_path):
    res = scale.run_sizes([100, 200], repeats=1, stage_budget_s=1e9, total_budget_s=1e9)
    first = res["sizes"][0]
    assert first["rows"] == 100 and first["synthetic"] is True
    for stage in ("load", "load.read", "filter", "figure:trade_timeseries", "rerun_cached"):
        assert first["stages"][stage]["time_s"]["n"] == 1
        assert first["stages"][stage]["cpu_s"]["median"] >= 0
    assert first["points"]["trade_timeseries"] > 0
    assert "rerun_cached" in res["exponents"]

    views = [
        {
            "first_chart_ms": 1.0,
            "all_charts_ms": 2.0,
            "settled_ms": 2.5,
            "charts": 1,
            "bytes": {"total": 10, "http": 8, "http_js": 5, "http_requests": 2, "ws": 2},
        }
    ]
    inter = [{"latency_ms": 3.0, "rerun_roundtrip_ms": 2.0, "charts_rerendered": 1, "charts": 1}]
    browser = {
        a: {"views": views, "interactions": inter, "first_page_after_start": views[0]}
        for a in report.APPS
    }
    mem = {
        "fresh_mb": 1.0,
        "one_page_mb": 2.0,
        "idle_mb": 2.0,
        "pages": 2,
        "pages_drawn": 2,
        "n_pages_mb": 3.0,
        "per_page_mb": 0.5,
        "after_close_samples": [[1, 2.0]],
        "after_close_mb": 2.0,
        "after_vs_idle": 1.0,
    }
    figures = {
        "scale": res,
        "browser": browser,
        "memory": {a: mem for a in report.APPS},
        "cold_start_s": {a: summary([1.0, 2.0]) for a in report.APPS},
    }
    data = report.read(str(tmp_path / "missing.json"))
    for label in ("before", "after"):
        data = report.merge(data, {"label": label, "mode": "quick", "figures": figures})
    assert data["order"] == ["before", "after"]
    path = tmp_path / "results.md"
    report.write(data, str(path))
    text = path.read_text()
    assert "## Targets" in text and "| figure | target | before | after |" in text
    assert "SYNTHETIC" in text and "| 100 |" in text and "| 200 |" in text
    assert "Time to all charts" in text and "1.00×" in text


def test_statistics_helpers():
    assert summary([3.0, 1.0, 2.0])["median"] == 2.0
    assert abs(loglog_slope([10, 100, 1000], [1, 10, 100]) - 1.0) < 1e-9


def test_synthetic_download_has_the_real_layout(tmp_path):
    from bench.imports import PLUS, write_download
    from sinorus.importers import read

    path = tmp_path / "download-synthetic.csv"
    rows = write_download(path, 2020, 2021, codes=10)
    assert rows == 2 * 2 * 2 * 11  # years x reporters x flows x (TOTAL + 10 codes)
    assert path.read_text(encoding="utf-8").splitlines()[0].split(",") == PLUS
    result = read(path)
    assert result.ok and result.kept == rows and not result.notes
    codes = set(result.rows.commodity_code)
    assert "TOTAL" in codes and "010100" in codes  # HS6 codes keep their leading zero


def _forward(kind: str, path=(), text: str = "") -> str:
    """One ForwardMsg as the page's websocket log holds it (base64)."""
    import base64

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    if kind == "markdown":
        msg.delta.new_element.markdown.body = text
    elif kind == "plotly":
        msg.delta.new_element.plotly_chart.spec = text
    elif kind == "new_session":
        msg.new_session.name = "run"
    elif kind == "finished":
        msg.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    msg.metadata.delta_path.extend(path)
    return base64.b64encode(msg.SerializeToString()).decode()


def test_anatomy_splits_a_run_and_finds_what_was_sent_unchanged():
    from bench import anatomy

    def log(t0, chart):
        # [page time, direction, bytes, payload, index of a received message]
        return [
            [t0 + 20, "out", 40, None, None],
            [t0 + 30, "in", 0, _forward("new_session"), 0],
            [t0 + 40, "in", 0, _forward("markdown", (0, 1), "same words"), 1],
            [t0 + 90, "in", 0, _forward("plotly", (0, 2), chart), 2],
            [t0 + 120, "in", 0, _forward("finished"), 3],
        ]

    first, seen = anatomy.run(log(0, '{"a": 1}'), 0.0, [95.0, 200.0], [(100.0, 80.0)])
    assert first["request_ms"] == 20 and first["server_ms"] == 100 and first["script_ms"] == 90
    assert first["chart_delta_ms"] == 90 and first["chart_drawn_ms"] == 110
    assert first["longtask_ms"] == 80
    assert set(first["elements"]) == {"markdown", "plotly_chart"}
    assert all(unchanged == 0 for _, _, unchanged in first["elements"].values())
    # the next run: the same words again, a new chart; the words' bytes are counted unchanged
    second, _ = anatomy.run(log(1000, '{"a": 2, "b": 3}'), 1000.0, [1300.0], [], seen)
    words, chart = second["elements"]["markdown"], second["elements"]["plotly_chart"]
    assert words[2] == words[1] > 0 and chart[2] == 0 and chart[1] > words[1]
    assert second["after_script_ms"] == 180


def test_redraw_variants_each_take_away_what_they_say(ds):
    """bench.redraw's variants: each draws the trade chart with fewer layers, never more."""
    from bench import redraw

    full = redraw.figures(ds, redraw.VARIANTS["as drawn"])[0]
    assert len(full["data"]) == 7
    for name, change in redraw.VARIANTS.items():
        fig = redraw.figures(ds, change)[0]
        assert len(fig["data"]) <= len(full["data"]), name
        assert fig["layout"].get("showlegend", True) is not (change.get("legend") is False), name
    bare = redraw.figures(ds, redraw.VARIANTS["lines and documents only"])[0]
    assert not any(t.get("yaxis") == "y2" for t in bare["data"])
