"""The view's state in the URL (`?from=YEAR&to=YEAR&scale=log&view=data`), parsed without trust.

Pure functions: the UI passes `st.query_params` in as a plain mapping of lists. Whatever a URL
holds, the result is a valid view plus human-readable notices saying what was changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

KNOWN = ("from", "to", "scale", "view")
SCALES = ("linear", "log")
#: The page's sections, in order; the first is the default. (The URL names one `view=`, the
#: address people already share; in the code a "view" is an entry of `sinorus.views`.)
SECTIONS = ("trade", "composition", "data", "sources", "yours")
_YEAR = re.compile(r"[+-]?[0-9]{1,12}", re.ASCII)


def _shown(text: str, limit: int = 24) -> str:
    text = text if len(text) <= limit else text[:limit] + "…"
    return repr(text)


def parse(params: Mapping[str, Sequence[str]], span: tuple[int, int]) -> tuple[dict, list[str]]:
    """`{"year_range": (lo, hi), "scale": "linear"|"log"}` and the notices for what was fixed."""
    first, last = span
    notices: list[str] = []
    years = {}
    for key, default in (("from", first), ("to", last)):
        values = list(params.get(key, []))
        if not values:
            years[key] = default
            continue
        if len(values) > 1:
            notices.append(
                f"URL parameter '{key}' was given {len(values)} times; the first was used."
            )
        raw = str(values[0]).strip()
        if not _YEAR.fullmatch(raw):
            notices.append(f"URL parameter '{key}={_shown(raw)}' is not a year; using {default}.")
            years[key] = default
            continue
        year = int(raw)
        if year < first or year > last:
            clamped = min(max(year, first), last)
            notices.append(
                f"URL parameter '{key}={_shown(raw)}' is outside the data ({first}–{last}); using {clamped}."
            )
            year = clamped
        years[key] = year
    lo, hi = years["from"], years["to"]
    if lo > hi:
        notices.append(f"The URL's years were reversed ({lo} after {hi}); showing {hi}–{lo}.")
        lo, hi = hi, lo

    scale = "linear"
    values = list(params.get("scale", []))
    if values:
        if values[0] in SCALES:
            scale = values[0]
        else:
            notices.append(
                f"URL parameter 'scale={_shown(str(values[0]))}' is not one of linear, log; using linear."
            )
    view = SECTIONS[0]
    values = list(params.get("view", []))
    if values:
        if values[0] in SECTIONS:
            view = values[0]
        else:
            notices.append(
                f"URL parameter 'view={_shown(str(values[0]))}' is not one of {', '.join(SECTIONS)}; "
                f"showing {SECTIONS[0]}."
            )
    unknown = sorted(k for k in params if k not in KNOWN)
    if unknown:
        names = ", ".join(_shown(str(k)) for k in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        notices.append(f"Ignored unknown URL parameter(s): {names}.")
    return {"year_range": (lo, hi), "scale": scale, "view": view}, notices


def to_params(state: dict, span: tuple[int, int]) -> dict[str, str]:
    """The query parameters for a view; the defaults (full span, linear) are left out."""
    lo, hi = state["year_range"]
    params = {}
    if (lo, hi) != tuple(span):  # both or neither, so a shared link always reads as a range
        params["from"], params["to"] = str(lo), str(hi)
    if state.get("scale", "linear") != "linear":
        params["scale"] = state["scale"]
    if state.get("view", SECTIONS[0]) != SECTIONS[0]:
        params["view"] = state["view"]
    return params
