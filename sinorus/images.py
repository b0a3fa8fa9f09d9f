"""Charts as pictures a journalist can paste: PNG and SVG with the title, notes, source line,
licence and the view's address drawn inside, as Our World in Data's exported charts carry them.

figure + provenance in, bytes out. Drawn on the server by kaleido with the system's Chromium
(Debian's `chromium`; nothing is downloaded at run time), only when a reader asks for a picture.
No Streamlit here.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass

import plotly.graph_objects as go

from sinorus.charts import with_header

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
            f"Source: {_capped(self.source)}",
            f"Licence: {_capped(self.licence)}",
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
        return "Pictures need the kaleido package on the server (pip install 'kaleido>=1')."
    if browser() is None:
        return "Pictures need Chromium on the server (apt-get install chromium)."
    return None


def picture(fig: go.Figure, provenance: Provenance) -> go.Figure:
    """The figure as it is drawn into a picture: header and footer inside, fixed width."""
    return with_header(fig, footer=provenance.footer(), width=WIDTH)


def render(fig: go.Figure, fmt: str, provenance: Provenance) -> bytes:
    """PNG or SVG bytes of `fig` with its header and `provenance` drawn in.

    Raises ImageUnavailable (with the reason) where kaleido or Chromium is missing or fails."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    reason = unavailable()
    if reason:
        raise ImageUnavailable(reason)
    out = picture(fig, provenance)
    scale = PNG_SCALE if fmt == "png" else 1
    reasons = []
    for _ in range(ATTEMPTS):  # a Chromium that hangs on start is killed and started again
        try:
            return _draw_apart(out.to_json(), fmt, out.layout.width, out.layout.height, scale)
        except ImageUnavailable as err:
            reasons.append(str(err))
    raise ImageUnavailable(reasons[-1])


#: Seconds one picture may take ($SINORUS_IMAGE_TIMEOUT); the attempts made before giving up.
TIMEOUT = float(os.environ.get("SINORUS_IMAGE_TIMEOUT", "60"))
ATTEMPTS = 2
_CHILD = """
import sys
import plotly.io as pio
fmt, width, height, scale = sys.argv[1], int(float(sys.argv[2])), int(float(sys.argv[3])), float(sys.argv[4])
fig = pio.from_json(sys.stdin.read())
sys.stdout.buffer.write(pio.to_image(fig, format=fmt, width=width, height=height, scale=scale))
"""


def _draw_apart(fig_json: str, fmt: str, width, height, scale) -> bytes:
    """Draw with kaleido in a child process of its own session, so that a Chromium that hangs is
    killed with everything it started, after TIMEOUT seconds, and never holds the server."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, fmt, str(width), str(height), str(scale)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(fig_json.encode(), timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ImageUnavailable(
            f"The picture took over {TIMEOUT:g} s to draw on the server; try again."
        ) from None
    if proc.returncode != 0 or not out:
        last = (err.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise ImageUnavailable(f"The picture could not be drawn on the server ({last[:120]}).")
    return out
