"""`python -m bench.imports`: imported trade at the size people download, beside the embedded data.

A UN Comtrade+ query for China–Russia at HS6, 1996–2023, both reporters and both flows is about
620,000 rows and 145 MB of CSV. This writes such a file (SYNTHETIC values, the real 47-column
layout, HS6 codes as text with their leading zeros), its four year-slices, and a ten-times file
(6.2 M rows), then measures, in one run:

- import: `sinorus import` of the whole file (wall time and peak memory of the process), beside
  `pandas.read_csv(dtype=str)` of the same file in a fresh process (the ratio the issue targets);
  the four year-slices imported together chart exactly like the whole file (checked); the
  whole file read as the app reads an upload (`session.read_apart`, the reading in a child
  process), with the peak memory of the process and its children over the file's size;
- the app with that package beside the embedded one: time to all charts of the first view and of
  "Your data" in headless Chromium, and the server's memory after both;
- growth: import and "Your data" queries at 620 k and 6.2 M rows (log-log exponent), and a
  range change on "Your data" with the 6.2 M package (frames and figures of the section,
  computed in a fresh process so no cache helps).

Prints one JSON line (the last line of stdout). Values are medians of `--repeats` runs where
repeated; machine load is recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, App, chromium_path, log, loglog_slope, rss_mb, server, summary
from sinorus.importers.comtrade import PLUS_COLUMNS

PLUS = PLUS_COLUMNS
CODES = 5500  # HS6 codes per (year, reporter, flow): 28 years x 2 x 2 x 5,501 = 616 k rows


def _row_sql(first_year: int, last_year: int, codes: int) -> str:
    """SQL for the rows of a synthetic download: TOTAL plus `codes` HS6 codes per year,
    reporter (China 156 / Russia 643) and flow (M / X)."""
    cells = {
        "typeCode": "'C'", "freqCode": "'A'", "refPeriodId": "y || '0101'", "refYear": "y",
        "refMonth": "52", "period": "y", "reporterCode": "rc", "reporterISO": "rep",
        "reporterDesc": "rd", "flowCode": "f", "flowDesc": "fd", "partnerCode": "pc",
        "partnerISO": "par", "partnerDesc": "pd", "partner2Code": "0", "partner2ISO": "'W00'",
        "partner2Desc": "'World'", "classificationCode": "'H6'",
        "classificationSearchCode": "'HS'", "isOriginalClassification": "'True'",
        "cmdCode": "code", "cmdDesc": "'SYNTHETIC commodity ' || code",
        "aggrLevel": "CASE WHEN code = 'TOTAL' THEN 0 ELSE 6 END",
        "isLeaf": "CASE WHEN code = 'TOTAL' THEN 'False' ELSE 'True' END",
        "customsCode": "'C00'", "customsDesc": "'TOTAL CPC'", "mosCode": "0", "motCode": "0",
        "motDesc": "'TOTAL MOT'", "qtyUnitCode": "-1", "qtyUnitAbbr": "'N/A'",
        "cifvalue": "CASE WHEN f = 'M' THEN v END", "fobvalue": "CASE WHEN f = 'X' THEN v END",
        "primaryValue": "v", "legacyEstimationFlag": "0", "isReported": "'True'",
        "isAggregate": "CASE WHEN code = 'TOTAL' THEN 'True' ELSE 'False' END",
    }  # fmt: skip
    select = ", ".join(f'{cells.get(c, "NULL")} AS "{c}"' for c in PLUS)
    return f"""
        WITH codes AS (
            SELECT printf('%02d%02d%02d', ch, h, s) AS code
            FROM range(1, 98) a(ch), range(1, 8) b(h), range(0, 100) c(s) WHERE ch <> 77
            ORDER BY s, ch, h LIMIT {codes}),
        who AS (SELECT * FROM (VALUES (156, 'CHN', 'China', 643, 'RUS', 'Russian Federation'),
                                      (643, 'RUS', 'Russian Federation', 156, 'CHN', 'China'))
                    w(rc, rep, rd, pc, par, pd)),
        flows AS (SELECT * FROM (VALUES ('M', 'Import'), ('X', 'Export')) x(f, fd)),
        cells AS (
            SELECT y, who.*, flows.*, codes.code,
                   round(100000 + hash(y, rep, f, codes.code) % 99000000, 2) AS v
            FROM range({first_year}, {last_year + 1}) t(y), who, flows, codes),
        totals AS (
            SELECT y, rc, rep, rd, pc, par, pd, f, fd, 'TOTAL' AS code, sum(v) AS v
            FROM cells GROUP BY ALL)
        SELECT {select} FROM (SELECT * FROM totals UNION ALL SELECT * FROM cells)
        ORDER BY y, rep, f, code = 'TOTAL' DESC, code"""


def write_download(path: Path, first_year: int, last_year: int, codes: int = CODES) -> int:
    """Write a synthetic UN Comtrade+ CSV; return its rows."""
    import duckdb  # the bench's own generator; sinorus itself uses DuckDB only in its engine

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({_row_sql(first_year, last_year, codes)}) TO '{target}' (HEADER, DELIMITER ',')")  # fmt: skip
    rows = con.execute(f"SELECT count(*) FROM read_csv('{target}', all_varchar = true)").fetchone()[0]  # fmt: skip
    con.close()
    return int(rows)


def _timed(args: list[str], env: dict | None = None) -> dict:
    """Run a command in a fresh process; its wall time and peak memory (RSS of the process)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "print(p.returncode, time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, p.stderr[-300:])"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
    ).stdout.split(" ", 3)
    if out[0] != "0":
        raise RuntimeError(f"bench: {' '.join(args)} exited {out[0]}: {out[3]}")
    return {"time_s": float(out[1]), "peak_mb": float(out[2])}


def pandas_read(path: Path) -> dict:
    return _timed([sys.executable, "-c", f"import pandas; pandas.read_csv({str(path)!r}, dtype=str)"])  # fmt: skip


def upload_read(path: Path) -> dict:
    """One upload read as the app reads it (`session.read_apart`: the bytes held by the server,
    the reading in a child process): the peak of the process and its children together, sampled
    every 20 ms, and how far above the process's own memory before it that peak went."""
    code = (
        "import sys, tempfile, threading, time\nfrom pathlib import Path\n"
        "from bench.common import rss_mb\nfrom sinorus.importers import session\n"
        "import os\nbase = rss_mb(os.getpid()); peak = [base]; done = []\n"
        "def watch():\n    while not done:\n        peak[0] = max(peak[0], rss_mb(os.getpid())); time.sleep(0.02)\n"
        "threading.Thread(target=watch, daemon=True).start()\n"
        "data = Path(sys.argv[1]).read_bytes(); t = time.perf_counter()\n"
        "with tempfile.TemporaryDirectory() as tmp:\n"
        "    r = session.read_apart(data, Path(sys.argv[1]).name, 200 * 2**20, 'server.maxUploadSize', Path(tmp))\n"
        "done.append(1); assert not r.problems, r.problems[:3]\n"
        "print(time.perf_counter() - t, peak[0], base)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.split()
    peak, base = float(out[1]), float(out[2])
    size_mb = path.stat().st_size / 1e6  # as the file sizes above are given
    return {"time_s": float(out[0]), "peak_mb": peak, "before_mb": base, "file_mb": size_mb, "extra_mb": peak - base}  # fmt: skip


def sinorus_import(files: list[Path], into: Path) -> dict:
    return _timed([sys.executable, "-m", "sinorus", "import", *map(str, files), "--into", str(into)])  # fmt: skip


def same_series(whole: Path, sliced: Path) -> bool:
    """The year-slices' package charts exactly like the whole file's."""
    code = (
        "import sys\nfrom sinorus import flows\nfrom sinorus.load import load\n"
        "cols = ['family', 'series', 'year', 'reporter', 'flow', 'value_usd_bn', 'basis']\n"
        "a, b = (flows.direction_frame(load(p), (1900, 2100))[cols] for p in sys.argv[1:])\n"
        "print(bool(a.equals(b)) and len(a) > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(whole), str(sliced)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    return out.strip().endswith("True")


def section_queries(pkg: Path, year_range: tuple[int, int]) -> dict:
    """What a range change on "Your data" costs the server: the section's frames and figures
    for `year_range`, after a first view of the full span (a running server, warm), with no
    cached result for that range; and the first view itself, cold (`cold_s`)."""
    code = (
        "import json, sys, time\nfrom sinorus import transform, views\nfrom sinorus.load import load\n"
        "ds = load(sys.argv[1]); yr = (int(sys.argv[2]), int(sys.argv[3]))\n"
        "choice = dict(flow='china_exports', reporter='CHN', level='section', family='un-comtrade')\n"
        "def section(yr):\n"
        "    for slug, opts in [('documents-and-imported-totals', {}), ('direction', {}),\n"
        "                       ('commodity-treemap', dict(year=yr[1], **choice)), ('commodity-area', choice)]:\n"
        "        v = views.view(slug); f = v.frame(ds, yr, **opts); v.figure(ds, yr, f, **opts)\n"
        "t = time.perf_counter(); section(transform.year_span(ds)); cold = time.perf_counter() - t\n"
        "t = time.perf_counter(); section(yr)\n"
        "print(json.dumps({'time_s': time.perf_counter() - t, 'cold_s': cold}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(pkg), *map(str, year_range)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def app_views(pkg: Path | None, repeats: int) -> dict:
    """Time to all charts (first view, "Your data") and server memory, with package `pkg`."""
    from playwright.sync_api import sync_playwright

    from bench import browser as bw
    from bench.common import CHROMIUM_ARGS

    app = App("sinorus", ROOT / "app.py", "plotly")
    env = {"SINORUS_DATA": str(pkg)} if pkg else {}
    out: dict = {"first_view_ms": [], "yours_ms": []}
    with sync_playwright() as p, server(app, env=env, timeout=300) as srv:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for i in range(repeats + 1):  # the first round warms the server (not counted)
            for key, url in (("first_view_ms", srv.url), ("yours_ms", srv.url + "/?view=yours")):
                ms = _ready_ms(b, url, bw.INSTRUMENT)
                if i:
                    out[key].append(ms)
        out["server_mb"] = rss_mb(srv.proc.pid)
        b.close()
    return {k: summary(v) if isinstance(v, list) else v for k, v in out.items()}


def _ready_ms(browser, url: str, instrument: str) -> float:
    """Milliseconds from navigation until the script is idle and every chart on the page is
    drawn (a page with no chart, such as "Your data" without imports, is ready when idle)."""
    from bench.common import IDLE

    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(instrument)
    page = ctx.new_page()
    try:
        page.goto(url, timeout=300_000)
        page.wait_for_selector(IDLE, timeout=300_000)
        page.wait_for_function(
            "() => window.__bench.nDrawn === window.__bench.nContainers",
            timeout=300_000,
            polling=50,
        )
        page.wait_for_timeout(600)  # nothing more arriving
        return page.evaluate(
            """() => { const B = window.__bench;
                const idle = B.states.filter(s => s[1] === 'notRunning').map(s => s[0]);
                const drawn = B.counts.length ? B.counts[B.counts.length - 1][0] : 0;
                return Math.max(idle.length ? idle[idle.length - 1] : 0, drawn); }"""
        )
    finally:
        ctx.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.imports")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--big", action="store_true", help="also the 6.2 M-row download")
    ap.add_argument("--keep", help="directory to keep the files in (default: a temporary one)")
    args = ap.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="sinorus-bench-imports-"))
    work.mkdir(parents=True, exist_ok=True)
    chromium_path()
    result: dict = {"loadavg_start": os.getloadavg()}
    whole = work / "comtrade-hs6-1996-2023-synthetic.csv"
    result["rows"] = write_download(whole, 1996, 2023)
    result["file_mb"] = whole.stat().st_size / 1e6
    slices = [work / f"slice-{a}-{b}-synthetic.csv" for a, b in ((1996, 2002), (2003, 2009), (2010, 2016), (2017, 2023))]  # fmt: skip
    for path, (a, b) in zip(slices, ((1996, 2002), (2003, 2009), (2010, 2016), (2017, 2023)), strict=True):  # fmt: skip
        write_download(path, a, b)
    log(f"imports: {result['rows']:,} rows, {result['file_mb']:.0f} MB")
    reads, imports = [], []
    for i in range(args.repeats):
        reads.append(pandas_read(whole))
        pkg = work / f"pkg-{i}"
        subprocess.run(["rm", "-rf", str(pkg)], check=True)
        imports.append(sinorus_import([whole], pkg))
    result["pandas_read"] = {k: summary([r[k] for r in reads]) for k in ("time_s", "peak_mb")}
    result["import"] = {k: summary([r[k] for r in imports]) for k in ("time_s", "peak_mb")}
    pkg = work / "pkg-0"
    sliced = work / "pkg-sliced"
    subprocess.run(["rm", "-rf", str(sliced)], check=True)
    result["import_slices"] = sinorus_import(slices, sliced)
    result["upload"] = upload_read(whole)  # under the upload limit (200 MB)
    result["slices_chart_like_whole"] = same_series(pkg, sliced)
    log("imports: the app, embedded and imported")
    result["app_embedded"] = app_views(None, args.repeats)
    result["app_imported"] = app_views(pkg, args.repeats)
    result["queries"] = {"620k": section_queries(pkg, (2000, 2020))}
    if args.big:
        big = work / "comtrade-hs6-x10-synthetic.csv"
        result["big_rows"] = write_download(big, 1996, 2023, codes=CODES * 10 + 9)
        big_pkg = work / "pkg-big"
        subprocess.run(["rm", "-rf", str(big_pkg)], check=True)
        result["import_big"] = sinorus_import([big], big_pkg)
        result["queries"]["6.2M"] = section_queries(big_pkg, (2000, 2020))
        sizes = [result["rows"], result["big_rows"]]
        result["exponents"] = {
            "import": loglog_slope(sizes, [result["import"]["time_s"]["median"], result["import_big"]["time_s"]]),
            "queries": loglog_slope(sizes, [result["queries"]["620k"]["time_s"], result["queries"]["6.2M"]["time_s"]]),
        }  # fmt: skip
    result["loadavg_end"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
