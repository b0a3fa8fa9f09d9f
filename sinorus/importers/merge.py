"""Imported rows into a data package: in memory (`merge`, for the app) or on disk (`write_package`).

`merge` never writes a file and never changes the Dataset it is given (frames are concatenated
into new ones; the Dataset is frozen). The merged tables go through the same checks as
`sinorus.load`: each changed table against its schema with frictionless (in memory), then the
cross-table checks (source keys, trade_flows direction/reporter consistency). Problems raise
`DataError`, as `load` does.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import os
import shutil
from pathlib import Path

import pandas as pd

from sinorus import load as L
from sinorus.importers import common as c
from sinorus.importers.reader import read
from sinorus.load import DESCRIPTOR, DataError, Dataset, Problem

_TABLES = ("observations", "indicators", "sources", "events", "trade_makeup", "gdp", "trade_flows", "hs_sections")  # fmt: skip


def merge(ds: Dataset, *results: c.ImportResult) -> Dataset:
    """A new, validated Dataset: `ds` plus each result's source row and rows. `ds` is untouched.

    Raises `DataError` listing every problem: a rejected file's own problems, a file already in
    the data (same checksum), a package without a trade_flows table, or any check failing on the
    merged tables.
    """
    problems: list[Problem] = []
    for result in results:
        problems.extend(result.problems)
        if not result.problems and result.source is None:
            problems.append(Problem(result.file, message="nothing was read (expected a file in a known format)"))  # fmt: skip
    by_name = _resources(ds.descriptor)
    if ds.trade_flows is None or "trade_flows" not in by_name:
        problems.append(
            Problem(
                DESCRIPTOR,
                field="resources",
                message="this data package has no trade_flows table (expected one to hold "
                "imported rows: use the embedded package or one made by `sinorus import`)",
            )
        )
    missing = [col for col in ("checksum", "imported") if col not in ds.sources.columns]
    if missing:
        problems.append(
            Problem(
                str(by_name.get("sources", {}).get("path", "sources.csv")),
                1,
                message=f"no column(s) {', '.join(missing)} (expected them, to record imports)",
            )
        )
    if problems:
        raise DataError(problems)
    known = dict(zip(ds.sources["id"], ds.sources["path"], strict=True))
    ids: set[str] = set()
    for result in results:
        sid = result.source_id
        if sid in known or sid in ids:
            problems.append(
                Problem(
                    result.file,
                    message=f"already imported (the same contents as '{known.get(sid, result.file)}', source {sid})",
                )  # fmt: skip
            )
        ids.add(sid)
    if problems:
        raise DataError(problems)

    new_sources = pd.DataFrame(
        [{col: r.source.get(col, "") for col in ds.sources.columns} for r in results],
        columns=ds.sources.columns,
    )
    tables = _tables(ds)
    tables["sources"] = _concat(ds.sources, new_sources)
    tables["trade_flows"] = _concat(ds.trade_flows, *(r.rows for r in results))
    typed = check_tables(ds.descriptor, tables, changed=("sources", "trade_flows"))
    return dataclasses.replace(
        ds,
        sources=typed["sources"],
        trade_flows=typed["trade_flows"],
        notices=list(ds.notices),
    )


def load_upload(ds: Dataset, data: bytes, name: str) -> tuple[Dataset, c.ImportResult]:
    """Bytes of an uploaded file -> (merged Dataset, its ImportResult); `DataError` if rejected."""
    result = read(data, name)
    return merge(ds, result), result


def check_tables(
    descriptor: dict, tables: dict[str, pd.DataFrame], changed: tuple[str, ...]
) -> dict[str, pd.DataFrame]:
    """Check `tables` as `load` does, in memory; return them typed as `load` types them.

    Tables named in `changed` are checked against their schema field by field (required, type,
    enum, pattern, minimum, maximum, unique, primary key; vectorised, so a 50 MB upload checks
    in seconds; the messages are `load`'s), then every table goes through `load`'s cross-table
    checks. Raises `DataError`. (`write_package` also re-reads the written package with
    `load`, which validates it with frictionless.)
    """
    by_name = _resources(descriptor)
    problems: list[Problem] = []
    typed = dict(tables)
    for name in changed:
        resource = by_name[name]
        schema = resource.get("schema") or {}
        typed[name] = _check_schema(tables[name], schema, str(resource.get("path")), problems)
    if not problems:
        L._check_relations(typed, problems, by_name)
        L._check_trade_flows(typed, problems, by_name)
    if problems:
        raise DataError(problems)
    return typed


def _check_schema(
    frame: pd.DataFrame, schema: dict, filename: str, problems: list[Problem]
) -> pd.DataFrame:
    fields = schema.get("fields", [])
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in frame.columns]
    for n in missing:
        problems.append(Problem(filename, 1, n, "column missing from the header (expected it, in schema order)"))  # fmt: skip
    if missing:
        return frame
    out = pd.DataFrame(index=range(len(frame)))
    src = frame.reset_index(drop=True)
    rows = pd.Series(range(2, len(frame) + 2))

    def report(mask, field, message) -> None:
        for pos, cell in zip(rows[mask], src.loc[mask, field], strict=True):
            problems.append(Problem(filename, int(pos), field, message(cell)))

    for spec in fields:
        name, kind = spec["name"], spec.get("type", "string")
        cons = spec.get("constraints", {})
        raw = src[name]
        if kind in ("integer", "number"):
            values = pd.to_numeric(raw.replace("", None), errors="coerce")
            bad = raw.notna() & (raw.astype(str) != "") & values.isna()
            if kind == "integer":
                bad |= values.notna() & (values % 1 != 0)
            word = "a whole number" if kind == "integer" else "a number"
            report(bad, name, lambda cell, k=kind, w=word: f"'{cell}' is not {k} (expected {w})")
            values = values.where(~bad)
            empty = values.isna()
            out[name] = values.astype("Int64" if kind == "integer" else "float64")
        else:
            values = raw.fillna("").astype(str).replace("nan", "")
            empty = values == ""
            out[name] = values
        if cons.get("required"):
            report(empty, name, lambda cell: "is empty (expected a value)")
        present = ~empty
        if "enum" in cons:
            allowed = ", ".join(map(str, cons["enum"]))
            mask = present & ~out[name].isin(cons["enum"])
            report(mask, name, lambda cell, a=allowed: f"'{cell}' is not allowed (expected one of: {a})")  # fmt: skip
        if "pattern" in cons:
            mask = present & ~out[name].astype(str).str.fullmatch(cons["pattern"]).fillna(False)
            report(mask, name, lambda cell, p=cons["pattern"]: f"'{cell}' does not match the pattern (expected {p})")  # fmt: skip
        if "minimum" in cons:
            mask = present & (out[name] < cons["minimum"]).fillna(False)
            report(mask, name, lambda cell, m=cons["minimum"]: f"{cell} is below the minimum (expected at least {m})")  # fmt: skip
        if "maximum" in cons:
            mask = present & (out[name] > cons["maximum"]).fillna(False)
            report(mask, name, lambda cell, m=cons["maximum"]: f"{cell} is above the maximum (expected at most {m})")  # fmt: skip
        if cons.get("unique") or schema.get("primaryKey") in ([name], name):
            mask = present & out[name].duplicated(keep="first")
            report(mask, name, lambda cell: f"duplicate value '{cell}' (expected unique)")
    out.attrs["file"] = filename
    return out[names]


def to_csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    """`frame`'s `columns` as UTF-8 CSV: empty cells for missing values, numbers as written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in frame[columns].itertuples(index=False):
        writer.writerow(_cell(v) for v in row)
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def write_package(
    results: list[c.ImportResult], into: str | os.PathLike, data: str | os.PathLike | None = None
) -> Dataset:
    """Copy the package at `data` (default: $SINORUS_DATA or the embedded one) to `into`, with
    each result's source row and rows appended, and return it as `load` reads it.

    `into` must not exist (or be an empty directory). The merged tables are checked before
    anything is written; raises `DataError` (nothing written) if any check fails.
    """
    dest = Path(into)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise DataError([Problem(str(dest), message="already exists and is not empty (expected a new directory)")])  # fmt: skip
    ds = L.load(data)
    merged = merge(ds, *results)  # raises before anything is written
    by_name = _resources(ds.descriptor)
    shutil.copytree(ds.root, dest, dirs_exist_ok=True)
    new_sources = merged.sources.iloc[len(ds.sources) :]
    new_rows = merged.trade_flows.iloc[len(ds.trade_flows) :]
    _append(dest / by_name["sources"]["path"], new_sources, list(ds.sources.columns))
    _append(dest / by_name["trade_flows"]["path"], new_rows, list(ds.trade_flows.columns))
    return L.load(dest)


def _append(path: Path, rows: pd.DataFrame, columns: list[str]) -> None:
    """Append `rows` to the CSV at `path`, keeping its bytes as they are."""
    body = to_csv_bytes(rows, columns).split(b"\n", 1)[1]
    existing = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in existing else b"\n"
    if newline != b"\n":
        body = body.replace(b"\n", b"\r\n")
    if existing and not existing.endswith((b"\n", b"\r")):
        existing += newline
    path.write_bytes(existing + body)


def _resources(descriptor: dict) -> dict[str, dict]:
    return {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}


def _tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    return {n: getattr(ds, n) for n in _TABLES if getattr(ds, n, None) is not None}


def _concat(*frames: pd.DataFrame) -> pd.DataFrame:
    parts = [f for f in frames if f is not None and len(f)]
    if not parts:
        return frames[0].copy()
    return pd.concat(parts, ignore_index=True)[list(frames[0].columns)]
