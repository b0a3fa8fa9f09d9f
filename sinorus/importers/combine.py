"""Read files into a data package: for one reader's session (`combine`, nothing written but a
Parquet file in the session's own directory) or on disk (`write_package`, atomically).

Series identity is (family, reporter, flow), not the file: the year-slices or commodity-slices
of one UN Comtrade download merge into one series. A row that another file (or the package)
already holds with the same value is left out once and counted; the same key with a different
value is an error naming both files and rows. The same bytes under two names are one file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import pandas as pd

from sinorus import engine, load
from sinorus.checks import LIMIT, DataError, Problem, Problems, confined, sql_text
from sinorus.importers import common
from sinorus.load import DESCRIPTOR, Dataset

#: A row's identity across files of one family: two files giving it must agree on the value.
KEY = ("family", "year", "reporter", "reported_flow", "flow", "commodity_code")
DUPLICATE = "already in another file (same year, reporter, flow, commodity and value): kept once"
NOT_EMPTY = "already exists and is not empty (expected a new directory, or an empty one)"
NOT_A_PACKAGE = f"already exists and is not a data package (no {DESCRIPTOR}; expected a new directory, or a package to replace)"
NOT_INSIDE = "is not a path inside the package (expected a relative path such as raw/file.json)"
NOT_FOUND = "file not found (expected a file to add to the package)"


def no_columns(missing: list[str]) -> str:
    return f"no column(s) {', '.join(missing)} (expected them, to record imports)"


def cannot_create(parent: Path) -> str:
    return f"cannot be created: {parent} is not a directory (expected an existing parent directory)"


def combine(
    ds: Dataset, results: list[common.ImportResult], workdir: str | os.PathLike, whole: bool = False
) -> Dataset:
    """A new Dataset: `ds` plus the rows of `results` (one Parquet file written in `workdir`:
    the new rows, or with `whole` the package's and the new ones together) and their source
    rows. `ds` is untouched. Raises `DataError` with every problem found: a rejected file's own,
    a package that cannot hold imports, or files that disagree."""
    found = Problems()
    for result in results:
        found.extend(result.problems, result.problem_count)
        if result.ok and result.source is None:
            found.add(
                Problem(result.file, message="nothing was read (expected a file in a known format)")
            )
    _check_package(ds, found)
    found.raise_if_any()
    fresh = _distinct(ds, results)
    sources = _sources(ds, fresh)
    parts = [r.parquet for r in fresh if r.parquet]
    if not parts:
        return dataclasses.replace(ds, sources=sources, notices=list(ds.notices))
    load.check_sources(sources, ds.descriptor).raise_if_any()
    store = _merged_part(ds, fresh, sources, Path(workdir), whole)
    return dataclasses.replace(
        ds,
        sources=sources,
        trade_flows=store if whole else ds.trade_flows.plus(store),
        notices=list(ds.notices),
    )


def _check_package(ds: Dataset, found: Problems) -> None:
    if ds.trade_flows is None:
        found.add(
            Problem(
                DESCRIPTOR,
                field="resources",
                message="this data package has no trade_flows table (expected one to hold "
                "imported rows: use the embedded package or one made by `sinorus import`)",
            )
        )
    missing = [col for col in ("checksum", "imported") if col not in ds.sources.columns]
    if missing:
        found.add(Problem("sources.csv", 1, message=no_columns(missing)))


def _distinct(ds: Dataset, results: list[common.ImportResult]) -> list[common.ImportResult]:
    """The results whose bytes are not already in the data; a repeat gets a note, not an error."""
    known = dict(zip(ds.sources["checksum"], ds.sources["path"], strict=True))
    fresh = []
    for result in results:
        if result.checksum in known:
            result.notes.append(
                f"the same contents as '{known[result.checksum]}' (sha256 identical): "
                "one dataset, read once"
            )
            result.kept = 0
            continue
        known[result.checksum] = result.file
        fresh.append(result)
    return fresh


def _sources(ds: Dataset, results: list[common.ImportResult]) -> pd.DataFrame:
    rows = pd.DataFrame(
        [{col: r.source.get(col, "") for col in ds.sources.columns} for r in results],
        columns=ds.sources.columns,
    )
    if rows.empty:
        return ds.sources
    return pd.concat([ds.sources, rows], ignore_index=True)


def _merged_part(
    ds, results, sources: pd.DataFrame, workdir: Path, whole: bool
) -> engine.FlowStore:
    """The new rows as one Parquet file: rows already held (same key, same value) dropped and
    counted; the same key with another value anywhere is a DataError naming both places."""
    workdir.mkdir(parents=True, exist_ok=True)
    names = dict(zip(sources["id"], sources["path"], strict=True))
    con = engine.connect()
    try:
        old = ds.trade_flows.parts if ds.trade_flows else ()
        union = [f"SELECT 0 AS _order, * FROM read_parquet({engine.sql_list(old)})"] if old else []
        union += [
            f"SELECT {i + 1} AS _order, * FROM read_parquet({sql_text(r.parquet)})"
            for i, r in enumerate(results)
            if r.parquet
        ]
        keys = ", ".join(KEY)
        con.execute(f"CREATE VIEW every AS {' UNION ALL '.join(union)}")
        # Only the keys more than one row gives are ordered (a hash count finds them): linear in
        # the rows when files do not overlap, whatever their size.
        con.execute(
            f"""CREATE TABLE rows AS SELECT _order, source_id, row, {keys}, value_usd,
                    first_value(value_usd) OVER w AS _first_value,
                    first_value(source_id) OVER w AS _first_source,
                    first_value(row) OVER w AS _first_row,
                    row_number() OVER w AS _n
                FROM every SEMI JOIN (SELECT {keys} FROM every GROUP BY ALL HAVING count(*) > 1)
                    USING ({keys})
                WINDOW w AS (PARTITION BY {keys} ORDER BY _order, source_id, row)"""
        )
        _conflicts(con, names).raise_if_any()
        for result in results:
            dups = con.execute(
                "SELECT count(*) FROM rows WHERE source_id = ? AND _n > 1", [result.source_id]
            ).fetchone()[0]
            if dups:
                result.skipped[DUPLICATE] += dups
                result.kept -= dups
        digest = hashlib.sha256("|".join(r.checksum for r in results).encode()).hexdigest()
        target = workdir / f"flows-{digest[:16]}.parquet"
        keep = "true" if whole else "_order > 0"
        engine.write_parquet(
            con,
            f"""SELECT * FROM every ANTI JOIN (SELECT source_id, row FROM rows WHERE _n > 1)
                    USING (source_id, row) WHERE {keep}""",
            target,
            sort=False,
        )
        return engine.FlowStore.of(target)
    finally:
        con.close()


def _conflicts(con, names: dict[str, str]) -> Problems:
    found = Problems()
    where = "_n > 1 AND value_usd <> _first_value"
    total = con.execute(f"SELECT count(*) FROM rows WHERE {where}").fetchone()[0]
    if not total:
        return found
    first = con.execute(
        f"""SELECT source_id, row, value_usd, _first_source, _first_row, _first_value, year,
                   reporter, reported_flow, commodity_code
            FROM rows WHERE {where} ORDER BY source_id, row LIMIT {LIMIT}"""
    ).fetchall()
    for sid, row, value, other, other_row, other_value, year, rep, way, code in first:
        where_else = f"{names.get(other, other)} row {other_row}"
        found.add(
            Problem(
                names.get(sid, sid),
                int(row),
                "value",
                f"{value:g} conflicts with {where_else} ({other_value:g}) for the same year "
                f"{year}, reporter {rep or '—'}, flow {way or 'total'} and commodity {code} "
                "(expected one value: two downloads of the same data must agree)",
            )
        )
    found.total = total
    return found


# --- on disk -------------------------------------------------------------------------------------


def write_package(
    results: list[common.ImportResult],
    into: str | os.PathLike,
    data: str | os.PathLike | None = None,
    *,
    files: Mapping[str, str | os.PathLike] | None = None,
    replace: bool = False,
) -> Dataset:
    """Copy the package at `data` (default: $SINORUS_DATA or the embedded one) to `into`, with
    each result's source row and rows, and return it as `load` reads it.

    `files` are added to the package by their path inside it (e.g. the API responses that
    `sinorus fetch` keeps, which their source rows' `path` names, and the queries beside them).

    Atomic: everything is written into a temporary directory beside `into` and renamed into place
    only once the whole package validates; on any failure nothing is left behind. `into` must not
    exist (or be an empty directory), unless `replace`: then a data package already there is
    swapped for the new one only once the new one validates. Raises `DataError`.
    """
    dest = Path(into)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        if not replace:
            raise DataError([Problem(str(dest), message=NOT_EMPTY)])
        if not (dest / DESCRIPTOR).is_file():
            raise DataError([Problem(str(dest), message=NOT_A_PACKAGE)])
    extra = _extra_files(files or {})
    ds = load.load(data)
    parent = dest.resolve().parent
    if not parent.is_dir():
        raise DataError([Problem(str(dest), message=cannot_create(parent))])
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    try:
        merged = combine(ds, results, tmp / ".work", whole=True)
        _write(ds, merged, tmp)
        for rel, source in extra.items():
            target = confined(tmp, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        shutil.rmtree(tmp / ".work", ignore_errors=True)
        load.load(tmp)  # the whole package, as any reader will check it
        _move_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return load.load(dest)


def _extra_files(files: Mapping[str, str | os.PathLike]) -> dict[str, Path]:
    """`files` checked: each a relative path (no `..`, no drive) to a readable file."""
    out = {}
    for rel, source in files.items():
        path = PurePosixPath(str(rel))
        if not str(rel).strip() or path.is_absolute() or ".." in path.parts or "\\" in str(rel):
            raise DataError([Problem(str(rel), message=NOT_INSIDE)])
        if not Path(source).is_file():
            raise DataError([Problem(str(source), message=NOT_FOUND)])
        out[str(path)] = Path(source)
    return out


def _move_into_place(tmp: Path, dest: Path) -> None:
    """Rename the finished package `tmp` to `dest`; a package already at `dest` (only when
    replacing) is moved aside first and put back if the rename fails, then removed."""
    if not dest.exists():
        os.replace(tmp, dest)
        return
    if not any(dest.iterdir()):
        dest.rmdir()
        os.replace(tmp, dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".old", dir=tmp.parent))
    os.replace(dest, old / dest.name)
    try:
        os.replace(tmp, dest)
    except BaseException:
        os.replace(old / dest.name, dest)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _write(ds: Dataset, merged: Dataset, tmp: Path) -> None:
    """The package files into `tmp`: only the files the descriptor names (tables, texts)."""
    by_name = load.resources(ds.descriptor)
    for rel in load.package_files(ds):  # the one list, each end confined to its package
        target = confined(tmp, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(confined(ds.root, rel), target)
    sources = by_name["sources"]["path"]
    new = merged.sources.iloc[len(ds.sources) :]
    _append(confined(tmp, sources), new, list(ds.sources.columns))
    flows = dict(by_name["trade_flows"])
    flows.update(path="trade_flows.parquet", format="parquet", mediatype=load.PARQUET_MEDIATYPE)
    flows.pop("encoding", None)
    old_flows = confined(tmp, by_name["trade_flows"]["path"])
    if old_flows.exists():
        old_flows.unlink()
    for part in merged.trade_flows.parts[:1]:  # one file: the package's rows and the new ones
        if Path(part).resolve().is_relative_to(tmp.resolve()):
            os.replace(part, tmp / flows["path"])
        else:
            shutil.copyfile(part, tmp / flows["path"])
    descriptor = json.loads(json.dumps(ds.descriptor))
    descriptor["resources"] = [
        flows if r.get("name") == "trade_flows" else r for r in descriptor["resources"]
    ]
    (tmp / DESCRIPTOR).write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _append(path: Path, rows: pd.DataFrame, columns: list[str]) -> None:
    """Append `rows` to the CSV at `path`, keeping its bytes as they are."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows[columns].itertuples(index=False):
        writer.writerow(
            "" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row
        )
    body = out.getvalue().encode("utf-8")
    existing = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in existing else b"\n"
    if newline != b"\n":
        body = body.replace(b"\n", b"\r\n")
    if existing and not existing.endswith((b"\n", b"\r")):
        existing += newline
    path.write_bytes(existing + body)
