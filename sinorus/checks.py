"""What every check shares: the located `Problem`, `DataError`, a bounded collector, and the words.

A leaf module (it imports nothing of sinorus), so that the loader, the importers and the engine
report problems the same way: `FILE:ROW: FIELD: what is wrong (what was expected)`, ROW counted
as a spreadsheet counts it (header = row 1; a JSON file's records from 1).

Bad input must cost bounded work: a collector keeps the first `LIMIT` problems in row order and
counts the rest, and every cell quoted in a message is cut to `CELL_CHARS` characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Problems kept (and shown) per check run; the rest are counted: "… and N more".
LIMIT = 100
#: Characters of a cell repeated in a message; longer cells are cut with "…".
CELL_CHARS = 60
_WS = re.compile(r"\s+")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def normalise_text(text: str) -> str:
    """Text as quotes are compared: Markdown backslash escapes removed, whitespace collapsed."""
    return _WS.sub(" ", _MD_ESCAPE.sub(r"\1", text)).strip()


TYPE_WORDS = {"integer": "a whole number", "number": "a number", "date": "a date YYYY-MM-DD"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as it can be."""

    file: str
    row: int | None = None
    field: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


def _order(p: Problem) -> tuple:
    return (p.file, p.row or 0, p.field or "", p.message)


class DataError(Exception):
    """The data is not valid: `problems` lists the first ones found (in order), `total` counts
    them all (it exceeds `len(problems)` when a file had more than `LIMIT`)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = sorted(set(problems), key=_order)
        self.total = max(total or 0, len(self.problems))
        super().__init__("\n".join(self.lines()))

    @property
    def more(self) -> int:
        return self.total - len(self.problems)

    def lines(self) -> list[str]:
        """Each kept problem as a line, then '… and N more problem(s)' if some were cut."""
        out = [str(p) for p in self.problems]
        if self.more:
            out.append(f"… and {self.more:,} more problem(s) of the same kinds")
        return out


class Problems:
    """A bounded list of problems: the first `limit` kept, every one counted."""

    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def extend(self, problems, total: int | None = None) -> None:
        problems = list(problems)
        for p in problems:
            if len(self.kept) < self.limit:
                self.kept.append(p)
        self.total += max(total or 0, len(problems))

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def error(self) -> DataError:
        return DataError(self.kept, self.total)

    def raise_if_any(self) -> None:
        if self.total:
            raise self.error()


def shown(cell, limit: int = CELL_CHARS) -> str:
    """A cell as a message repeats it: text, cut to `limit` characters."""
    text = "" if cell is None else str(cell)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


# --- confinement: the one way from a package-relative path to a file ---------------------------


def inside(root: Path, rel) -> Path | str:
    """The file `rel` names inside the directory `root`, or why it is refused: not text, empty,
    an absolute path (or a drive, or a backslash), a `..`, or a path that resolves (following
    symbolic links) outside `root`. Every reader and writer of a package's files goes through
    this, so that nothing is read from or written to outside the package."""
    if not isinstance(rel, str):
        return f"{shown(rel)!r} is not a path (expected a path inside the package, as text)"
    if not rel.strip():
        return "is empty (expected a path inside the package, e.g. sources/text.txt)"
    if rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel) or "\\" in rel or "\0" in rel:
        return f"'{shown(rel)}' is not a relative path (expected a path inside the package, e.g. sources/text.txt)"
    if ".." in PurePosixPath(rel).parts:
        return f"'{shown(rel)}' goes up out of the package with '..' (expected a path inside the package)"
    full = Path(root) / rel
    try:
        real = full.resolve()
        base = Path(root).resolve()
    except (OSError, RuntimeError, ValueError) as err:
        return f"'{shown(rel)}' cannot be resolved ({getattr(err, 'strerror', None) or err})"
    if real == base:
        return f"'{shown(rel)}' names the package directory itself (expected a file inside it)"
    if not real.is_relative_to(base):
        return (
            f"'{shown(rel)}' leads out of the package (a link; expected a file inside the package)"
        )
    return full


def confined(root: Path, rel) -> Path:
    """`inside`, for code that only handles files already validated: raise `DataError` (naming
    the path) instead of returning why."""
    found = inside(root, rel)
    if isinstance(found, str):
        raise DataError([Problem(shown(rel), message=found)])
    return found


# --- the words: one message per kind of problem, whoever finds it --------------------------------


def not_type(cell, kind: str) -> str:
    return f"'{shown(cell)}' is not {kind} (expected {TYPE_WORDS.get(kind, kind)})"


def is_empty() -> str:
    return "is empty (expected a value)"


def not_allowed(cell, allowed) -> str:
    return f"'{shown(cell)}' is not allowed (expected one of: {', '.join(map(str, allowed))})"


def below(cell, minimum) -> str:
    return f"{shown(cell)} is below the minimum (expected at least {minimum})"


def above(cell, maximum) -> str:
    return f"{shown(cell)} is above the maximum (expected at most {maximum})"


def no_match(cell, pattern) -> str:
    return f"'{shown(cell)}' does not match the pattern (expected {pattern})"


def duplicate(cell) -> str:
    return f"duplicate value '{shown(cell)}' (expected unique)"


def missing_column() -> str:
    return "column missing from the header (expected it, in schema order)"


def not_finite(cell) -> str:
    return f"'{shown(cell)}' is not a finite number (expected a number; NaN and infinity are not values)"


# --- checks as SQL conditions (run by whoever holds a DuckDB connection) -------------------------


@dataclass(frozen=True)
class Check:
    """A rule over a table's rows: `bad` (SQL) is true on a row that breaks it; the message
    names `field` and repeats `cell` (SQL)."""

    field: str
    bad: str
    cell: str
    message: Callable[[str | None], str]


def run_checks(con, table: str, file: str, checks: list[Check], where: str = "true") -> Problems:
    """Every check over `table` (which has `_pos`, the row number): all counted in one query,
    the first LIMIT located and worded."""
    found = Problems()
    if not checks:
        return found
    union = " UNION ALL ".join(
        f"SELECT _pos, {i} AS _check, CAST({c.cell} AS VARCHAR) AS _cell FROM {table} "
        f"WHERE ({where}) AND coalesce({c.bad}, false)"
        for i, c in enumerate(checks)
    )
    total = con.execute(f"SELECT count(*) FROM ({union})").fetchone()[0]
    if total:
        first = con.execute(f"SELECT * FROM ({union}) ORDER BY _pos, _check LIMIT {LIMIT}")
        found.extend(
            (
                Problem(file, int(pos), checks[i].field, checks[i].message(cell))
                for pos, i, cell in first.fetchall()
            ),
            total,
        )
    return found


def any_bad(checks: list[Check]) -> str:
    """SQL: true on a row that breaks any of `checks`."""
    return "(" + " OR ".join(f"coalesce({c.bad}, false)" for c in checks) + ")"


def sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def schema_checks(schema: dict) -> list[Check]:
    """The per-row rules of a Table Schema (required, enum, pattern, minimum, maximum, finite
    numbers) as SQL checks, worded as the loader words them for CSV tables."""
    out: list[Check] = []
    for spec in schema.get("fields", []):
        name, kind = spec["name"], spec.get("type", "string")
        col = f'"{name}"'
        cons = spec.get("constraints", {})
        numeric = kind in ("integer", "number")
        empty = f"{col} IS NULL" if numeric else f"coalesce({col}, '') = ''"
        if cons.get("required"):
            out.append(Check(name, empty, "''", lambda _: is_empty()))
        if numeric:
            out.append(Check(name, f"NOT isfinite({col})", col, not_finite))
        if "enum" in cons:
            allowed = ", ".join(sql_text(v) for v in cons["enum"])
            out.append(
                Check(
                    name,
                    f"NOT {empty} AND {col} NOT IN ({allowed})",
                    col,
                    lambda cell, a=cons["enum"]: not_allowed(cell, a),
                )
            )
        if "pattern" in cons:
            out.append(
                Check(
                    name,
                    f"NOT {empty} AND NOT regexp_full_match({col}, {sql_text(cons['pattern'])})",
                    col,
                    lambda cell, p=cons["pattern"]: no_match(cell, p),
                )
            )
        if "minimum" in cons:
            out.append(
                Check(
                    name,
                    f"{col} < {cons['minimum']}",
                    col,
                    lambda cell, m=cons["minimum"]: below(cell, m),
                )
            )
        if "maximum" in cons:
            out.append(
                Check(
                    name,
                    f"{col} > {cons['maximum']}",
                    col,
                    lambda cell, m=cons["maximum"]: above(cell, m),
                )
            )
    return out
