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

    Tables named in `changed` are written to CSV bytes and checked against their schema with
    frictionless; then every table goes through the cross-table checks. Raises `DataError`.
    """
    from frictionless import Resource, Schema

    by_name = _resources(descriptor)
    problems: list[Problem] = []
    typed = dict(tables)
    for name in changed:
        resource = by_name[name]
        filename = str(resource.get("path"))
        schema = dict(resource.get("schema") or {})
        schema.pop("foreignKeys", None)
        fields = {f["name"]: f for f in schema.get("fields", [])}
        data = to_csv_bytes(tables[name], list(fields))
        report = Resource(
            data, format="csv", encoding="utf-8", schema=Schema.from_descriptor(schema)
        ).validate()
        before = len(problems)
        for task in report.tasks:
            for error in task.errors:
                problems.append(L._problem_from(filename, error, fields))
        if len(problems) == before:
            buffer = io.BytesIO(data)
            buffer.name = filename
            typed[name] = L._typed_frame(buffer, fields)
    if not problems:
        L._check_relations(typed, problems, by_name)
        L._check_trade_flows(typed, problems, by_name)
    if problems:
        raise DataError(problems)
    return typed


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
