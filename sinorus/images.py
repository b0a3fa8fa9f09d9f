"""Charts as pictures a journalist can paste: PNG and SVG with the title, notes, source line,
licence and the view's address drawn inside, as Our World in Data's exported charts carry them.

figure + provenance in, bytes out. Drawn on the server by kaleido with the system's Chromium
(Debian's `chromium`; nothing is downloaded at run time), only when a reader asks for a picture.
No Streamlit here.

Pictures are drawn in a pool of processes of their own (`AT_ONCE` at a time, `WAITING` more
queued, any more refused with a reason), never in a thread that serves other downloads: each
picture is a fresh process (a kaleido and its Chromium hold hundreds of MB), started by a fork
server that holds nothing loaded, and given `TIMEOUT` seconds, after which its Chromium and every
process under it is killed (Chromium starts a session of its own, so its process group is not
enough).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import plotly.graph_objects as go

from sinorus import i18n
from sinorus.charts import with_header
from sinorus.i18n import _

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH = 1000  # px of the picture (PNG at twice that for sharp print)
PNG_SCALE = 2
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ImageUnavailable(RuntimeError):
    """The picture cannot be drawn here; the message says why, in a reader's words."""


@dataclass(frozen=True)
class Provenance:
    """What a picture must say about itself."""

    source: str  # e.g. "Voice of America (VOA News), Aug 2007; East Asian Institute, 8 Aug 2007"
    licence: str  # e.g. "Data curation CC BY 4.0; VOA: public domain; EAI: © …"
    address: str  # the view's URL, with its year range and section

    def footer(self) -> list[str]:
        """The lines under the picture; a source or licence longer than `FOOTER_CHARS` (a
        3,000-character publisher, say) is cut with "…", so the footer stays a few lines and
        leaves the plot its room."""
        return [
            _("Source: {source}").format(source=_capped(self.source)),
            _("Licence: {licence}").format(licence=_capped(self.licence)),
            f"sinorus · {self.address}",
        ]


#: Characters of a source or licence line drawn in a picture (two footer lines at its width).
FOOTER_CHARS = 240


def _capped(text: str, limit: int = FOOTER_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def browser() -> str | None:
    """The Chromium kaleido will use ($BROWSER_PATH, as kaleido reads it, else on PATH)."""
    path = os.environ.get("BROWSER_PATH")
    if path:
        return path if os.path.exists(path) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def unavailable() -> str | None:
    """Why pictures cannot be drawn on this server, or None when they can."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return _("Pictures need the kaleido package on the server (pip install 'kaleido>=1').")
    if browser() is None:
        return _("Pictures need Chromium on the server (apt-get install chromium).")
    return None


def picture(fig: go.Figure, provenance: Provenance) -> go.Figure:
    """The figure as it is drawn into a picture: header and footer inside, fixed width. Drawn
    here, in the page's language (the figure's own words arrive translated; the footer's are
    made here), so the pool's process only renders the words it is handed."""
    return with_header(fig, footer=provenance.footer(), width=WIDTH)


#: Seconds one picture may take ($SINORUS_IMAGE_TIMEOUT); the attempts made before giving up
#: (a Chromium that hangs on start is killed and started again).
TIMEOUT = float(os.environ.get("SINORUS_IMAGE_TIMEOUT", "60"))
ATTEMPTS = 2
#: Pictures drawn at once ($SINORUS_PICTURES_AT_ONCE) and waiting their turn at most
#: ($SINORUS_PICTURES_WAITING); a picture asked for beyond both is refused with a reason.
AT_ONCE = max(1, int(os.environ.get("SINORUS_PICTURES_AT_ONCE", "2")))
WAITING = max(0, int(os.environ.get("SINORUS_PICTURES_WAITING", "8")))
#: Seconds a worker whose Chromium was killed has to report before it ends itself.
GRACE = 5.0


class Busy(ImageUnavailable):
    """Refused at once: as many pictures as the server draws and queues are under way."""


def render(fig: go.Figure, fmt: str, provenance: Provenance) -> bytes:
    """PNG or SVG bytes of `fig` with its header and `provenance` drawn in (waits its turn).

    Raises ImageUnavailable (with the reason) where kaleido or Chromium is missing or fails, or
    Busy when the queue is full."""
    return draw(fig, fmt, provenance).result()


def draw(fig: go.Figure, fmt: str, provenance: Provenance) -> Drawing:
    """Start drawing `fig` as `fmt` in the picture pool; `.done()` and `.result()` follow it.

    Raises ValueError for an unknown format, ImageUnavailable where pictures cannot be drawn
    here, Busy when AT_ONCE pictures are being drawn and WAITING more wait."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    reason = unavailable()
    if reason:
        raise ImageUnavailable(reason)
    out = picture(fig, provenance)
    scale = PNG_SCALE if fmt == "png" else 1
    job = (
        out.to_json(),
        fmt,
        out.layout.width,
        out.layout.height,
        scale,
        TIMEOUT,
        browser(),
        i18n.current(),  # the worker's reasons (a hang, a failure) in the reader's language
    )
    return Drawing(job)


class Drawing:
    """One picture in the pool: tried again once if its Chromium hung (killed at TIMEOUT)."""

    def __init__(self, job: tuple) -> None:
        self._job = job
        self.attempts = 1
        self._future = _submit(job)

    def done(self) -> bool:
        """Whether the picture is drawn or has failed for good (never blocks)."""
        return self._future.done() and not self._retry()

    def result(self) -> bytes:
        """The picture's bytes, once drawn (blocks); ImageUnavailable with the reason."""
        while True:
            try:
                return self._future.result()
            except (Hung, BrokenProcessPool) as err:
                if not self._retry():
                    if isinstance(err, Hung):
                        raise
                    raise ImageUnavailable(
                        _(
                            "The process drawing the picture stopped (the server may be short "
                            "of memory); try again."
                        )
                    ) from None

    def _retry(self) -> bool:
        """Draw it again (holding its place in the queue) if it hung or its pool broke."""
        error = self._future.exception()
        if isinstance(error, (Hung, BrokenProcessPool)) and self.attempts < ATTEMPTS:
            self.attempts += 1
            self._future = _submit(self._job, queued=True)
            return True
        return False


class Hung(ImageUnavailable):
    """The picture took over TIMEOUT seconds: its Chromium was killed."""


_LOCK = threading.Lock()
_POOL: ProcessPoolExecutor | None = None
_UNDER_WAY = 0  # pictures drawing or waiting in the pool


def under_way() -> int:
    """Pictures being drawn or waiting in the pool now."""
    return _UNDER_WAY


def _submit(job: tuple, queued: bool = False) -> Future:
    """Hand `job` to the pool (refused with Busy when it is full, unless it already held a
    place: a second attempt)."""
    global _POOL, _UNDER_WAY
    with _LOCK:
        if not queued and _UNDER_WAY >= AT_ONCE + WAITING:
            raise Busy(
                _(
                    "The server is drawing {drawing} pictures and {waiting} more are waiting; "
                    "try again in a minute."
                ).format(drawing=AT_ONCE, waiting=WAITING)
            )
        for _attempt in range(2):
            if _POOL is None:
                _POOL = ProcessPoolExecutor(
                    max_workers=AT_ONCE,
                    mp_context=_context(),
                    max_tasks_per_child=1,
                    initializer=_worker_start,
                )
            try:
                future = _POOL.submit(_draw, *job)
                break
            except BrokenProcessPool:  # a worker died (killed for memory): start a new pool
                _POOL = None
        _UNDER_WAY += 1
    future.add_done_callback(_finished)
    return future


def _finished(_future: Future) -> None:
    global _UNDER_WAY
    with _LOCK:
        _UNDER_WAY -= 1
        if isinstance(_future.exception(), BrokenProcessPool):
            global _POOL
            _POOL = None


def _worker_start() -> None:
    """A worker in a session of its own (nothing it starts shares the server's signals), and
    with a lower priority, as its Chromium: a picture waits for the CPU, a reader's page does
    not."""
    os.setsid()
    os.nice(NICE)


#: How much lower a picture's processes run than the server ($SINORUS_PICTURES_NICE).
NICE = int(os.environ.get("SINORUS_PICTURES_NICE", "10"))


def _context():
    """Workers started by a fork server that holds nothing loaded (forking a server whose
    DuckDB threads ran is not safe); where there is none, started afresh. Either way a worker
    runs the main script again first: app.py keeps the page behind its `__main__` guard."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _draw(
    fig_json: str,
    fmt: str,
    width,
    height,
    scale,
    timeout: float,
    browser_path,
    lang: str = i18n.DEFAULT,
) -> bytes:
    """In a worker of the pool: the picture's bytes, drawn by kaleido within `timeout` seconds,
    after which its Chromium and everything under it is killed (Hung). The worker is another
    process: its reasons are given in `lang`, the language of the page that asked."""
    with i18n.using(lang):
        return _draw_here(fig_json, fmt, width, height, scale, timeout, browser_path)


def _draw_here(fig_json: str, fmt: str, width, height, scale, timeout, browser_path) -> bytes:
    import plotly.io as pio

    if browser_path:
        os.environ["BROWSER_PATH"] = browser_path
    hung = threading.Event()
    watchdog = threading.Timer(timeout, _give_up, args=(hung,))
    watchdog.daemon = True
    watchdog.start()
    try:
        fig = pio.from_json(fig_json)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                out = pio.to_image(
                    fig, format=fmt, width=int(width), height=int(height), scale=scale
                )
                break
            except Exception:
                # kaleido now and then asks its page to draw before the page's script has run
                # ("ReferenceError: kaleido_scopes is not defined", seen with pictures drawn two
                # at a time): a fresh kaleido draws it; a figure that cannot be drawn fails twice
                if hung.is_set() or attempt == ATTEMPTS:
                    raise
    except Exception as err:
        if hung.is_set():
            raise Hung(_too_long(timeout)) from None
        last = (str(err).strip().splitlines() or [type(err).__name__])[-1]
        raise ImageUnavailable(
            _("The picture could not be drawn on the server ({error}).").format(error=last[:120])
        ) from None
    finally:
        watchdog.cancel()
    if hung.is_set() or not out:
        raise Hung(_too_long(timeout))
    return out


def _too_long(timeout: float) -> str:
    return _("The picture took over {seconds} s to draw on the server; try again.").format(
        seconds=i18n.number(timeout, "g")
    )


def _give_up(hung: threading.Event) -> None:
    """Kill every process this worker started (Chromium and its children, each in whatever
    session or group it made), so that kaleido fails at once; if it still does not return,
    end the worker itself after GRACE seconds."""
    import psutil

    hung.set()
    for _round in range(3):  # a child may start another while we kill: look again
        found = psutil.Process().children(recursive=True)
        if not found:
            break
        for child in found:
            try:
                group = os.getpgid(child.pid)
                if group != os.getpgid(0):
                    os.killpg(group, signal.SIGKILL)
                child.kill()
            except (ProcessLookupError, psutil.NoSuchProcess, PermissionError):
                pass
        psutil.wait_procs(found, timeout=1)
    ender = threading.Timer(GRACE, os._exit, args=(1,))
    ender.daemon = True
    ender.start()
