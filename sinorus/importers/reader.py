"""`read(path or bytes, name)`: size, checksum, decoding, format, then the format's rules, and the
kept rows written as one Parquet file (in `workdir`) named by the file's content."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from datetime import date
from pathlib import Path

from sinorus import engine
from sinorus.checks import Problem
from sinorus.importers import common, comtrade, parse
from sinorus.importers import observations as obs

_DEFAULT: list[Path] = []
_LOCK = threading.Lock()


def default_workdir() -> Path:
    """A private directory for the Parquet files of reads that name none (removed at exit)."""
    with _LOCK:
        if not _DEFAULT:
            path = Path(tempfile.mkdtemp(prefix="sinorus-import-"))
            atexit.register(shutil.rmtree, path, ignore_errors=True)
            _DEFAULT.append(path)
    return _DEFAULT[0]


def read(
    source: bytes | memoryview | str | os.PathLike,
    name: str | None = None,
    *,
    today: date | None = None,
    max_bytes: int | None = None,
    limit_setting: str = "the upload limit",
    workdir: str | os.PathLike | None = None,
) -> common.ImportResult:
    """Read one file (a path, or its bytes plus its file name) into an `ImportResult` whose kept
    rows are in `result.parquet`.

    Never raises for a bad file: everything wrong is in `result.problems` (and there is then no
    Parquet file: the file is rejected whole). `max_bytes` (None: no limit) refuses a larger file
    at once, naming `limit_setting`.
    """
    workdir = Path(workdir) if workdir is not None else default_workdir()
    workdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="read-", dir=workdir))
    try:
        return _read(
            source, name, today or date.today(), max_bytes, limit_setting, workdir, scratch
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _read(source, name, today, max_bytes, setting, workdir: Path, scratch: Path):
    if isinstance(source, bytes | bytearray | memoryview):
        file = Path(name or "upload").name
        if max_bytes is not None and len(source) > max_bytes:
            return common.ImportResult(
                file,
                size=len(source),
                problems=[common.too_big(file, len(source), max_bytes, setting)],
                problem_count=1,
            )
        path = scratch / "upload"
        path.write_bytes(source)
    else:
        path = Path(source)
        file = Path(name).name if name else path.name
        problem = _unreadable(path, file)
        if problem:
            return common.ImportResult(file, problems=[problem], problem_count=1)
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            return common.ImportResult(
                file,
                size=size,
                problems=[common.too_big(file, size, max_bytes, setting)],
                problem_count=1,
            )
    result = common.ImportResult(file, checksum=common.checksum_of(path), size=path.stat().st_size)
    con = engine.connect(spill=str(scratch / "spill"))  # removed with the scratch directory
    try:
        _parse_and_check(con, path, result, today, workdir, scratch)
    except parse.Stop as stop:
        result.fail(stop.problem)
    finally:
        con.close()
    if not result.ok:
        result.parquet = None
    elif result.format and not result.read:
        result.fail(
            Problem(file, message="no data rows (expected at least one row after the header)")
        )
    elif result.format and not result.kept:
        result.notes.append("no row is China–Russia trade in scope: nothing to show")
    return result


def _unreadable(path: Path, file: str) -> Problem | None:
    try:
        if path.is_dir():
            return Problem(
                file, message="is a directory (expected a file: name the files to import)"
            )
        with open(path, "rb"):
            return None
    except OSError as err:
        return Problem(
            file, message=f"cannot be read ({err.strerror or err}; expected a readable file)"
        )


def _parse_and_check(con, path: Path, result: common.ImportResult, today, workdir, scratch) -> None:
    file = result.file
    text = parse.inspect(path, file, scratch)
    result.notes.extend(text.notes)
    if text.json:
        layout = parse.JSON_LAYOUT
        result.format = layout.format
        result.take(parse.json_file(con, text.path, file, result))
        keys = set(layout.columns)
    else:
        header = parse.read_header(text, file)
        layout, index, notes = parse.detect(header.cells, file, header.row)
        result.format = layout.format
        result.notes.extend(notes)
        result.read, found, notes = parse.read_csv(con, text, header, layout, index, file)
        result.take(found)
        result.notes.extend(notes)
        keys = set(index)
    result.source = common.source_row(file, layout.format, result.checksum, today)
    rules = obs if layout.format == "observations_csv" else comtrade
    kept_sql = rules.apply(
        con,
        file=file,
        layout="legacy" if layout.format == "comtrade_legacy_csv" else "plus",
        unit=layout.unit,
        keys=keys,
        source_id=result.source_id,
        family=result.family,
        result=result,
    )
    if kept_sql is None or not result.ok:
        return
    result.kept = con.execute(f"SELECT count(*) FROM ({kept_sql})").fetchone()[0]
    if result.kept:
        target = workdir / f"{result.source_id}.parquet"
        engine.write_parquet(con, kept_sql, target, sort=False)
        result.parquet = str(target)
