"""One reader's uploaded files: read into a private temporary directory, combined with the
shared dataset for that reader only, and deleted when the reader's session ends.

Nothing here is shared between sessions: the results (which carry file names) live in the
`Uploads` object the session holds; when the session ends and the object is collected, its
directory and every Parquet file in it are removed (`weakref.finalize`, also at exit).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from sinorus import engine
from sinorus.checks import DataError, Problem
from sinorus.importers.combine import combine
from sinorus.importers.common import ImportResult
from sinorus.importers.reader import read
from sinorus.load import Dataset

#: Imports running at once, whatever the number of readers ($SINORUS_CONCURRENT_IMPORTS); more
#: wait their turn.
CONCURRENT_IMPORTS = int(os.environ.get("SINORUS_CONCURRENT_IMPORTS", "2"))
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def read_apart(data, name: str, max_bytes: int, setting: str, workdir: Path) -> ImportResult:
    """`read` of an upload in a child process of its own (a pool of CONCURRENT_IMPORTS, each
    process used for one file, started by a fork server that keeps nothing loaded): a hostile
    file cannot hold the server's memory, and everything an import used goes back to the system
    when its child exits. The bytes go through a file in the reader's own directory."""
    workdir.mkdir(parents=True, exist_ok=True)
    options = dict(max_bytes=max_bytes, limit_setting=setting, workdir=str(workdir))
    if len(data) > max_bytes:  # refused at once, before anything is written
        return read(data, name, **options)
    incoming = workdir / "incoming"
    incoming.write_bytes(data)
    try:
        return _child(str(incoming), name, options)
    finally:
        incoming.unlink(missing_ok=True)


def _pool() -> ProcessPoolExecutor:
    # Each worker runs the main script again before it starts (as multiprocessing does with
    # forkserver); under Streamlit that is app.py, which keeps the page behind `if __name__ ==
    # "__main__"`, so a worker waiting for the next file holds 13 MB, not a copy of the page.
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(
                max_workers=CONCURRENT_IMPORTS,
                mp_context=multiprocessing.get_context("forkserver"),
                max_tasks_per_child=1,
            )
        return _POOL


def _drop(pool: ProcessPoolExecutor) -> None:
    """A pool one of whose children died is broken for good: the next import starts another."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is pool:
            _POOL = None


def _child(path: str, name: str, options: dict) -> ImportResult:
    # A child that dies (e.g. killed for memory) breaks the pool, and every import waiting in it
    # with it: each is tried once more in a new pool, so that only the file that kills its
    # child is refused.
    for _ in range(2):
        try:
            pool = _pool()
            future = pool.submit(read, path, name, **options)
        except OSError:  # no child processes here: read in this one
            return read(path, name, **options)
        try:
            return future.result()
        except BrokenProcessPool:
            _drop(pool)
    file = Path(name).name
    return ImportResult(
        file,
        problems=[
            Problem(
                file,
                message="the import stopped before it finished (the file may be too large for this server's memory; try `sinorus import`)",
            )
        ],
        problem_count=1,
    )


@dataclass
class Upload:
    """A file as the uploader gives it: an id that changes when the file does, its name, size,
    and a way to get its bytes (a buffer is fine: it is written to disk, never copied)."""

    file_id: str
    name: str
    size: int
    data: Callable[[], bytes | memoryview]


@dataclass
class Outcome:
    """What a reader's uploads give: their dataset, what was read, and what was refused."""

    dataset: Dataset
    reports: list[str] = field(default_factory=list)
    refused: list[tuple[str, DataError]] = field(default_factory=list)


class Uploads:
    """The files one reader uploaded, read once each, combined with the shared dataset."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="sinorus-session-"))
        engine.private_folder(self.dir)  # roll-ups of these files live here, and go with them
        self._cleanup = weakref.finalize(self, _remove, str(self.dir))
        self._results: dict[str, ImportResult] = {}
        self._last: tuple | None = None
        self._outcome: Outcome | None = None

    def close(self) -> None:
        """Delete the directory and everything read into it now."""
        self._cleanup()

    @property
    def closed(self) -> bool:
        return not self._cleanup.alive

    def update(self, ds: Dataset, files: list[Upload], max_bytes: int, setting: str) -> Outcome:
        """The reader's dataset for these files (read only those not read before)."""
        key = (id(ds), tuple(f.file_id for f in files))
        if key == self._last and self._outcome is not None:
            return self._outcome
        wanted = {f.file_id for f in files}
        for file_id in [k for k in self._results if k not in wanted]:
            self._forget(file_id)
        for f in files:
            if f.file_id not in self._results:
                self._results[f.file_id] = read_apart(
                    f.data(), f.name, max_bytes, setting, self.dir / _safe(f.file_id)
                )
        self._outcome = self._combine(ds, [self._results[f.file_id] for f in files])
        self._last = key
        return self._outcome

    def _combine(self, ds: Dataset, results: list[ImportResult]) -> Outcome:
        good = [r for r in results if r.ok]
        outcome = Outcome(ds)
        for r in results:
            if not r.ok:
                outcome.refused.append((r.file, r.error()))
        if good:
            shutil.rmtree(self.dir / "combined", ignore_errors=True)
            try:
                outcome.dataset = replace(combine(ds, good, self.dir / "combined"), private=True)
            except DataError as err:
                outcome.refused.append((", ".join(r.file for r in good), err))
                outcome.dataset = ds
        for r in results:
            outcome.reports.extend(r.summary())
        return outcome

    def _forget(self, file_id: str) -> None:
        self._results.pop(file_id, None)
        shutil.rmtree(self.dir / _safe(file_id), ignore_errors=True)


def _remove(directory: str) -> None:
    """A session's files (and the roll-ups made of them) go with it, and the memory its imports
    used goes back to the system."""
    shutil.rmtree(directory, ignore_errors=True)
    engine.private_folder(directory, private=False)
    engine.give_back_memory()


def _safe(file_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(file_id))[:80] or "file"
