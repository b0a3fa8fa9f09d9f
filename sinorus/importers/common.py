"""What every reader shares: the result of reading one file, its source row, the limits.

A reader turns one file into rows of the `trade_flows` table (a Parquet file, see
`sinorus.engine.COLUMNS`) and one new `sources` row (kind `dataset`) recording the file's name,
sha256 checksum and import date. Each row keeps its row (or record) number in the file, so
"comtrade.csv row 12" can always be said of it.

Rejection rule: a file with any bad cell (a value that is not a number, an unknown flow code, a
year out of range, ...) is rejected whole, with its problems listed (the first `checks.LIMIT`,
and how many more), as `sinorus.load` rejects a package; rows that are merely out of scope
(other country pairs, monthly figures, re-exports, missing values, ...) are skipped and counted
by reason, never an error.

Names stay with their reader: a source id and a dataset family are made from the file's
checksum, never from its name, so that what is cached across readers names no file.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from sinorus.checks import LIMIT, DataError, Problem, Problems

#: Rows per second a progress line is worth printing for (see `sinorus import`).
FORMATS = {
    "comtrade_plus_csv": "UN Comtrade+ CSV (API v1 layout)",
    "comtrade_plus_json": 'UN Comtrade+ JSON (API v1, {"data": [...]})',
    "comtrade_legacy_csv": "legacy UN Comtrade CSV",
    "observations_csv": "sinorus observation table (CSV)",
}
#: Files of one family are one series: slices of one download (by years, by commodities) are
#: merged; files of different families never are.
COMTRADE_FAMILY = "un-comtrade"
FAMILY_LABELS = {COMTRADE_FAMILY: "UN Comtrade"}
YEAR_MIN, YEAR_MAX = 1900, 2100
#: Columns of the sources table (with the two an import fills: checksum, imported).
SOURCE_COLUMNS = [
    "id",
    "kind",
    "title",
    "authors",
    "publisher",
    "published",
    "license",
    "url",
    "path",
    "citation",
    "note",
    "checksum",
    "imported",
]
MB = 1024 * 1024


@dataclass
class ImportResult:
    """One file read: where its rows are (a Parquet file; none if rejected), its source row,
    and what happened.

    `problems` (the first `LIMIT`, in row order) and `problem_count` (all of them) non-empty
    means the file is rejected whole. `skipped` counts rows left out by reason (not errors).
    `notes` are remarks on the file as a whole.
    """

    file: str
    format: str | None = None
    checksum: str = ""
    size: int = 0
    source: dict | None = None
    parquet: str | None = None
    read: int = 0
    kept: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem_count and not self.problems

    @property
    def source_id(self) -> str | None:
        return self.source["id"] if self.source else None

    @property
    def family(self) -> str | None:
        return family_of(self.format, self.checksum) if self.format else None

    @property
    def rows(self) -> pd.DataFrame:
        """The kept rows (read from the Parquet file; empty if the file was rejected)."""
        from sinorus import engine

        if not self.parquet or not self.ok:
            return pd.DataFrame(columns=list(engine.COLUMNS))
        return engine.FlowStore.of(self.parquet).rows()

    def fail(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.problem_count += 1

    def take(self, found: Problems) -> None:
        self.problems.extend(found.kept)
        self.problem_count += found.total

    def error(self) -> DataError:
        return DataError(self.problems, self.problem_count)

    def summary(self, max_problems: int = LIMIT) -> list[str]:
        """Lines saying what was read, kept, skipped and why, and the problems (up to a cap)."""
        kind = FORMATS.get(self.format or "", "unrecognised format")
        lines = [f"{self.file}: {kind}, {self.read:,} data row(s) read"]
        if not self.ok:
            lines.append(
                f"  rejected: {self.problem_count:,} problem(s); nothing from this file is used"
            )
        else:
            lines.append(f"  kept {self.kept:,} row(s) as source '{self.source_id}'")
        for reason, count in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  skipped {count:,}: {reason}")
        lines.extend(f"  note: {n}" for n in self.notes)
        shown = sorted(self.problems, key=lambda p: (p.row or 0, p.field or ""))[:max_problems]
        lines.extend(f"  {p}" for p in shown)
        if self.problem_count > len(shown):
            lines.append(f"  … and {self.problem_count - len(shown):,} more problem(s)")
        return lines


def checksum_of(path: str | os.PathLike) -> str:
    """sha256:<hex> of the file's bytes (streamed)."""
    from sinorus.engine import file_sha256

    return file_sha256(path)


def source_id_of(digest: str) -> str:
    """A source id made of the file's content only: the same bytes, the same id, no name."""
    return "import-" + digest.removeprefix("sha256:")[:12]


def family_of(fmt: str, digest: str) -> str:
    """UN Comtrade files (new or legacy layout) are one family; an observation table is its own."""
    if fmt.startswith("comtrade"):
        return COMTRADE_FAMILY
    return "table-" + digest.removeprefix("sha256:")[:12]


def source_row(file: str, fmt: str, digest: str, today: date) -> dict:
    """The sources row for an imported file (kind dataset; path = the file's name)."""
    when = today.isoformat()
    if fmt.startswith("comtrade"):
        title = f"UN Comtrade import: {file}"
        authors = "United Nations Statistics Division"
        publisher = "United Nations, UN Comtrade database (file as downloaded by the user)"
        url = "https://comtradeplus.un.org/"
        licence = "UN Comtrade terms of use (as downloaded by the user); not checked by sinorus"
    else:
        title = f"Observation table import: {file}"
        authors = "unknown (uploaded file)"
        publisher = "uploaded file"
        url = ""
        licence = "unknown (uploaded by the user)"
    return {
        "id": source_id_of(digest),
        "kind": "dataset",
        "title": title,
        "authors": authors,
        "publisher": publisher,
        "published": "",
        "license": licence,
        "url": url,
        "path": file,
        "citation": f"{title} ({FORMATS[fmt]}), {digest}, imported {when} with sinorus.",
        "note": f"Imported {when} from {file} ({FORMATS[fmt]}). Rows cite their row in the file.",
        "checksum": digest,
        "imported": when,
    }


def too_big(file: str, size: int, max_bytes: int, setting: str) -> Problem:
    return Problem(
        file,
        message=f"file is {size / MB:,.1f} MB (expected at most {max_bytes / MB:g} MB = "
        f"{max_bytes:,} bytes, {setting}; import a larger file with `sinorus import`, "
        "or download fewer years at a time)",
    )
