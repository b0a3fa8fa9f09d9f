"""Figures measured in headless Chromium: time to charts, interaction latency, bytes, memory.

An init script (INSTRUMENT) runs in every page before Streamlit's own code. A MutationObserver
stamps, on the page's clock (`performance.now()`, 0 = navigation start):
- each change in the number of chart containers and of charts drawn (a Plotly chart is drawn
  when its `.main-svg` exists; a Vega-Lite chart when its `.marks` svg/canvas exists);
- the last DOM mutation inside any chart (so "settled" = the last chart drawing work);
- every change of Streamlit's script state (`data-test-script-state` on stApp);
- per chart, whether it changed after the last key press (for the interaction figure).
Long tasks (PerformanceObserver 'longtask') and resource timings give the breakdown of where the
time goes (chart library download, main-thread work, first draw).
"""

from __future__ import annotations

import base64
import re
import time

from bench import anatomy
from bench.common import THUMBS, App, Server, rss_mb

CHART_CONTAINERS = "[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']"
INSTRUMENT = r"""
(() => {
  if (window.__bench) return;
  const CONTAINERS = "[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']";
  const DRAWN = ".main-svg, .vega-embed .marks, .vega-embed svg, .vega-embed canvas";
  const B = window.__bench = {
    counts: [], firstContainer: null, lastChartMutation: 0, states: [], state: null,
    keydown: null, touched: new WeakMap(), longtasks: [], nDrawn: 0, nContainers: 0,
    chartTimes: [],
  };
  const count = () => {
    const cs = document.querySelectorAll(CONTAINERS);
    let d = 0;
    cs.forEach(c => { if (c.querySelector(DRAWN)) d++; });
    return [cs.length, d];
  };
  const observer = new MutationObserver(muts => {
    const now = performance.now();
    for (const m of muts) {
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (!el || !el.closest) continue;
      if (m.type === 'attributes' && m.attributeName === 'data-test-script-state') {
        const s = el.getAttribute('data-test-script-state');
        if (s !== B.state) { B.states.push([now, s]); B.state = s; }
        continue;
      }
      const chart = el.closest(CONTAINERS);
      if (chart) {
        if (B.lastChartMutation !== now) B.chartTimes.push(now);
        B.lastChartMutation = now;
        B.touched.set(chart, now);
      }
    }
    const [c, d] = count();
    if (c && B.firstContainer === null) B.firstContainer = now;
    if (c !== B.nContainers || d !== B.nDrawn) { B.counts.push([now, c, d]); B.nContainers = c; B.nDrawn = d; }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  window.addEventListener('keydown', () => { B.keydown = performance.now(); }, true);
  // every websocket message on the page clock: [t, 'in'|'out', bytes, data (in only)], so the
  // bench can say what each rerun sent, element by element (bench/anatomy.py decodes them)
  B.ws = []; B.nIn = 0;
  const NativeWS = window.WebSocket;
  const size = d => d instanceof ArrayBuffer ? d.byteLength : (d && d.size !== undefined ? d.size : String(d).length);
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => { B.ws.push([performance.now(), 'in', size(e.data), e.data, B.nIn++]); });
    }
    send(data) { B.ws.push([performance.now(), 'out', size(data), null]); return super.send(data); }
  };
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) B.longtasks.push([e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {}
  // the websocket messages from time t, binary payloads as base64 (bench/anatomy.py)
  const b64 = buf => {
    const bytes = new Uint8Array(buf); let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  B.wsSince = t => B.ws.filter(m => m[0] >= t).map(m => [m[0], m[1], m[2], m[3] instanceof ArrayBuffer ? b64(m[3]) : null, m[4] === undefined ? null : m[4]]);
  // charts now on the page whose DOM changed at or after time t
  B.touchedSince = t => Array.from(document.querySelectorAll(CONTAINERS)).filter(c => (B.touched.get(c) || -1) >= t).length;
})();
"""
CHART_LIB = {
    "plotly": re.compile(r"PlotlyChart[^/]*\.js$"),
    "vega-lite": re.compile(r"/embed[^/]*\.js$"),
}
QUIET_MS = 600


def _b64len(data: str) -> int:
    try:
        return len(base64.b64decode(data))
    except (ValueError, TypeError):
        return len(data)


class ByteCounter:
    """Bytes the browser received, from the DevTools protocol (Network domain).

    HTTP: `Network.loadingFinished.encodedDataLength` (bytes on the wire: headers + body as
    sent, i.e. compressed if the server compressed it). WebSocket: the decoded payload length of
    every `Network.webSocketFrameReceived` (binary frames arrive base64-encoded in CDP).
    """

    def __init__(self, page):
        self.http = 0
        self.http_js = 0
        self.http_requests = 0
        self.ws_recv = 0
        self.ws_recv_frames = 0
        self.ws_sent_frames = 0
        self._urls: dict[str, str] = {}
        self.arrivals: list[float] = []
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._req)
        self.cdp.on("Network.loadingFinished", self._done)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketFrameSent", self._sent)
        self.cdp.send("Network.enable")

    def _req(self, ev):
        self._urls[ev["requestId"]] = ev["request"]["url"]

    def _done(self, ev):
        n = int(ev.get("encodedDataLength", 0))
        self.http += n
        self.http_requests += 1
        if self._urls.get(ev["requestId"], "").split("?")[0].endswith(".js"):
            self.http_js += n

    def _frame(self, ev):
        resp = ev["response"]
        data = resp.get("payloadData", "")
        self.ws_recv += _b64len(data) if resp.get("opcode") == 2 else len(data.encode())
        self.ws_recv_frames += 1
        self.arrivals.append(ev["timestamp"])  # network thread, monotonic s (bench/anatomy.py)

    def _sent(self, ev):
        self.ws_sent_frames += 1

    def snapshot(self) -> dict:
        return {
            "total": self.http + self.ws_recv,
            "http": self.http,
            "http_js": self.http_js,
            "http_requests": self.http_requests,
            "ws": self.ws_recv,
            "ws_frames_received": self.ws_recv_frames,
            "ws_frames_sent": self.ws_sent_frames,
        }


#: Each page's last run, delta path -> (digest, element): what the next run sends again unchanged.
_PREVIOUS: dict[int, dict] = {}
#: Each page's byte counter (its frames' arrival times, on the network thread).
_COUNTERS: dict[int, ByteCounter] = {}


def _wait_idle_after_run(page, since_js: str, timeout_ms: float) -> None:
    page.wait_for_function(
        f"""() => {{ const B = window.__bench; const t = {since_js};
            return t !== null && B.states.some(s => s[0] >= t && s[1] === 'running')
                && B.state === 'notRunning'; }}""",
        timeout=timeout_ms,
        polling=50,
    )


def _wait_quiet(page, timeout_ms: float) -> None:
    page.wait_for_function(
        f"""() => {{ const B = window.__bench;
            return performance.now() - Math.max(B.lastChartMutation, B.states.length ? B.states[B.states.length - 1][0] : 0) >= {QUIET_MS}; }}""",
        timeout=timeout_ms,
        polling=100,
    )


def open_and_wait(page, url: str, timeout_ms: float = 90_000) -> None:
    """Navigate and wait until the script ran, every chart container has drawn, and it is quiet."""
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    _wait_idle_after_run(page, "0", timeout_ms)
    page.wait_for_function(
        "() => window.__bench.nContainers > 0 && window.__bench.nDrawn === window.__bench.nContainers",
        timeout=timeout_ms,
        polling=50,
    )
    _wait_quiet(page, timeout_ms)


def first_view(browser, srv: Server) -> tuple[dict, object, object]:
    """Load the app in a fresh context (empty cache); returns (figures, page, context)."""
    app: App = srv.app
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(INSTRUMENT)
    page = context.new_page()
    counter = ByteCounter(page)
    open_and_wait(page, srv.url)
    b = page.evaluate(
        """() => { const B = window.__bench; return {
            counts: B.counts, firstContainer: B.firstContainer, lastChart: B.lastChartMutation,
            states: B.states, longtasks: B.longtasks,
            nav: performance.getEntriesByType('navigation').map(n => ({dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}))[0],
            res: performance.getEntriesByType('resource').map(r => [r.name, r.startTime, r.responseEnd, r.encodedBodySize, r.decodedBodySize]),
            paint: Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime])),
            ws: B.wsSince(0), chartTimes: B.chartTimes,
        }; }"""
    )
    _COUNTERS[id(page)] = counter
    parts, _PREVIOUS[id(page)] = anatomy.run(
        b["ws"], 0.0, b["chartTimes"], b["longtasks"], arrivals=counter.arrivals
    )
    n_final = b["counts"][-1][2]
    first = next((c[0] for c in b["counts"] if c[2] >= 1), None)
    all_drawn = next((c[0] for c in b["counts"] if c[2] >= n_final), None)
    lib = [r for r in b["res"] if CHART_LIB[app.chart].search(r[0].split("?")[0])]
    lib_start = lib[0][1] if lib else None
    lib_end = lib[0][2] if lib else None
    busy_after_lib = (
        sum(
            d
            for s, d in b["longtasks"]
            if lib_end is not None and first is not None and lib_end <= s <= first
        )
        if lib
        else None
    )
    fig = {
        "first_chart_ms": first,
        "all_charts_ms": all_drawn,
        "settled_ms": b["lastChart"],
        "charts": n_final,
        "dom_content_loaded_ms": (b["nav"] or {}).get("dcl"),
        "first_container_ms": b["firstContainer"],
        "chart_lib_request_ms": lib_start,
        "chart_lib_loaded_ms": lib_end,
        "chart_lib_bytes": lib[0][3] if lib else None,
        "longtask_ms_lib_to_first": busy_after_lib,
        "longtask_ms_total": sum(d for _, d in b["longtasks"]),
        "bytes": counter.snapshot(),
        "first_contentful_paint_ms": b["paint"].get("first-contentful-paint"),
        "anatomy": parts,
    }
    return fig, page, context


def interact(page, key: str, timeout_ms: float = 60_000) -> dict:
    """Press `key` on the first year-slider thumb; time until every chart has re-rendered."""
    page.evaluate("() => { window.__bench.keydown = null; }")
    thumb = page.locator(THUMBS).first
    thumb.focus()
    page.keyboard.press(key)
    _wait_idle_after_run(page, "window.__bench.keydown", timeout_ms)
    _wait_quiet(page, timeout_ms)
    r = page.evaluate(
        """() => { const B = window.__bench; const t = B.keydown;
            const run = B.states.filter(s => s[0] >= t);
            const done = run.filter(s => s[1] === 'notRunning').map(s => s[0]);
            return {keydown: t, rerun_done: done.length ? done[done.length - 1] - t : null,
                    last_chart: B.lastChartMutation >= t ? B.lastChartMutation - t : null,
                    touched: B.touchedSince(t), drawn: B.nDrawn,
                    ws: B.wsSince(t), chartTimes: B.chartTimes.filter(c => c >= t),
                    longtasks: B.longtasks.filter(l => l[0] >= t)}; }"""
    )
    parts, _PREVIOUS[id(page)] = anatomy.run(
        r["ws"],
        r["keydown"],
        r["chartTimes"],
        r["longtasks"],
        _PREVIOUS.get(id(page)),
        arrivals=_COUNTERS[id(page)].arrivals if id(page) in _COUNTERS else None,
    )
    return {
        "anatomy": parts,
        "latency_ms": r["last_chart"] if r["last_chart"] is not None else r["rerun_done"],
        "rerun_roundtrip_ms": r["rerun_done"],
        "charts_rerendered": r["touched"],
        "charts": r["drawn"],
    }


def memory(browser, srv: Server, pages: int, settle_s: float) -> dict:
    """Server RSS (process + children): fresh, 1 page, warm idle, `pages` pages, after closing."""
    pid = srv.proc.pid
    out = {"pages": pages, "settle_s": settle_s, "fresh_mb": rss_mb(pid)}
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(INSTRUMENT)
    page = ctx.new_page()
    open_and_wait(page, srv.url)
    time.sleep(1)
    out["one_page_mb"] = rss_mb(pid)
    ctx.close()
    time.sleep(settle_s)
    out["idle_mb"] = rss_mb(pid)  # warm idle: modules imported, caches filled, no session open
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(INSTRUMENT)
    opened = [ctx.new_page() for _ in range(pages)]
    for p in opened:
        p.goto(srv.url, wait_until="commit", timeout=120_000)
    drawn = 0
    for p in opened:
        try:
            p.wait_for_function(
                "() => window.__bench.nContainers > 0 && window.__bench.nDrawn === window.__bench.nContainers",
                timeout=120_000,
                polling=200,
            )
            drawn += 1
        except Exception:  # a page that never drew is counted, not fatal
            pass
    time.sleep(1)
    out["pages_drawn"] = drawn
    out["n_pages_mb"] = rss_mb(pid)
    ctx.close()
    samples = []
    t0 = time.monotonic()
    for wait in (1, 3, settle_s):
        time.sleep(max(0.0, wait - (time.monotonic() - t0)))
        samples.append([round(time.monotonic() - t0, 1), rss_mb(pid)])
    out["after_close_samples"] = samples
    out["after_close_mb"] = samples[-1][1]
    out["per_page_mb"] = (out["n_pages_mb"] - out["idle_mb"]) / pages
    out["after_vs_idle"] = out["after_close_mb"] / out["idle_mb"] if out["idle_mb"] else None
    return out
