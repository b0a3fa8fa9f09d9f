"""Links to one chart and the code that embeds it elsewhere: pure functions of the view's state.

A chart-only page is `?embed=CHART` (CHART a registered view with a figure, e.g. `trade-total`)
with the usual `from`, `to`, `scale` and layer switches. Streamlit reserves the parameter `embed`
(its own `embed=true` hides its chrome; the page's `st.query_params` never shows it), so the
chart is read from the raw query string (`requested_chart`); `embed=true` may stand beside it.

Links and embeds read in the language they were made in: `lang=` (as `urlstate.to_params` writes
it) is kept, and added for the page's language where the parameters given lack it.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlencode

from sinorus import i18n, urlstate

#: Streamlit's own embed parameters: never a chart, never "unknown" to the page.
STREAMLIT_EMBED = ("embed", "embed_options")
#: Streamlit's own values of `embed` (its frontend reads only `true`).
STREAMLIT_EMBED_VALUES = ("true", "false")

#: Each embeddable chart -> the page's section that shows it (`?view=`).
SECTION_OF = {
    "trade-total": "trade",
    "share-of-china-trade": "composition",
    "growth": "composition",
    "trade-to-gdp": "composition",
    "source-contributions": "composition",
    "claims-and-records": "claims",
    "documents-and-imported-totals": "yours",
    "direction": "yours",
    "commodity-treemap": "yours",
    "commodity-area": "yours",
}

#: Preview sizes offered for the embed code: label -> (width, height) as iframe attributes.
SIZES = {
    "600 × 400": ("600", "400"),
    "800 × 600": ("800", "600"),
    "100% × 500": ("100%", "500"),
}


def requested_chart(query_string: str) -> str | None:
    """The chart `?embed=CHART` asks for (the first value of `embed` that is not Streamlit's
    own), or None for the full page. Not checked against the registry: see `embeddable`."""
    values = parse_qs(query_string or "", keep_blank_values=True).get("embed", [])
    for value in values:
        if value.strip().lower() not in STREAMLIT_EMBED_VALUES:
            return value.strip()
    return None


def embeddable(slugs) -> list[str]:
    """Of `slugs` (the views this package can draw), those a page can show alone, in order."""
    have = set(slugs)
    return [s for s in SECTION_OF if s in have]


def _query(params: dict[str, str]) -> str:
    return ("?" + urlencode(params)) if params else ""


def _chart_state(params: dict[str, str]) -> dict[str, str]:
    """The view's state that applies to one chart: `params` without Streamlit's embed keys and
    the section (`view`); the page's language (`lang`, left out for English, as
    `urlstate.to_params` writes it) where `params` does not name one."""
    out = {k: v for k, v in params.items() if k not in STREAMLIT_EMBED and k != "view"}
    lang = i18n.current()
    if "lang" not in out and lang != i18n.DEFAULT:
        out["lang"] = lang
    return out


def view_params(params: dict[str, str], slug: str) -> dict[str, str]:
    """The full page's parameters opening on `slug`'s section: `params` (the view's state, as
    `urlstate.to_params` writes it) without Streamlit's embed keys, `view` set to the section
    (left out for the first section, as the page writes it)."""
    out = _chart_state(params)
    section = SECTION_OF.get(slug, urlstate.SECTIONS[0])
    if section != urlstate.SECTIONS[0]:
        out["view"] = section
    return out


def chart_link(base_url: str, params: dict[str, str], slug: str) -> str:
    """The full page at this range and these switches, on `slug`'s section, scrolled to the
    chart (its heading's anchor is its slug)."""
    anchor = f"#{slug}" if slug in SECTION_OF else ""
    return base_url.rstrip("/") + "/" + _query(view_params(params, slug)) + anchor


def embed_src(base_url: str, params: dict[str, str], slug: str) -> str:
    """The chart-only page of `slug` at this range and these switches."""
    return base_url.rstrip("/") + "/" + _query({"embed": slug, **_chart_state(params)})


def iframe(src: str, size: str, title: str) -> str:
    """The HTML that embeds `src` at one of `SIZES`."""
    width, height = SIZES[size]
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy" style="border:0"></iframe>'
    )
