"""Where a page's time and bytes go: the script run, the websocket bytes per element and the
browser's work, for a first view and for each range change (issue 25's profile).

The page's init script (`bench.browser.INSTRUMENT`) records every websocket message on the page
clock (sent: the browser's requests; received: Streamlit's `ForwardMsg`s, kept whole), the long
tasks and each DOM change inside a chart. Here the received messages are decoded with
Streamlit's own protobuf classes, so each delta is attributed to the element it draws
(`plotly_chart`, `markdown`, `metric`, `download_button`, ... or `block` for a container), and
the timeline of one run is cut into:

- **request**: key press (or navigation) to the browser's rerun request (the slider's debounce);
- **server**: that request to `script_finished` arriving (the script run and the transfer of
  its deltas, on loopback);
- **chart delta → chart drawn**: the chart's delta arriving to the last DOM change inside a
  chart (Plotly's re-render, behind whatever else the main thread does);
- **after the script**: `script_finished` to the last chart change (drawing left once the
  server is done);
- **long tasks**: main-thread tasks over 50 ms in the window (parse, React, Plotly).

A delta is "unchanged" when the element at the same place (delta path) has the same bytes as in
the run before it: bytes a range change sends again although nothing in them changed.
"""

from __future__ import annotations

import base64
import hashlib


def _kind(raw: bytes) -> tuple[str, str | None, tuple, str]:
    """(message type, element type or None, delta path, digest of the delta) of one message."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(raw)
    kind = msg.WhichOneof("type") or "?"
    element = None
    digest = ""
    if kind == "delta":
        which = msg.delta.WhichOneof("type")
        if which == "new_element":
            element = msg.delta.new_element.WhichOneof("type") or "element"
        elif which == "add_block":
            element = "block"
        else:
            element = which or "delta"
        digest = hashlib.sha1(msg.delta.SerializeToString(deterministic=True)).hexdigest()
    elif kind == "ref_hash":  # a message the browser holds already: named by its path below
        element = "ref_hash"
    return kind, element, tuple(msg.metadata.delta_path), digest


def decode(messages: list, arrivals: list[float] | None = None) -> list[dict]:
    """The page's websocket log ([t, 'in'|'out', bytes, base64 or None, index of a received
    message]) as dicts. With `arrivals` (each received frame's time on the network thread,
    DevTools' monotonic seconds, in order), a received message's `t` is when it arrived, not
    when the busy main thread got to it (`queued_ms`): the clocks are matched on the message
    that waited least."""
    offset = None
    if arrivals:
        gaps = [m[0] - arrivals[m[4]] * 1000 for m in messages if m[1] == "in" and m[4] is not None and m[4] < len(arrivals)]  # fmt: skip
        offset = min(gaps) if gaps else None
    out = []
    for t, direction, size, data, index in messages:
        arrived = t
        if offset is not None and index is not None and index < len(arrivals):
            arrived = arrivals[index] * 1000 + offset
        row = {"t": arrived, "queued_ms": t - arrived, "dir": direction, "bytes": size, "kind": None, "element": None}  # fmt: skip
        if direction == "in" and data:
            raw = base64.b64decode(data)
            row["bytes"] = len(raw)
            try:
                row["kind"], row["element"], row["path"], row["digest"] = _kind(raw)
            except Exception:  # not a ForwardMsg (never seen): counted by size only
                row["kind"] = "undecoded"
        out.append(row)
    return out


def _first(rows, pred, after: float):
    return next((r["t"] for r in rows if r["t"] >= after and pred(r)), None)


def _elements(rows: list[dict], previous: dict | None) -> tuple[dict, int]:
    """{element: [count, bytes, unchanged bytes]} of one run's deltas, and the bytes of the run's
    other messages (session, status, script finished)."""
    per: dict[str, list[int]] = {}
    other = 0
    for r in rows:
        if r["dir"] != "in":
            continue
        if r["kind"] not in ("delta", "ref_hash"):
            other += r["bytes"]
            continue
        before = (previous or {}).get(r.get("path"), (None, None))
        element = r["element"] or "?"
        if element == "ref_hash":  # the element that was at its place, sent as its hash
            element = f"{before[1] or '?'} (by hash)"
        cell = per.setdefault(element, [0, 0, 0])
        cell[0] += 1
        cell[1] += r["bytes"]
        if before[0] is not None and before[0] == r.get("digest"):
            cell[2] += r["bytes"]
    return per, other


def _digests(rows: list[dict], previous: dict | None) -> dict:
    out = {}
    for r in rows:
        if r.get("kind") == "delta":
            out[r["path"]] = (r["digest"], r["element"])
        elif r.get("kind") == "ref_hash":
            out[r["path"]] = (None, (previous or {}).get(r["path"], (None, None))[1])
    return out


def run(
    messages: list,
    start: float,
    chart_times: list[float],
    longtasks: list,
    previous: dict | None = None,
    arrivals: list[float] | None = None,
) -> tuple[dict, dict]:
    """The anatomy of the run that began at `start` (a key press, or 0 for navigation): its
    timeline (ms from `start`), its bytes per element, and the digests to compare the next
    run with."""
    rows = [r for r in decode(messages, arrivals) if r["t"] >= start or r["dir"] == "in"]
    req = _first(rows, lambda r: r["dir"] == "out", start)
    fin = _first(rows, lambda r: r["kind"] == "script_finished", req or start)
    began = _first(rows, lambda r: r["kind"] == "new_session", req or start)
    plotly = {p for p, (_, e) in (previous or {}).items() if e == "plotly_chart"}
    charts = [r["t"] for r in rows if r["t"] >= (req or start) and (r["element"] == "plotly_chart" or (r["element"] == "ref_hash" and r.get("path") in plotly)) and (fin is None or r["t"] <= fin)]  # fmt: skip
    chart_delta = charts[-1] if charts else None
    moves = [t for t in chart_times if t >= (chart_delta or req or start)]
    last_chart = moves[-1] if moves else None
    end = max(x for x in (fin, last_chart, start) if x is not None)
    run_rows = [r for r in rows if r["t"] >= (req or start) and (fin is None or r["t"] <= fin)]
    finished = next((r for r in rows if r["t"] == fin and r["kind"] == "script_finished"), None)
    per, other = _elements(run_rows, previous)
    tasks = [(s, d) for s, d in longtasks if start <= s <= end]

    def ms(a, b):
        return None if a is None or b is None else b - a

    out = {
        "request_ms": ms(start, req),
        "server_ms": ms(req, fin),
        "script_ms": ms(began, fin),
        "chart_delta_ms": ms(start, chart_delta),
        "chart_drawn_ms": ms(chart_delta, last_chart),
        "after_script_ms": ms(fin, last_chart),
        "total_ms": ms(start, end),
        "longtask_ms": sum(d for _, d in tasks),
        "longtask_max_ms": max((d for _, d in tasks), default=0),
        "ws_in_bytes": sum(r["bytes"] for r in run_rows if r["dir"] == "in"),
        "ws_out_bytes": sum(r["bytes"] for r in run_rows if r["dir"] == "out"),
        "finished_queued_ms": finished["queued_ms"] if finished else None,
        "elements": per,
        "other_bytes": other,
    }
    return out, _digests(run_rows, previous)
