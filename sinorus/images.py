"""Charts as pictures a journalist can paste: PNG and SVG with the title, notes, source line,
licence and the view's address drawn inside, as Our World in Data's exported charts carry them.

figure + provenance in, bytes out. Drawn on the server by kaleido with the system's Chromium
(Debian's `chromium`; nothing is downloaded at run time), only when a reader asks for a picture.
No Streamlit here.
"""

from __future__ import annotations

import os
import shutil
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
        return [
            f"Source: {self.source}",
            f"Licence: {self.licence}",
            f"sinorus · {self.address}",
        ]


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
    import plotly.io as pio

    out = picture(fig, provenance)
    try:
        return pio.to_image(
            out,
            format=fmt,
            width=out.layout.width,
            height=out.layout.height,
            scale=PNG_SCALE if fmt == "png" else 1,
        )
    except Exception as err:  # kaleido's errors name its internals; say what a reader can use
        raise ImageUnavailable(
            f"The picture could not be drawn on the server ({type(err).__name__})."
        ) from err
