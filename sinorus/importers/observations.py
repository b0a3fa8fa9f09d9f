"""Reader for sinorus's own observation table (the layout of data/observations.csv).

Only annual totals are imported: indicator trade_total in USD bn, as flow `total` with no
reporter. They become trade_flows rows under the import's own source and family (each table is
its own series), never joining the documents' series; the row's qualifier is kept, its original
source and sentence go in its note. Direction figures (trade_china_exports / trade_china_imports,
as `sinorus extract` writes them) are skipped and counted: without the reporting country they
cannot stand beside mirror flows.
"""

from __future__ import annotations

from sinorus import vocab
from sinorus.checks import shown
from sinorus.importers import common, rules

REQUIRED = ("id", "indicator", "year", "value", "unit", "qualifier", "source_id", "quote")
COLUMNS = (
    "id, indicator, year, year_start, value, unit, qualifier, reported_as, year_basis, "
    "year_note, flag, flag_note, source_id, quote"
).split(", ")
#: record key -> column name (the same here), with `review` (candidates from `sinorus extract`)
KEYS = {name: name for name in [*COLUMNS, "review"]}
DIRECTIONS = ("trade_china_exports", "trade_china_imports")
QUALIFIERS = tuple(vocab.QUALIFIERS)


def parsed_sql(keys) -> str:
    cells = ", ".join(
        (f"trim(coalesce(\"{k}\", ''))" if k in keys else "''") + f' AS "{k}"' for k in KEYS
    )
    return f"""
        SELECT *, {rules.whole("year")} AS year_int, {rules.number("value")} AS value_num
        FROM (SELECT _pos, {cells} FROM raw)"""


#: Within the rows in scope: how many times an id has been seen so far, and where first.
WINDOWS = """row_number() OVER (PARTITION BY _skip IS NULL, id ORDER BY _pos) AS _seen,
    first_value(_pos) OVER (PARTITION BY _skip IS NULL, id ORDER BY _pos) AS _first"""
SKIP = f"""CASE
    WHEN lower(review) = 'pending' THEN 'review pending (a candidate from sinorus extract, not yet checked)'
    WHEN indicator IN {DIRECTIONS} THEN 'indicator ' || indicator || ': a direction without its reporting country'
    WHEN indicator <> '' AND indicator NOT IN ('trade_total') THEN 'indicator ' || indicator || ': not a trade value'
    WHEN year_start <> '' THEN 'cumulative total over several years (year_start set)'
END"""


def checks() -> list[rules.Check]:
    Check = rules.Check
    allowed = ", ".join(QUALIFIERS)
    return [
        Check("indicator", "indicator = ''", "''", lambda _: "is empty (expected e.g. trade_total)"),
        Check("id", "id = ''", "''", lambda _: "is empty (expected the row's identifier)"),
        Check("id", "id <> '' AND _seen > 1", "id || ' ' || _first",
              lambda cell: f"'{shown(cell.rsplit(' ', 1)[0])}' repeats row {cell.rsplit(' ', 1)[1]} (expected unique ids)"),
        Check("year", "year_int IS NULL", "year",
              lambda cell: f"'{shown(cell)}' is not a year (expected a whole number such as 2006)"),
        Check("year", f"year_int NOT BETWEEN {common.YEAR_MIN} AND {common.YEAR_MAX}", "year_int",
              lambda cell: f"{shown(cell)} is out of range (expected {common.YEAR_MIN}–{common.YEAR_MAX})"),
        Check("value", "value = ''", "''", lambda _: "is empty (expected a number)"),
        Check("value", "value <> '' AND value_num IS NULL", "value",
              lambda cell: f"'{shown(cell)}' is not a number (expected the value in USD bn)"),
        Check("value", "value_num < 0", "value_num",
              lambda cell: f"{rules.fmt_g(cell)} is negative (expected at least 0)"),
        Check("unit", "unit <> 'USD bn'", "unit",
              lambda cell: f"'{shown(cell)}' cannot be used (expected USD bn for a trade value)"),
        Check("qualifier", f"qualifier NOT IN {QUALIFIERS}", "qualifier",
              lambda cell: f"'{shown(cell)}' is not allowed (expected one of: {allowed})"),
    ]  # fmt: skip


NOTE = """concat_ws('; ',
    CASE WHEN reported_as <> '' THEN 'as written: ' || reported_as END,
    CASE WHEN source_id <> '' THEN 'original source: ' || source_id END,
    CASE WHEN quote <> '' THEN 'original quote: “' || quote || '”' END,
    CASE WHEN year_note <> '' THEN 'year ' || year_basis || ': ' || year_note END,
    CASE WHEN flag <> '' THEN 'flag ' || flag || ': ' || flag_note END)"""


def apply(con, *, file: str, keys, source_id: str, family: str, result, **_):
    """Run the rules over `raw`; returns the SQL of the rows to keep, or None if rejected."""
    rules.prepare(con, parsed_sql(keys), SKIP, WINDOWS)
    result.skipped.update(rules.skipped(con))
    found = checks()
    result.take(rules.problems(con, file, found))
    if not result.ok:
        return None
    return f"""SELECT {rules.quoted(family)} AS family, {rules.quoted(source_id)} AS source_id,
                      _pos AS row, year_int AS year, '' AS reporter, '' AS reported_flow,
                      'total' AS flow, '' AS valuation, '' AS classification,
                      'TOTAL' AS commodity_code, '' AS commodity, value_num * 1e9 AS value_usd,
                      qualifier, {NOTE} AS note
               FROM parsed WHERE _skip IS NULL"""
