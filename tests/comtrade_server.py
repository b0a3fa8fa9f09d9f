"""A local stand-in for the UN Comtrade v1 API (127.0.0.1, a free port, a thread), serving
SYNTHETIC responses in the API's documented shape, {"elapsedTime", "count", "data": [...],
"error"}, with the Comtrade+ record layout of tests/fixtures/make_synthetic.py. Every value is
invented for tests: these are NOT real UN Comtrade figures (commodity descriptions start with
"SYNTHETIC"). The error bodies are hand-written files in tests/fixtures (comtrade-api-*.json).

Data answers follow the query: one record per year, reporter (with its partner), flow and
commodity asked. Like the real public preview, the preview path answers a request for more than
one period with HTTP 400 "Maximum number of periods for preview is 1" (the message as recorded
from the real API, see ../shared/comtrade-api/README.md; the body's JSON shape is assumed).
`script` holds answers for the next requests, in order; `always` answers every request after
that (None: data). Each request is recorded in `requests`.

Hostile answers (`{"hostile": ...}`), each bounded so the stand-in stops by itself: "claim" (a
Content-Length of 1 GiB, then a few bytes and the connection closed), "oversize" (`size` bytes
of a JSON string), "oversize stream" (as many bytes without a Content-Length), "gzip bomb" (a small gzip body that decompresses to `size` bytes), "drip"
(the headers, then one byte every `every` seconds, at most `size` bytes), "drip headers" (the
same in the middle of a header).
"""

from __future__ import annotations

import functools
import json
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from tests.fixtures.make_synthetic import plus_record

FIX = Path(__file__).resolve().parent / "fixtures"
PATHS = ("/public/v1/preview/C/A/HS", "/data/v1/get/C/A/HS")
PREVIEW_PERIODS = b'{"statusCode": 400, "message": "Maximum number of periods for preview is 1"}'
ISO = {"156": "CHN", "643": "RUS"}
#: The chapters a synthetic AG2 answer holds (make_synthetic has descriptions for these).
CHAPTERS = ("27", "44", "84", "85")
SHARE = {"27": 0.4, "44": 0.05, "84": 0.2, "85": 0.25}
FACTOR = {("156", "X"): 1.0, ("156", "M"): 1.1, ("643", "X"): 1.05, ("643", "M"): 0.93}


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def value(year: int, reporter: str, flow: str, cmd: str = "TOTAL") -> float:
    """The synthetic US$ value every answer gives for this key (so slices always agree)."""
    total = round((year - 1985) * 1e9 * FACTOR[reporter, flow])
    return float(total if cmd == "TOTAL" else round(total * SHARE[cmd]))


def records(params: dict, empty_years=()) -> list[dict]:
    years = [int(y) for y in params["period"].split(",")]
    codes = []
    for code in params["cmdCode"].split(","):
        codes += list(CHAPTERS) if code == "AG2" else [code]
    out = []
    for year in years:
        if year in empty_years:
            continue
        for rep in params["reporterCode"].split(","):
            for par in params["partnerCode"].split(","):
                if par == rep:
                    continue
                for flow in params["flowCode"].split(","):
                    for cmd in codes:
                        rec = plus_record(year, ISO[rep], ISO[par], flow, cmd, value(year, rep, flow, cmd))  # fmt: skip
                        rec = {k: (None if v == "" else v) for k, v in rec.items()}
                        rec["isAggregate"] = rec["isAggregate"] == "True"
                        out.append(rec)
    return out


@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """A gzip body of about size / 1,000 bytes that decompresses to `size` bytes (a JSON object
    with one long string), compressed a megabyte at a time."""
    pack = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [pack.compress(b'{"data": [], "pad": "')]
    for start in range(0, size, 1 << 20):
        parts.append(pack.compress(b" " * min(1 << 20, size - start)))
    parts.append(pack.compress(b'"}') + pack.flush())
    return b"".join(parts)


def body(data: list, error: str = "") -> bytes:
    doc = {"elapsedTime": "0.05 secs", "count": len(data), "data": data, "error": error}
    return json.dumps(doc).encode()


@dataclass
class Request:
    path: str
    query: str
    params: dict
    headers: dict

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.params["period"].split(",")]


@dataclass
class Server:
    """The stand-in's state (see the module docstring)."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    script: list[dict] = field(default_factory=list)
    always: dict | None = None
    #: a data answer asking for more years than this is cut: it holds maxRecords records
    cut_over_years: int | None = None
    #: ... and this many more than maxRecords (a server that ignores the limit)
    over_by: int = 0
    empty_years: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return len(self.requests)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 (the http.server name)
        state: Server = self.server.state
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query))
        with state.lock:
            state.requests.append(Request(parts.path, parts.query, params, dict(self.headers)))
            action = state.script.pop(0) if state.script else state.always
        action = action or {}
        if parts.path not in PATHS:
            return self._send(404, b'{"statusCode": 404, "message": "SYNTHETIC: Resource not found"}')  # fmt: skip
        if "delay" in action:  # an answer slower than the client waits for (then data)
            time.sleep(action["delay"])
        if "hostile" in action:
            return self._hostile(action)
        if "status" in action:
            return self._send(action["status"], action.get("body", b""), action.get("headers", {}))
        if "body" in action:
            return self._send(200, action["body"])
        if parts.path == PATHS[0] and len(params.get("period", "").split(",")) > 1:
            return self._send(400, PREVIEW_PERIODS)
        data = records(params, state.empty_years)
        limit = int(params.get("maxRecords", 500))
        if state.cut_over_years is not None and len(params["period"].split(",")) > state.cut_over_years:  # fmt: skip
            data = (data * (limit // max(len(data), 1) + 2))[: limit + state.over_by]
        full = body(data)
        if action.get("cut") == "connection":  # the connection closes before the promised end
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(full)))
            self.end_headers()
            self.wfile.write(full[: len(full) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if action.get("cut") == "body":  # a complete answer whose JSON stops half-way
            return self._send(200, full[: len(full) // 2])
        return self._send(200, full)

    def _hostile(self, action: dict):
        kind, size = action["hostile"], action.get("size", 0)
        self.close_connection = True
        if kind == "drip headers":  # the status line, then a header a byte at a time
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            return self._drip(size, action.get("every", 1.0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if kind == "claim":
            self.send_header("Content-Length", str(2**30))
            self.end_headers()
            self.wfile.write(b'{"data": [')
        elif kind == "oversize":
            payload = b'{"data": [], "pad": "' + b"x" * size + b'"}'
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif kind == "oversize stream":  # no Content-Length: the body ends when the connection does
            self.end_headers()
            for _ in range(size // 65536 + 1):  # bounded: about `size` bytes
                try:
                    self.wfile.write(b"x" * 65536)
                except OSError:  # the client gave up
                    return
        elif kind == "gzip bomb":
            payload = gzip_bomb(size)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif kind == "drip":
            self.send_header("Content-Length", str(size))
            self.end_headers()
            self._drip(size, action.get("every", 1.0))

    def _drip(self, size: int, every: float):
        for _ in range(size):  # bounded: at most `size` bytes, then the handler ends
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:  # the client gave up
                return
            time.sleep(every)

    def _send(self, status: int, payload: bytes, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, val in (headers or {}).items():
            self.send_header(name, val)
        self.end_headers()
        self.wfile.write(payload)


class Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that gave up is expected
        pass


def serve():
    """Start a stand-in; returns (state, stop)."""
    httpd = Quiet(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state = Server(url=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.state = state
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()

    def stop():
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)

    return state, stop


def offline_client(monkeypatch, cache) -> list[float]:
    """The API client with no pacing and no real waits (each wait recorded in the list
    returned), no key or address from the environment, and `cache` (a fresh folder) as the
    user's cache, where fetch keeps responses for a later run."""
    from sinorus.importers import comtrade_api as api

    monkeypatch.setenv("SINORUS_CACHE_DIR", str(cache))
    waits = []
    monkeypatch.setattr(api, "_sleep", waits.append)
    monkeypatch.setenv(api.INTERVAL_ENV, "0")
    for name in (api.KEY_ENV, api.URL_ENV, "SINORUS_DATA"):
        monkeypatch.delenv(name, raising=False)
    return waits
