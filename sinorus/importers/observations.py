"""Reader for sinorus's own observation table (the layout of data/observations.csv).

Only annual totals are imported: indicator trade_total in USD bn, as flow `total` with no
reporter. They become trade_flows rows under the import's own source, never joining the
documents' series; the row's qualifier is kept, its original source and sentence go in its note.
Direction figures (trade_china_exports / trade_china_imports, as `sinorus extract` writes them)
are skipped and counted: without the reporting country they cannot stand beside mirror flows.
"""

from __future__ import annotations

from collections.abc import Iterable

from sinorus.importers import common as c
from sinorus.load import Problem

REQUIRED = ("id", "indicator", "year", "value", "unit", "qualifier", "source_id", "quote")
COLUMNS = (
    "id, indicator, year, year_start, value, unit, qualifier, reported_as, year_basis, "
    "year_note, flag, flag_note, source_id, quote"
).split(", ")
FLOWS = {"trade_total": "total"}
DIRECTIONS = ("trade_china_exports", "trade_china_imports")
QUALIFIERS = ("exact", "about", "nearly", "at_least")


def read_records(
    records: Iterable[tuple[int, dict]], *, file: str, source_id: str, result: c.ImportResult
) -> list[dict]:
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for pos, rec in records:
        result.read += 1
        get = {k: v.strip() if v.__class__ is str else c.text(v) for k, v in rec.items()}.get
        before = len(result.problems)

        def bad(column: str, message: str, pos=pos) -> None:
            result.problems.append(Problem(file, pos, column, message))

        indicator = get("indicator", "")
        if get("review", "").lower() == "pending":
            result.skipped[
                "review pending (a candidate from sinorus extract, not yet checked)"
            ] += 1
            continue
        if indicator in DIRECTIONS:
            result.skipped[f"indicator {indicator}: a direction without its reporting country"] += 1
            continue
        if indicator not in FLOWS:
            if not indicator:
                bad("indicator", "is empty (expected e.g. trade_total)")
            else:
                result.skipped[f"indicator {indicator}: not a trade value"] += 1
                continue
        if get("year_start", ""):
            result.skipped["cumulative total over several years (year_start set)"] += 1
            continue
        rid = get("id", "")
        if not rid:
            bad("id", "is empty (expected the row's identifier)")
        elif rid in seen:
            bad("id", f"'{rid}' repeats row {seen[rid]} (expected unique ids)")
        else:
            seen[rid] = pos
        year = None
        try:
            year = c.whole(get("year", ""))
            if not c.YEAR_MIN <= year <= c.YEAR_MAX:
                bad("year", f"{year} is out of range (expected {c.YEAR_MIN}–{c.YEAR_MAX})")
        except ValueError:
            bad("year", f"'{get('year', '')}' is not a year (expected a whole number such as 2006)")
        value = None
        try:
            value = c.number(get("value", ""))
            if value is None:
                bad("value", "is empty (expected a number)")
            elif value < 0:
                bad("value", f"{value:g} is negative (expected at least 0)")
        except ValueError:
            bad("value", f"'{get('value', '')}' is not a number (expected the value in USD bn)")
        if get("unit", "") != "USD bn":
            bad("unit", f"'{get('unit', '')}' cannot be used (expected USD bn for a trade value)")
        qualifier = get("qualifier", "")
        if qualifier not in QUALIFIERS:
            bad("qualifier", f"'{qualifier}' is not allowed (expected one of: {', '.join(QUALIFIERS)})")  # fmt: skip
        if len(result.problems) > before:
            continue
        flow = FLOWS[indicator]
        reported_as = get("reported_as", "")
        original = get("source_id", "")
        note = "; ".join(
            filter(
                None,
                [
                    f"as written: {reported_as}" if reported_as else "",
                    f"original source: {original}" if original else "",
                    f"original quote: “{get('quote', '')}”" if get("quote", "") else "",
                    f"year {get('year_basis', '')}: {get('year_note', '')}"
                    if get("year_note", "")
                    else "",
                    f"flag {get('flag', '')}: {get('flag_note', '')}" if get("flag", "") else "",
                ],
            )
        )
        rows.append(
            {
                "id": f"{source_id}-{pos}",
                "year": year,
                "reporter": "",
                "reported_flow": "",
                "flow": flow,
                "valuation": "",
                "classification": "",
                "commodity_code": "TOTAL",
                "commodity": "",
                "value_usd": value * 1e9,
                "qualifier": qualifier,
                "source_id": source_id,
                "quote": f"{file} row {pos} (id {rid}, {indicator})",
                "note": note,
            }
        )
    return rows
