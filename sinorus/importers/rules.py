"""Rules over a parsed file, vectorised in DuckDB: scope (rows skipped, counted by reason),
checks (bad cells, located) and the rows to keep.

A format describes its rules as data: the SQL that reads each record's cells (`parsed`), the
reason a row is out of scope (`skip`, NULL when in scope) and a list of `Check`s, each a SQL
condition that is true on a bad row, the cell its message repeats and the message. Problems are
counted in one query and only the first `checks.LIMIT` (in row order) are formatted, so a file
with millions of bad cells costs one pass, not millions of messages.
"""

from __future__ import annotations

from sinorus.checks import Check, Problems, any_bad, run_checks, sql_text

__all__ = ["Check", "any_bad"]


def prepare(con, parsed_sql: str, skip_sql: str, windows: str = "") -> None:
    """`parsed`: every record with its cells read and `_skip`, why it is out of scope; then
    `windows` (SQL select items over the rows, e.g. duplicate counts; partition them by
    `_skip IS NULL` so that out-of-scope rows never count)."""
    con.execute(f"CREATE TABLE parsed AS SELECT *, {skip_sql} AS _skip FROM ({parsed_sql})")
    if windows:
        con.execute(f"CREATE OR REPLACE TABLE parsed AS SELECT *, {windows} FROM parsed")


def skipped(con) -> dict[str, int]:
    rows = con.execute(
        "SELECT _skip, count(*) FROM parsed WHERE _skip IS NOT NULL GROUP BY _skip"
    ).fetchall()
    return dict(rows)


def problems(con, file: str, checks: list[Check]) -> Problems:
    """The checks over the in-scope rows of `parsed`."""
    return run_checks(con, "parsed", file, checks, "_skip IS NULL")


def quoted(text: str) -> str:
    """A SQL string literal."""
    return sql_text(text)


def case(mapping: dict[str, str], expr: str, default: str = "NULL") -> str:
    """SQL CASE mapping the values of `expr` through `mapping` (string literals)."""
    whens = " ".join(f"WHEN {quoted(k)} THEN {quoted(v)}" for k, v in mapping.items())
    return f"CASE {expr} {whens} ELSE {default} END"


#: A number as UN Comtrade writes it: 1234.5, 1.2E+10, 1,234,567 (thousands separators).
NUMBER = r"[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?"
THOUSANDS = r"[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?"


def number(expr: str) -> str:
    """SQL: the text `expr` as a finite DOUBLE, NULL when empty or not a number."""
    clean = f"CASE WHEN regexp_full_match({expr}, '{THOUSANDS}') THEN replace({expr}, ',', '') ELSE {expr} END"
    value = f"TRY_CAST(CASE WHEN regexp_full_match({clean}, '{NUMBER}') THEN {clean} END AS DOUBLE)"
    return f"CASE WHEN isfinite({value}) THEN {value} END"


def whole(expr: str) -> str:
    """SQL: the text `expr` as a whole number ('2021', '2021.0'), NULL otherwise."""
    return f"CASE WHEN regexp_full_match({expr}, '[+-]?[0-9]{{1,9}}([.]0*)?') THEN CAST(split_part({expr}, '.', 1) AS BIGINT) END"


def fmt_g(cell: str | None) -> str:
    """A number cell as Python's `{:g}` writes it (as the messages always have)."""
    try:
        return f"{float(cell):g}"
    except (TypeError, ValueError):
        return str(cell)
