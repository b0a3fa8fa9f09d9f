"""The view's state in the URL (`?from=YEAR&to=YEAR&scale=log&record=off&reports=off&events=off
&view=data`), parsed without trust.

Pure functions: the UI passes `st.query_params` in as a plain mapping of lists. Whatever a URL
holds, the result is a valid view plus human-readable notices saying what was changed.

The years: `span` is what the slider offers (the documents' years widened by the later reports'
layer), `default` the range shown when the URL names none (the documents' years). A URL with
neither `from` nor `to` shows the default; with one of them, the other is the default's (or the
span's, where the default's would put it before the one given).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sinorus import i18n
from sinorus.i18n import _

KNOWN = ("from", "to", "scale", "record", "reports", "events", "view", "lang")
SCALES = ("linear", "log")
#: The trade chart's layers, each one switch: the official record (`record`), the later reports
#: (`reports`) and the events (`events`); each shown unless `=off`.
LAYER = ("on", "off")
#: The page's sections, in order; the first is the default. (The URL names one `view=`, the
#: address people already share; in the code a "view" is an entry of `sinorus.views`.)
SECTIONS = ("trade", "composition", "data", "claims", "sources", "yours")
_YEAR = re.compile(r"[+-]?[0-9]{1,12}", re.ASCII)


def _shown(text: str, limit: int = 24) -> str:
    """`text` in single quotes, once, cut after `limit` characters; control characters escaped
    as Python writes them (a URL can hold any)."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return "'" + repr(text)[1:-1] + "'"


def parse(
    params: Mapping[str, Sequence[str]],
    span: tuple[int, int],
    default: tuple[int, int] | None = None,
) -> tuple[dict, list[str]]:
    """`{"year_range": (lo, hi), "scale": "linear"|"log", "record": bool, "reports": bool,
    "events": bool, "view": section}`
    and the notices for what was fixed. `default` (within `span`; default: all of it) is the
    range shown when the URL names no years."""
    notices: list[str] = []
    year_range = _years(params, span, default or span, notices)
    scale = _choice(params, "scale", SCALES, _("using linear"), notices)
    record = _choice(params, "record", LAYER, _("showing the official record"), notices)
    layer = _choice(params, "reports", LAYER, _("showing the later reports"), notices)
    events = _choice(params, "events", LAYER, _("showing the events"), notices)
    view = _choice(
        params, "view", SECTIONS, _("showing {section}").format(section=SECTIONS[0]), notices
    )
    _language(params, notices)
    unknown = sorted(k for k in params if k not in KNOWN)
    if unknown:
        names = ", ".join(_shown(str(k)) for k in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        notices.append(_("Ignored unknown URL parameter(s): {names}.").format(names=names))
    state = {
        "year_range": year_range,
        "scale": scale,
        "record": record == "on",
        "reports": layer == "on",
        "events": events == "on",
        "view": view,
    }
    return state, notices


def _language(params, notices: list[str]) -> None:
    """`lang` is the page's to apply (`sinorus.ui.language`); one it does not offer is said."""
    values = list(params.get("lang", []))
    if values and values[0] not in i18n.available():
        notices.append(
            _(
                "URL parameter lang={value} is not one of {allowed}; using the browser's language."
            ).format(value=_shown(str(values[0])), allowed=", ".join(i18n.available()))
        )


def _years(params, span, default, notices: list[str]) -> tuple[int, int]:
    first, last = span
    given = {}
    for key in ("from", "to"):
        values = list(params.get(key, []))
        if not values:
            continue
        if len(values) > 1:
            notices.append(
                _("URL parameter '{key}' was given {count} times; the first was used.").format(
                    key=key, count=len(values)
                )
            )
        raw = str(values[0]).strip()
        if not _YEAR.fullmatch(raw):
            notices.append(
                _("URL parameter {key}={value} is not a year; using {year}.").format(
                    key=key, value=_shown(raw), year=default[0] if key == "from" else default[1]
                )
            )
            continue
        year = int(raw)
        if year < first or year > last:
            clamped = min(max(year, first), last)
            notices.append(
                _(
                    "URL parameter {key}={value} is outside the data ({first}–{last}); "
                    "using {year}."
                ).format(key=key, value=_shown(raw), first=first, last=last, year=clamped)
            )
            year = clamped
        given[key] = year
    if "from" in given and "to" in given:
        lo, hi = given["from"], given["to"]
        if lo > hi:
            notices.append(
                _("The URL's years were reversed ({lo} after {hi}); showing {hi}–{lo}.").format(
                    lo=lo, hi=hi
                )
            )
            lo, hi = hi, lo
        return lo, hi
    if "from" in given:  # the default's end, or the span's where that is before it
        lo = given["from"]
        return lo, default[1] if default[1] >= lo else last
    if "to" in given:
        hi = given["to"]
        return default[0] if default[0] <= hi else first, hi
    return tuple(default)


def _choice(params, key: str, allowed: tuple[str, ...], fallback: str, notices) -> str:
    """The first value of `key` if it is one of `allowed`, else the first allowed (a notice)."""
    values = list(params.get(key, []))
    if not values:
        return allowed[0]
    if values[0] in allowed:
        return values[0]
    notices.append(
        _("URL parameter {key}={value} is not one of {allowed}; {fallback}.").format(
            key=key, value=_shown(str(values[0])), allowed=", ".join(allowed), fallback=fallback
        )
    )
    return allowed[0]


def to_params(
    state: dict, span: tuple[int, int], default: tuple[int, int] | None = None
) -> dict[str, str]:
    """The query parameters for a view; the defaults (the default range, linear, every layer
    shown, the first section) are left out."""
    lo, hi = state["year_range"]
    params = {}
    if (lo, hi) != tuple(default or span):  # both or neither: a shared link reads as a range
        params["from"], params["to"] = str(lo), str(hi)
    if state.get("scale", "linear") != "linear":
        params["scale"] = state["scale"]
    for layer in ("record", "reports", "events"):
        if not state.get(layer, True):
            params[layer] = "off"
    if state.get("view", SECTIONS[0]) != SECTIONS[0]:
        params["view"] = state["view"]
    if state.get("lang", "en") != "en":  # a shared link reads in the language it was read in
        params["lang"] = state["lang"]
    return params
