"""Figure 3b, server-side rerun time: Streamlit's AppTest moves the year slider and reruns.

Runs in a child process (`python -m bench.rerun`), so the apps' imports stay out of the
orchestrator. Each app is first run once (cold: imports, caches filled, not counted); then, in
turn (sinorus, floor, template, sinorus, ...), the first slider's lower end is moved up one
step or back and the script rerun, timed with perf_counter (wall) and process_time (CPU).
AppTest runs the script in this process without a browser or websocket; its own overhead is
the same for the three apps.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from bench.common import ROOT, apps, rotated, summary


def _slider(at):
    return at.slider[0]


def run(repeats: int) -> dict:
    from streamlit.testing.v1 import AppTest

    tests, base = {}, {}
    for app in apps():
        os.chdir(app.cwd)
        at = AppTest.from_file(str(app.path), default_timeout=300)
        c0, t0 = time.process_time(), time.perf_counter()
        at.run()
        if at.exception:
            raise RuntimeError(f"{app.name}: {at.exception[0].message}")
        tests[app.name] = at
        base[app.name] = {
            "first_run_s": time.perf_counter() - t0,
            "first_run_cpu_s": time.process_time() - c0,
        }
    os.chdir(ROOT)
    wall = {n: [] for n in tests}
    cpu = {n: [] for n in tests}
    names = list(tests)
    for i in range(repeats):
        for name in rotated(names, i):
            at = tests[name]
            s = _slider(at)
            lo, hi = s.value
            step = s.step or 1
            new_lo = lo + step if i % 2 == 0 else lo - step
            s.set_range(type(lo)(new_lo), hi)
            c0, t0 = time.process_time(), time.perf_counter()
            at.run()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            if at.exception:
                raise RuntimeError(f"{name}: {at.exception[0].message}")
    return {
        n: {**base[n], "rerun_s": summary(wall[n]), "rerun_cpu_s": summary(cpu[n])} for n in names
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.repeats)) + "\n")


if __name__ == "__main__":
    main()
