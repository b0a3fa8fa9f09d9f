"""`python -m bench [--quick] [--label NAME] [--only PARTS]`: measure, then write the results.

Writes bench/results.json (every labelled run kept; a run with the same label replaces the
earlier one) and bench/results.md (generated from results.json). BENCH_LABEL sets the label.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

from bench import report
from bench.common import BENCH, ROOT, apps, chromium_path, log, rotated, server, summary

PARTS = ("cold", "browser", "memory", "rerun", "scale", "imports")
MODES = {
    "quick": dict(  # about 4 minutes here (the 20-page memory figure is most of it); 10^6 rows: full run
        cold=3,
        browser=3,
        interactions=2,
        pages=20,
        settle=3.0,
        rerun=6,
        sizes=[10**k for k in range(2, 6)],
        scale_repeats=2,
        stage_budget=4.0,
        scale_budget=25.0,
        imports=["--repeats", "1"],
    ),
    "full": dict(
        cold=7,
        browser=7,
        interactions=4,
        pages=20,
        settle=10.0,
        rerun=20,
        sizes=[10**k for k in range(2, 7)],
        scale_repeats=3,
        stage_budget=150.0,
        scale_budget=540.0,
        imports=["--repeats", "3", "--big"],
    ),
}


def _child_json(args: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False
    )
    if proc.returncode != 0:
        return {"error": f"{' '.join(args)} exited with {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cold_starts(cfg: dict) -> dict:
    """Process start to /_stcore/health answering, each app in turn, `cold` repeats."""
    out = {a.name: [] for a in apps()}
    for i in range(cfg["cold"]):
        for app in rotated(apps(), i):
            with server(app) as srv:
                out[app.name].append(srv.start_s)
    return {name: summary(v) for name, v in out.items()}


def browser_figures(cfg: dict) -> dict:
    """First view (time to charts, bytes) and interaction latency, apps interleaved."""
    from contextlib import ExitStack

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from bench import browser as bw
    from bench.common import CHROMIUM_ARGS

    raw = {
        a.name: {
            "views": [],
            "interactions": [],
            "interaction_timeouts": 0,
            "first_page_after_start": None,
        }
        for a in apps()
    }
    with sync_playwright() as p, ExitStack() as stack:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        servers = {a.name: stack.enter_context(server(a)) for a in apps()}
        for name, srv in servers.items():  # warm-up: the first page after start, not counted
            fig, _, ctx = bw.first_view(b, srv)
            ctx.close()
            raw[name]["first_page_after_start"] = fig
        for i in range(cfg["browser"]):
            for app in rotated(apps(), i):
                fig, page, ctx = bw.first_view(b, servers[app.name])
                raw[app.name]["views"].append(fig)
                for k in range(cfg["interactions"]):
                    key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"
                    try:
                        raw[app.name]["interactions"].append(bw.interact(page, key))
                    except PlaywrightTimeout:  # counted and shown, never a median of it
                        raw[app.name]["interaction_timeouts"] += 1
                        log(f"browser: {app.name}: an interaction saw no rerun within 60 s")
                        break
                ctx.close()
            log(f"browser: repeat {i + 1}/{cfg['browser']} done")
        b.close()
    return raw


def memory_figures(cfg: dict) -> dict:
    from playwright.sync_api import sync_playwright

    from bench import browser as bw
    from bench.common import CHROMIUM_ARGS

    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for app in apps():
            with server(app) as srv:
                out[app.name] = bw.memory(b, srv, cfg["pages"], cfg["settle"])
            log(f"memory: {app.name} done")
        b.close()
    return out


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return ""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats; under 3 minutes")
    ap.add_argument("--label", default=os.environ.get("BENCH_LABEL") or "before")
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS))
    ap.add_argument("--results", default=str(BENCH / "results.json"))
    ap.add_argument("--report-only", action="store_true", help="rewrite results.md from json")
    args = ap.parse_args(argv)
    results_path = os.path.abspath(args.results)
    md_path = os.path.splitext(results_path)[0] + ".md"
    if args.report_only:
        report.write(report.read(results_path), md_path)
        return

    mode = "quick" if args.quick else "full"
    cfg = MODES[mode]
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"bench: unknown part(s) {', '.join(sorted(unknown))}")
    apps()  # fail early if a reference app is missing
    t0 = time.perf_counter()
    run: dict = {
        "label": args.label,
        "mode": mode,
        "config": cfg,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--", "sinorus", "app.py", "data")),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_start": os.getloadavg(),
            "python": platform.python_version(),
        },
        "figures": {},
    }
    figures = run["figures"]
    # Child processes first (no browser running), then the browser parts.
    if "scale" in parts:
        log("scale: synthetic tables")
        figures["scale"] = _child_json(
            [
                "bench.scale",
                "--sizes",
                ",".join(map(str, cfg["sizes"])),
                "--repeats",
                str(cfg["scale_repeats"]),
                "--stage-budget",
                str(cfg["stage_budget"]),
                "--total-budget",
                str(cfg["scale_budget"]),
            ]
        )
    if "imports" in parts:
        log("imports: a full HS6 download (620 k rows) beside the embedded data")
        figures["imports"] = _child_json(["bench.imports", *cfg["imports"]])
    if "rerun" in parts:
        log("rerun: AppTest")
        figures["rerun"] = _child_json(["bench.rerun", "--repeats", str(cfg["rerun"])])
    if "cold" in parts:
        log("cold start")
        figures["cold_start_s"] = cold_starts(cfg)
    if "browser" in parts:
        log("browser: time to charts, interaction, bytes")
        figures["browser"] = browser_figures(cfg)
    if "memory" in parts:
        log("memory")
        figures["memory"] = memory_figures(cfg)
    run["machine"]["loadavg_end"] = os.getloadavg()
    run["elapsed_s"] = time.perf_counter() - t0
    data = report.read(results_path)
    data = report.merge(data, run)
    with open(results_path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    report.write(data, md_path)
    log(f"done in {run['elapsed_s']:.0f} s: {results_path}, {md_path}")


if __name__ == "__main__":
    main()
