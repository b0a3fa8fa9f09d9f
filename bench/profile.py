"""`python -m bench.profile`: where sinorus's server time goes (cProfile), for bench/FINDINGS.md.

Writes bench/profile.txt:
1. one rerun of app.py after a year-range change (AppTest, the real data), by cumulative time,
   and grouped by the sinorus function that called it;
2. the cached rerun pipeline (bench.scale.rerun_cached) on a SYNTHETIC table of --rows rows;
3. `sinorus.load.load` on that table (validation vs read);
4. the JSON size of each figure as st.plotly_chart sends it, real data, full range.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path

from bench.common import BENCH, ROOT


def _short(text: str) -> str:
    """Paths shown relative to the repository / site-packages / the standard library."""
    import sysconfig

    for prefix, short in (
        (sysconfig.get_paths()["purelib"] + "/", ""),
        (sysconfig.get_paths()["stdlib"] + "/", "stdlib/"),
        (str(ROOT) + "/", ""),
    ):
        text = text.replace(prefix, short)
    return text


def _stats(prof: cProfile.Profile, limit: int, sort: str = "cumulative") -> str:
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats(sort).print_stats(limit)
    return "\n".join(line[:160] for line in buf.getvalue().splitlines() if line.strip())


def _sinorus_table(prof: cProfile.Profile) -> str:
    """Cumulative time of each sinorus function (charts, transform, ui, load, export)."""
    st = pstats.Stats(prof)
    rows = []
    for (file, line, name), (_, calls, _tt, ct, _) in st.stats.items():
        if "/sinorus/" in file:
            rows.append((ct, calls, f"{Path(file).name}:{line} {name}"))
    rows.sort(reverse=True)
    return "\n".join(
        f"{ct * 1000:9.1f} ms  {calls:6d} calls  {where}" for ct, calls, where in rows[:40]
    )


def profile_rerun(limit: int) -> str:
    from streamlit.testing.v1 import AppTest

    import sinorus.ui as ui

    # AppTest runs the script in its own thread, so the profiler is switched on inside it:
    # app.py calls sinorus.ui.main, wrapped here.
    prof = cProfile.Profile()
    state = {"on": False, "wall": 0.0}
    original = ui.main

    def profiled_main():
        if not state["on"]:
            return original()
        t0 = time.perf_counter()
        prof.enable()
        try:
            return original()
        finally:
            prof.disable()
            state["wall"] = time.perf_counter() - t0

    ui.main = profiled_main
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.slider[0].set_range(1993, at.slider[0].value[1]).run()  # warm: second run of each path
    at.slider[0].set_range(1994, at.slider[0].value[1])
    state["on"] = True
    at.run()
    ui.main = original
    wall = state["wall"]
    return (
        f"## 1. app.py rerun after a range change (AppTest), script body {wall:.3f} s under cProfile\n\n"
        f"### sinorus functions, cumulative\n{_sinorus_table(prof)}\n\n"
        f"### everything, cumulative (top {limit})\n{_stats(prof, limit)}\n\n"
        f"### everything, own time (top {limit})\n{_stats(prof, limit, 'tottime')}\n"
    )


def profile_scale(rows: int, limit: int) -> str:
    from bench import scale
    from sinorus.load import load

    os.environ["SINORUS_MAX_FILE_MB"] = "100000"
    with tempfile.TemporaryDirectory(prefix="sinorus-profile-") as tmp:
        pkg = scale.make_package(rows, Path(tmp))
        prof_load = cProfile.Profile()
        prof_load.enable()
        ds = load(pkg)
        prof_load.disable()
        scale.rerun_cached(ds)  # warm; inside: imported trade is read from the package's Parquet
        prof = cProfile.Profile()
        prof.enable()
        scale.rerun_cached(ds)
        prof.disable()
    return (
        f"## 2. cached rerun pipeline, SYNTHETIC {rows:,} rows\n\n"
        f"### sinorus functions, cumulative\n{_sinorus_table(prof)}\n\n"
        f"### everything, own time (top {limit})\n{_stats(prof, limit, 'tottime')}\n\n"
        f"## 3. sinorus.load.load, SYNTHETIC {rows:,} rows\n\n"
        f"### sinorus functions, cumulative\n{_sinorus_table(prof_load)}\n\n"
        f"### everything, cumulative (top {limit})\n{_stats(prof_load, limit)}\n"
    )


def figure_sizes() -> str:
    from bench import scale
    from sinorus.load import load

    ds = load(ROOT / "data")
    res = scale.rerun_cached(ds, scale.RANGE)
    lines = [f"{'figure':24s} {'JSON bytes':>10s} {'points':>7s} traces"]
    for name, spec in res["json"].items():
        fig = res["figures"][name]
        lines.append(f"{name:24s} {len(spec.encode()):10,d} {scale.points(fig):7d} {len(fig.data)}")
    import json

    tmpl = len(json.dumps(res["figures"]["trade_timeseries"].layout.template.to_plotly_json()))
    lines.append(f"(of which the layout template, per figure: {tmpl:,} bytes)")
    lines.append(f"data table Arrow bytes: {len(res['table']):,}")
    return (
        "## 4. figure JSON sizes, real data, range "
        + str(scale.RANGE)
        + "\n\n"
        + "\n".join(lines)
        + "\n"
    )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--limit", type=int, default=35)
    ap.add_argument("--out", default=str(BENCH / "profile.txt"))
    args = ap.parse_args(argv)
    parts = [
        "# cProfile of sinorus (generated by `python -m bench.profile`; times are inflated by "
        "the profiler and the shared machine: read them as proportions)\n",
        figure_sizes(),
        profile_rerun(args.limit),
        profile_scale(args.rows, args.limit),
    ]
    Path(args.out).write_text(_short("\n".join(parts)))
    print(args.out)


if __name__ == "__main__":
    main()
