"""Figure 6, scale: SYNTHETIC observation tables of 10^2 .. 10^6 rows through the app's pipeline.

Each size runs in its own child process (`python -m bench.scale --rows N ...`), which copies the
real data package to a temporary directory and replaces observations.csv with N rows: the real
rows plus synthetic ones, all valid against the package schema (ids `synthetic-NNNNNNN`,
indicator trade_total, years 1992-2007, qualifiers from the enum, an existing source and one of
its real quotes, `reported_as` "synthetic benchmark row", year_note "synthetic benchmark row").
The synthetic rows are benchmark load only: never shown as data, never committed.

Stages, each timed (perf_counter, median of repeats) with its peak RSS growth (VmHWM reset
through /proc/self/clear_refs before the stage, minus RSS at the reset):
- load: `sinorus.load.load` (frictionless validation + typed read + cross-table checks),
  and its parts: validate_schema (frictionless on observations.csv alone) and read (the typed
  pandas read of observations.csv alone);
- filter: `transform.filter_years` on the observations;
- frame:<name>: each chart/table frame function as sinorus/ui.py calls it;
- figure:<name>: each `sinorus.charts` factory on its frame;
- json:<name>: `plotly.io.to_json(fig, validate=False)`, as `st.plotly_chart` serialises it;
- table_arrow: the Data tab's table serialised to Arrow, as `st.dataframe` does;
- export_csv: `export.to_csv` of the Data tab's frame (the largest download);
- rerun_cached: everything a rerun computes once the data is cached (all frames, figures, their
  JSON and the table's Arrow bytes): the 0.5 s target at 10^6 rows.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, loglog_slope, summary

SYNTHETIC_PREFIX = "synthetic-"
SYNTHETIC_NOTE = "synthetic benchmark row"
RANGE = (1993, 2006)  # the year range the filter and the frames are asked for
QUALIFIERS = ("exact", "about", "nearly", "at_least")


# --- memory -----------------------------------------------------------------------------------


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    """Reset VmHWM to the current RSS (Linux >= 4.0); return the RSS in kB, or -1 if refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return -1
    return _status("VmRSS")


def measure(fn, repeats: int) -> tuple[object, dict]:
    """Run fn `repeats` times: its last result, and {time_s, cpu_s: summaries, peak_mb}.

    time_s is wall-clock; cpu_s is this process's CPU time, which a busy shared machine
    disturbs far less (the stages are single-threaded Python), so exponents are fitted on it."""
    times, cpus, peaks, out = [], [], [], None
    for _ in range(repeats):
        out = None
        gc.collect()
        base = _reset_peak()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        if base >= 0:
            peaks.append((_status("VmHWM") - base) / 1024)
    return out, {
        "time_s": summary(times),
        "cpu_s": summary(cpus),
        "peak_mb": max(peaks) if peaks else None,
    }


# --- synthetic package -----------------------------------------------------------------------


def make_package(rows: int | None, dest: Path, src: Path | None = None) -> Path:
    """Copy the data package to `dest`; make observations.csv exactly `rows` rows long
    (the real rows first, then synthetic ones). rows=None: the real rows only."""
    src = src or Path(os.environ.get("SINORUS_DATA") or ROOT / "data")
    pkg = dest / "data"
    shutil.copytree(src, pkg)
    obs_path = pkg / "observations.csv"
    with obs_path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        real = list(reader)
    quoted = [r for r in real if r["indicator"] == "trade_total" and r["quote"]]
    donor = min(quoted, key=lambda r: len(r["quote"]))  # shortest real quote, verbatim
    rows = len(real) if rows is None else rows
    n_syn = max(0, rows - len(real))
    with obs_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(real[:rows] if rows < len(real) else real)
        base = {k: "" for k in header}
        for i in range(n_syn):
            row = dict(base)
            row.update(
                id=f"{SYNTHETIC_PREFIX}{i:07d}",
                indicator="trade_total",
                year=str(1992 + i % 16),
                value=f"{1 + (i * 7919) % 9000 / 100:.2f}",
                unit=donor["unit"],
                qualifier=QUALIFIERS[i % 4],
                reported_as=SYNTHETIC_NOTE,
                year_basis="derived",
                year_note=SYNTHETIC_NOTE,
                source_id=donor["source_id"],
                quote=donor["quote"],
            )
            w.writerow(row)
    return pkg


# --- the pipeline ---------------------------------------------------------------------------


def _labels(ds) -> dict[str, str]:
    return {
        r.id: f"{r.publisher.split(',')[0]} ({r.published[:7]})" if r.published else r.publisher
        for r in ds.sources.itertuples()
    }


def frame_fns():
    from sinorus import transform as t

    return {
        "headline": lambda ds, yr: t.headline(ds, yr),
        "trade_series": t.trade_series,
        "trade_by_year": t.trade_by_year,
        "trade_marks": t.trade_marks_in,
        "events_in_range": t.events_in_range,
        "share_of_china_trade": t.share_of_china_trade,
        "growth_periods": t.growth_periods,
        "trade_to_gdp": t.trade_to_gdp,
        "source_contributions": t.source_contributions,
        "trade_makeup": lambda ds, yr: t.trade_makeup(ds),
        "observations_view": t.observations_view,
    }


def figure_fns(ds):
    from sinorus import charts

    labels = _labels(ds)
    return {
        "trade_timeseries": lambda f: charts.trade_timeseries(
            f["trade_series"],
            f["trade_by_year"],
            f["events_in_range"],
            source_labels=labels,
            marks=f["trade_marks"],
        ),
        "share_bar": lambda f: charts.share_bar(f["share_of_china_trade"]),
        "growth_waterfall": lambda f: charts.growth_waterfall(
            f["growth_periods"], f["trade_by_year"]
        ),
        "trade_gdp_bars": lambda f: charts.trade_gdp_bars(f["trade_to_gdp"]),
        "source_bars": lambda f: charts.source_bars(f["source_contributions"], labels),
    }


def to_json(fig) -> str:
    import plotly.io as pio

    return pio.to_json(fig, validate=False)


def table_arrow(frame) -> bytes:
    from streamlit import dataframe_util

    return dataframe_util.convert_pandas_df_to_arrow_bytes(frame)


def points(fig) -> int:
    """Data points a figure sends: per trace the longest of x / y / values / labels, summed."""
    total = 0
    for trace in fig.to_plotly_json()["data"]:
        total += max((_length(trace.get(k)) for k in ("x", "y", "values", "labels")), default=0)
    return total


def _length(v) -> int:
    """Elements in a trace array: a list, a numpy array, or Plotly's typed array {dtype, bdata}."""
    if v is None or isinstance(v, str | bytes):
        return 0
    if isinstance(v, dict):
        if "bdata" not in v:
            return 0
        import base64

        import numpy as np

        if "shape" in v:
            shape = [int(x) for x in str(v["shape"]).split(",")]
            return int(np.prod(shape))
        return len(base64.b64decode(v["bdata"])) // np.dtype(v.get("dtype", "f8")).itemsize
    return len(v) if hasattr(v, "__len__") else 0


#: Rows the app's Data table shows (sinorus.ui.TABLE_ROWS); the downloads hold every row.
TABLE_ROWS = 1000


def rerun_cached(ds, yr=RANGE) -> dict:
    """What one rerun computes once the dataset is cached, mirroring sinorus/ui.py's calls."""
    frames = {name: fn(ds, yr) for name, fn in frame_fns().items()}
    frames["observations_view_sources_tab"] = frame_fns()["observations_view"](ds, yr)
    figs = {name: fn(frames) for name, fn in figure_fns(ds).items()}
    specs = {name: to_json(fig) for name, fig in figs.items()}
    table = table_arrow(frames["observations_view"].head(TABLE_ROWS))
    return {"frames": frames, "figures": figs, "json": specs, "table": table}


def run_size(
    rows: int,
    repeats: int,
    with_load: bool,
    workdir: Path,
    skip: dict | None = None,
    budget_s: float = float("inf"),
) -> dict:
    """Every stage at one size (in this process); stages in `skip` ({name: estimated s}) are
    not run but recorded as skipped with the estimate that ruled them out."""
    os.environ["SINORUS_MAX_FILE_MB"] = "100000"  # synthetic tables are allowed to be big
    import pandas as pd

    from sinorus import export, load, transform

    res: dict = {"rows": rows, "synthetic": True, "stages": {}, "points": {}, "bytes": {}}
    skip = skip or {}
    res["skipped"] = {k: round(v, 1) for k, v in skip.items()}

    def stage(name, fn, n=repeats):
        """Run stage `name` unless skipped; its result (None if skipped)."""
        if name in skip:
            return None
        out, res["stages"][name] = measure(fn, n)
        return out

    import dataclasses

    small = load.load(make_package(None, workdir / "small"))  # the real package, validated
    rerun_cached(small)  # warm-up: first-call imports (plotly.express, ...) are not measured
    t0 = time.perf_counter()
    pkg = make_package(rows, workdir / "big")
    res["generate_s"] = time.perf_counter() - t0
    res["csv_mb"] = (pkg / "observations.csv").stat().st_size / 1e6
    heavy = 1 if rows >= 100_000 else repeats
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "observations")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}

    ds = stage("load", lambda: load.load(pkg), heavy) if with_load else None
    if with_load:
        stage("load.validate_schema", lambda: _frictionless(pkg, resource), heavy)
    obs = stage("load.read", lambda: load.typed_frame(pkg / resource["path"], fields), heavy)
    if ds is None:  # validation skipped: the real package with the big table read, typed
        if obs is None:
            obs = load.typed_frame(pkg / resource["path"], fields)
        ds = dataclasses.replace(small, observations=obs)
    del obs
    res["loaded_rows"] = len(ds.observations)

    stage("filter", lambda: transform.filter_years(ds.observations, RANGE))
    frames = {}
    for name, fn in frame_fns().items():
        frames[name] = stage(f"frame:{name}", lambda fn=fn: fn(ds, RANGE))
        if frames[name] is None:
            frames[name] = fn(ds, RANGE)
    for name, fn in figure_fns(ds).items():
        fig = stage(f"figure:{name}", lambda fn=fn: fn(frames))
        if fig is None:
            res["points"][name] = None
            continue
        res["points"][name] = points(fig)
        spec = stage(f"json:{name}", lambda fig=fig: to_json(fig))
        if spec is not None:
            res["bytes"][f"figure:{name}"] = len(spec.encode())
        del fig, spec
    table = stage("table_arrow", lambda: table_arrow(frames["observations_view"].head(TABLE_ROWS)))
    res["bytes"]["table_arrow"] = None if table is None else len(table)
    res["points"]["data_table_rows"] = min(len(frames["observations_view"]), TABLE_ROWS)
    del table
    data = stage("export_csv", lambda: export.to_csv(frames["observations_view"]), heavy)
    res["bytes"]["export_csv"] = None if data is None else len(data)
    del data
    parts = [n for n in res["stages"] if n.split(":")[0] in ("frame", "figure", "json")]
    est = sum(res["stages"][n]["cpu_s"]["median"] for n in parts)
    est += res["stages"].get("table_arrow", {"cpu_s": {"median": 0}})["cpu_s"]["median"]
    est += sum(v for n, v in skip.items() if n.split(":")[0] in ("frame", "figure", "json"))
    if est > budget_s:
        res["skipped"]["rerun_cached"] = round(est, 1)
    else:
        stage("rerun_cached", lambda: rerun_cached(ds) and None)
    res["pandas"] = pd.__version__
    return res


def _frictionless(pkg: Path, resource: dict):
    from frictionless import Resource

    schema = dict(resource["schema"])
    schema.pop("foreignKeys", None)
    checked = {**resource, "schema": schema, "encoding": "utf-8-sig"}
    report = Resource(checked, basepath=str(pkg)).validate()
    if not report.valid:
        raise RuntimeError(f"synthetic table is invalid: {report.flatten(['type', 'note'])[:3]}")
    return report


# --- parent: one child per size ---------------------------------------------------------------


def plan_skips(done: list[dict], rows: int, budget_s: float) -> dict:
    """Stages whose time at `rows`, extrapolated from the largest size run so far with the
    exponent fitted so far (1 until two sizes have run), exceeds budget_s of CPU time. `rerun_cached` is
    decided in `run_size`, from its parts measured at the same size."""
    ok = [r for r in done if "stages" in r]
    if not ok:
        return {}
    last = ok[-1]
    slopes = exponents(ok)
    skip = {}
    for name, st in last["stages"].items():
        if name == "rerun_cached":
            continue
        t = st["cpu_s"]["median"]
        if t is None:
            continue
        slope = min(2.0, max(0.3, slopes.get(name) or 1.0))
        est = t * (rows / last["rows"]) ** slope
        if est > budget_s:
            skip[name] = est
    for name, est in last.get("skipped", {}).items():
        skip.setdefault(name, est * rows / last["rows"])  # skipped once, skipped for larger
    return skip


def run(sizes: list[int], repeats: int, stage_budget_s: float, total_budget_s: float) -> dict:
    """All sizes, smallest first, in one child process (this process stays free of the app's
    imports); the growth exponent per stage. See `run_sizes`."""
    import subprocess

    cmd = [sys.executable, "-m", "bench.scale", "--sizes", ",".join(map(str, sizes))]
    cmd += ["--repeats", str(repeats), "--stage-budget", str(stage_budget_s)]
    cmd += ["--total-budget", str(total_budget_s)]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        return {"error": f"bench.scale exited with {proc.returncode}", "sizes": []}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_sizes(sizes: list[int], repeats: int, stage_budget_s: float, total_budget_s: float) -> dict:
    """Each size in turn. A stage is skipped at a size when its extrapolated CPU time exceeds
    `stage_budget_s` (recorded as skipped, with the estimate); no new size starts once this
    process has used `total_budget_s` of CPU time. Budgets count CPU, not wall-clock, time, so
    what runs does not depend on how busy the shared machine is (wall time is roughly CPU time
    on an idle machine)."""
    from bench.common import log

    results: list[dict] = []
    c_start = time.process_time()
    for rows in sizes:
        if time.process_time() - c_start > total_budget_s:
            results.append({"rows": rows, "error": "not run: scale time budget used up"})
            log(f"scale: {rows:,} rows not run (time budget)")
            continue
        skip = plan_skips(results, rows, stage_budget_s)
        log(f"scale: {rows:,} rows" + (f" (skipping {', '.join(sorted(skip))})" if skip else ""))
        t0 = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory(prefix="sinorus-bench-") as tmp:
                r = run_size(rows, repeats, "load" not in skip, Path(tmp), skip, stage_budget_s)
        except Exception as err:  # recorded, and the next size still runs
            results.append({"rows": rows, "error": f"{type(err).__name__}: {err}"[:300]})
            continue
        r["wall_s"] = time.perf_counter() - t0
        results.append(r)
        gc.collect()
    return {
        "sizes": results,
        "exponents": exponents(results),
        "range": list(RANGE),
        "stage_budget_s": stage_budget_s,
    }


def exponents(results: list[dict]) -> dict:
    """Log-log slope of median CPU time per stage, over the sizes >= 10^3 that ran it."""
    ok = [r for r in results if "stages" in r]
    if sum(r["rows"] >= 1000 for r in ok) >= 2:  # small tables are all fixed overhead
        ok = [r for r in ok if r["rows"] >= 1000]
    names = sorted({s for r in ok for s in r["stages"]})
    out = {}
    for name in names:
        pts = [
            (r["rows"], r["stages"][name]["cpu_s"]["median"])
            for r in ok
            if name in r["stages"] and r["stages"][name]["cpu_s"]["median"]
        ]
        if len(pts) >= 2:
            out[name] = loglog_slope([p[0] for p in pts], [p[1] for p in pts])
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated row counts")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--stage-budget", type=float, default=20.0)
    ap.add_argument("--total-budget", type=float, default=300.0)
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    res = run_sizes(sizes, args.repeats, args.stage_budget, args.total_budget)
    sys.stdout.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
