"""Shared pieces of the benchmark: the three apps, servers on loopback, RSS, statistics."""

from __future__ import annotations

import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
THUMBS = "[data-testid='stSlider'] input[type='range']"


def peers_dir() -> Path:
    """The reference apps: $SINORUS_PEERS, else `../shared/peers` beside the repository."""
    env = os.environ.get("SINORUS_PEERS")
    return Path(env).resolve() if env else (ROOT.parent / "shared" / "peers").resolve()


@dataclass(frozen=True)
class App:
    name: str
    path: Path
    chart: str  # what draws its charts: "plotly" or "vega-lite"

    @property
    def cwd(self) -> Path:
        return self.path.parent


def apps() -> list[App]:
    """sinorus, the floor and Streamlit's GDP template; the floor is the yardstick for ratios."""
    peers = peers_dir()
    found = [
        App("sinorus", ROOT / "app.py", "plotly"),
        App("floor", peers / "floor" / "app.py", "plotly"),
        App("gdp-template", peers / "gdp-dashboard" / "streamlit_app.py", "vega-lite"),
    ]
    missing = [a for a in found if not a.path.is_file()]
    if missing:
        raise SystemExit(
            "bench: reference app(s) not found: "
            + ", ".join(str(a.path) for a in missing)
            + " (set SINORUS_PEERS to the directory holding floor/ and gdp-dashboard/)"
        )
    return found


FLOOR = "floor"


def chromium_path() -> str:
    path = os.environ.get("SINORUS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit(
            "bench: Chromium not found (apt-get install chromium, or SINORUS_CHROMIUM)"
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_cmd(app: App, port: int, args: tuple = ()) -> list[str]:
    # Every app gets the same server settings; each runs from its own directory, so each reads
    # its own .streamlit/config.toml (sinorus has one; the peers run on Streamlit's defaults).
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app.path),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *args,
    ]


@dataclass
class Server:
    app: App
    proc: subprocess.Popen
    url: str
    start_s: float  # process start to /_stcore/health answering 200


@contextmanager
def server(app: App, env: dict | None = None, timeout: float = 90, args: tuple = ()):
    """Start `streamlit run` for `app` (plus extra `args`) on a free loopback port; yield a
    `Server`; stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        server_cmd(app, port, args),
        cwd=app.cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"bench: {app.name} did not start on port {port}")
            time.sleep(0.02)
        yield Server(app, proc, url, time.perf_counter() - t0)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        for child in text.split():
            out.append(int(child))
            out.extend(_children(int(child)))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, MB (VmRSS from /proc; no psutil)."""
    return sum(_status_kb(p, "VmRSS") for p in [pid, *_children(pid)]) / 1024


# --- statistics -------------------------------------------------------------------------------


def summary(values: list[float]) -> dict:
    """Median and spread of repeated measurements (spread = IQR when n >= 4, else min..max)."""
    vals = sorted(v for v in values if v is not None and not math.isnan(v))
    if not vals:
        return {"n": 0, "median": None, "min": None, "max": None, "iqr": None, "values": []}
    n = len(vals)
    iqr = None
    if n >= 4:
        q = statistics.quantiles(vals, n=4, method="inclusive")
        iqr = q[2] - q[0]
    return {
        "n": n,
        "median": statistics.median(vals),
        "min": vals[0],
        "max": vals[-1],
        "iqr": iqr,
        "values": [round(v, 6) for v in values if v is not None],
    }


def loglog_slope(sizes: list[float], values: list[float]) -> float | None:
    """Least-squares slope of log(value) on log(size): the growth exponent (1 = linear)."""
    pts = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s > 0 and v]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def rotated(items: list, k: int) -> list:
    """`items` rotated by k, so each app takes each position in turn across repeats."""
    k %= len(items)
    return items[k:] + items[:k]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
