"""UN Comtrade readers: Comtrade+ (API v1) CSV and JSON, and the legacy Comtrade CSV.

Both layouts are read by column name into one record shape, then every record goes through the
same rules (`apply`, vectorised in DuckDB): keep annual goods figures between China (156 / CHN) and Russia
(643 / RUS) in either direction, as each reporter states them. China's imports from Russia
(China reporting, CIF) and Russia's exports to China (Russia reporting, FOB) are kept as two
rows with different `reporter`: mirror figures, never summed.
"""

from __future__ import annotations

from sinorus.checks import LIMIT, Problem, Problems, shown
from sinorus.engine import FLOW_OF, VALUATION_OF
from sinorus.importers import common, rules

#: The Comtrade+ (API v1) columns, in the order the API and the website's CSV download give them.
PLUS_COLUMNS = (
    "typeCode, freqCode, refPeriodId, refYear, refMonth, period, reporterCode, reporterISO, "
    "reporterDesc, flowCode, flowDesc, partnerCode, partnerISO, partnerDesc, partner2Code, "
    "partner2ISO, partner2Desc, classificationCode, classificationSearchCode, "
    "isOriginalClassification, cmdCode, cmdDesc, aggrLevel, isLeaf, customsCode, customsDesc, "
    "mosCode, motCode, motDesc, qtyUnitCode, qtyUnitAbbr, qty, isQtyEstimated, altQtyUnitCode, "
    "altQtyUnitAbbr, altQty, isAltQtyEstimated, netWgt, isNetWgtEstimated, grossWgt, "
    "isGrossWgtEstimated, cifvalue, fobvalue, primaryValue, legacyEstimationFlag, isReported, "
    "isAggregate"
).split(", ")
LEGACY_COLUMNS = (
    "Classification, Year, Period, Period Desc., Aggregate Level, Is Leaf Code, Trade Flow Code, "
    "Trade Flow, Reporter Code, Reporter, Reporter ISO, Partner Code, Partner, Partner ISO, "
    "Commodity Code, Commodity, Qty Unit Code, Qty Unit, Qty, Netweight (kg), Trade Value (US$), "
    "Flag"
).split(", ")

#: record key -> column name, per layout. Keys missing from a layout are simply absent.
PLUS_MAP = {
    "type": "typeCode",
    "freq": "freqCode",
    "year": "refYear",
    "period": "period",
    "rep_code": "reporterCode",
    "rep_iso": "reporterISO",
    "rep_desc": "reporterDesc",
    "par_code": "partnerCode",
    "par_iso": "partnerISO",
    "par_desc": "partnerDesc",
    "par2": "partner2Code",
    "mot": "motCode",
    "customs": "customsCode",
    "flow": "flowCode",
    "flow_desc": "flowDesc",
    "cls": "classificationCode",
    "cmd": "cmdCode",
    "cmd_desc": "cmdDesc",
    "value": "primaryValue",
    "cif": "cifvalue",
    "fob": "fobvalue",
    "reported": "isReported",
    "aggregate": "isAggregate",
}
LEGACY_MAP = {
    "cls": "Classification",
    "year": "Year",
    "period": "Period",
    "flow": "Trade Flow Code",
    "flow_desc": "Trade Flow",
    "rep_code": "Reporter Code",
    "rep_desc": "Reporter",
    "rep_iso": "Reporter ISO",
    "par_code": "Partner Code",
    "par_desc": "Partner",
    "par_iso": "Partner ISO",
    "cmd": "Commodity Code",
    "cmd_desc": "Commodity",
    "value": "Trade Value (US$)",
    "flag": "Flag",
}
#: The columns a file must have for its rows to be read at all.
PLUS_REQUIRED = (
    "freqCode",
    "refYear",
    "reporterCode",
    "partnerCode",
    "flowCode",
    "cmdCode",
    "primaryValue",
)
LEGACY_REQUIRED = (
    "Year",
    "Period",
    "Trade Flow Code",
    "Reporter Code",
    "Partner Code",
    "Commodity Code",
    "Trade Value (US$)",
)

#: Comtrade+ flow codes other than M and X: known, out of scope, skipped.
OTHER_FLOWS = {
    "RM": "re-imports",
    "RX": "re-exports",
    "DX": "domestic exports",
    "FM": "foreign imports",
    "MIP": "imports for inward processing",
    "XIP": "exports after inward processing",
    "MOP": "imports after outward processing",
    "XOP": "exports for outward processing",
    "MIF": "imports on financial lease",
    "XIF": "exports on financial lease",
    "MG": "imports of goods sent for processing",
    "XG": "exports of goods sent for processing",
}
LEGACY_FLOWS = {"1": "M", "2": "X", "3": "RX", "4": "RM"}


_TRUE = ("true", "1", "yes", "t", "y")
_FALSE = ("false", "0", "no", "f", "n")


def _col(layout_keys, key: str) -> str:
    return f"trim(coalesce(\"{key}\", ''))" if key in layout_keys else "''"


def _country(code: str, iso: str) -> str:
    return (
        f"CASE WHEN upper({iso}) IN ('CHN', '156') THEN 'CHN' WHEN upper({iso}) IN ('RUS', '643') "
        f"THEN 'RUS' WHEN {code} IN ('156', 'CHN') THEN 'CHN' WHEN {code} IN ('643', 'RUS') "
        "THEN 'RUS' END"
    )


def parsed_sql(layout: str, keys) -> str:
    """Each record's cells, trimmed, and what they read as (country, flow, year, code, value)."""
    cells = {key: _col(keys, key) for key in {*PLUS_MAP, *LEGACY_MAP}}
    select = ", ".join(f'{sql} AS "{key}"' for key, sql in cells.items())
    if layout == "legacy":
        flow = rules.case(LEGACY_FLOWS, "upper(flow)", "upper(flow)")
        year_raw = "year"
        value_key = "'value'"
    else:
        flow = "upper(flow)"
        year_raw = "CASE WHEN year <> '' THEN year ELSE period END"
        value_key = "CASE WHEN value = '' AND flowx IN ('M', 'X') THEN CASE flowx WHEN 'M' THEN 'cif' ELSE 'fob' END ELSE 'value' END"
    return f"""
        SELECT *, {rules.number("value_raw")} AS value_num FROM (
          SELECT *, CASE value_key WHEN 'cif' THEN cif WHEN 'fob' THEN fob ELSE value END AS value_raw
          FROM (
            SELECT *, {value_key} AS value_key, {rules.whole("year_raw")} AS year_int,
                   CASE WHEN regexp_full_match(code, '[0-9]+') AND length(code) % 2 = 1
                        THEN '0' || code ELSE code END AS code2
            FROM (
              SELECT *, {_country("rep_code", "rep_iso")} AS rep,
                     {_country("par_code", "par_iso")} AS par, {flow} AS flowx,
                     {year_raw} AS year_raw, upper(cmd) AS code,
                     coalesce(nullif(upper(rep_iso), ''), nullif(rep_desc, ''), nullif(rep_code, ''), '?') AS rep_label,
                     coalesce(nullif(upper(par_iso), ''), nullif(par_desc, ''), nullif(par_code, ''), '?') AS par_label
              FROM (SELECT _pos, {select} FROM raw))))"""


def skip_sql(layout: str) -> str:
    """Why a row is out of scope (in the order the rules apply), or NULL."""
    period = (
        "WHEN upper(freq) IN ('M', 'Q') THEN 'monthly or quarterly figures: only annual figures are used'"
        if layout == "plus"
        else "WHEN regexp_full_match(period, '[0-9]{6}') THEN 'monthly figures (Period YYYYMM): only annual figures are used'"
    )
    others = " ".join(
        f"WHEN flowx = {rules.quoted(code)} THEN {rules.quoted(f'flow {code} ({words}): only imports (M) and exports (X) are used')}"
        for code, words in OTHER_FLOWS.items()
    )
    return f"""CASE
        WHEN type <> '' AND upper(type) <> 'C' THEN 'services (typeCode not C): only goods are used'
        {period}
        WHEN (rep_code <> '' OR rep_iso <> '') AND (par_code <> '' OR par_iso <> '')
             AND NOT (rep IS NOT NULL AND par IS NOT NULL AND rep <> par)
             THEN 'other country pair (' || rep_label || '–' || par_label || ')'
        WHEN par2 NOT IN ('', '0') THEN 'breakdown by second partner (partner2Code not 0, World)'
        WHEN mot NOT IN ('', '0') THEN 'breakdown by mode of transport (motCode not 0, all modes)'
        WHEN upper(customs) NOT IN ('', 'C00') THEN 'breakdown by customs procedure (customsCode not C00, all)'
        {others}
    END"""


def checks(layout: str) -> list[rules.Check]:
    """The cell rules of an in-scope row, each with its message (as sinorus has always worded them)."""
    columns = PLUS_MAP if layout == "plus" else LEGACY_MAP
    Check = rules.Check
    flows = (
        "1 import, 2 export, 3 re-export or 4 re-import"
        if layout == "legacy"
        else "M or X; also known: " + ", ".join(OTHER_FLOWS)
    )
    bools = ", ".join(rules.quoted(v) for v in ("", *_TRUE, *_FALSE))
    out = [
        Check(columns["rep_code"], "rep_code = '' AND rep_iso = ''", "''",
              lambda _: "is empty (expected the reporter's code, e.g. 156 China, 643 Russia)"),
        Check(columns["par_code"], "NOT (rep_code = '' AND rep_iso = '') AND par_code = '' AND par_iso = ''", "''",
              lambda _: "is empty (expected the partner's code, e.g. 643 Russia, 156 China)"),
        Check(columns["flow"], "flowx NOT IN ('M', 'X')", "flow",
              lambda cell: f"'{shown(cell)}' is not a UN Comtrade flow code (expected {flows})"),
        Check(columns["year"], "year_int IS NULL", "year_raw",
              lambda cell: f"'{shown(cell)}' is not a year (expected a whole number such as 2021)"),
        Check(columns["year"], f"year_int NOT BETWEEN {common.YEAR_MIN} AND {common.YEAR_MAX}", "year_int",
              lambda cell: f"{shown(cell)} is out of range (expected {common.YEAR_MIN}–{common.YEAR_MAX})"),
        Check(columns["cmd"], "code = ''", "''",
              lambda _: "is empty (expected TOTAL or an HS code such as 27)"),
    ]  # fmt: skip
    for key in ("value", "cif", "fob") if layout == "plus" else ("value",):
        out += [
            Check(
                columns[key],
                f"value_key = '{key}' AND value_raw <> '' AND value_num IS NULL",
                "value_raw",
                lambda cell: f"'{shown(cell)}' is not a number (expected the value in US$)",
            ),
            Check(
                columns[key],
                f"value_key = '{key}' AND value_num < 0",
                "value_num",
                lambda cell: (
                    f"{rules.fmt_g(cell)} is negative (expected a trade value of at least 0)"
                ),
            ),
        ]
    if layout == "plus":
        out.insert(
            2,
            Check(
                columns["freq"],
                "upper(freq) <> 'A'",
                "freq",
                lambda cell: f"'{shown(cell)}' is not a frequency (expected A for annual, or M)",
            ),
        )
        for key in ("reported", "aggregate"):
            out.append(
                Check(
                    columns[key],
                    f"lower({key}) NOT IN ({bools})",
                    key,
                    lambda cell: (
                        f"'{shown(cell)}' is not true or false (expected true / false / 1 / 0)"
                    ),
                )
            )
    return out


def _note_sql(layout: str) -> str:
    parts = [
        "CASE WHEN code2 <> code THEN 'commodity code ''' || code || ''' read as ''' || code2 || ''' (leading zero restored)' END",
        f"CASE WHEN lower(reported) IN ({', '.join(rules.quoted(v) for v in _FALSE)}) THEN 'isReported false: estimated by UN Comtrade, not the reporter' END",
        "CASE WHEN value_key = 'cif' THEN 'primaryValue empty: cifvalue used' WHEN value_key = 'fob' THEN 'primaryValue empty: fobvalue used' END",
        "CASE WHEN flag NOT IN ('', '0') THEN 'Comtrade flag ' || flag || ' (a quantity or weight was estimated)' END",
    ]
    return f"concat_ws('; ', {', '.join(parts)})"


def apply(con, *, file: str, layout: str, unit: str, keys, source_id: str, family: str, result):
    """Run the rules over `raw`: skips and problems into `result`; returns the SQL of the rows
    to keep (trade_flows columns), or None when the file is rejected."""
    rules.prepare(con, parsed_sql(layout, keys), skip_sql(layout))
    result.skipped.update(rules.skipped(con))
    found_checks = checks(layout)
    result.take(rules.problems(con, file, found_checks))
    con.execute(
        f"CREATE VIEW good AS SELECT * FROM parsed WHERE _skip IS NULL AND NOT {rules.any_bad(found_checks)}"
    )
    missing = con.execute("SELECT count(*) FROM good WHERE value_num IS NULL").fetchone()[0]
    if missing:
        result.skipped["missing value (no trade value in the row)"] += missing
    _repeats(con, file, layout, unit, result)
    if not result.ok:
        return None
    flow = " ".join(
        f"WHEN rep = '{r}' AND flowx = '{f}' THEN '{d}'" for (r, f), d in FLOW_OF.items()
    )
    return f"""SELECT {rules.quoted(family)} AS family, {rules.quoted(source_id)} AS source_id,
                      _pos AS row, year_int AS year, rep AS reporter, flowx AS reported_flow,
                      CASE {flow} END AS flow, {rules.case(VALUATION_OF, "flowx")} AS valuation,
                      cls AS classification, code2 AS commodity_code, cmd_desc AS commodity,
                      value_num AS value_usd, 'exact' AS qualifier, {_note_sql(layout)} AS note
               FROM good WHERE value_num IS NOT NULL
               AND _pos NOT IN (SELECT _pos FROM repeats WHERE _n > 1)"""


def _repeats(con, file: str, layout: str, unit: str, result) -> None:
    """Rows giving a key (year, reporter, flow, commodity) already given above: the same value is
    skipped and counted, another value is a problem. Only keys that repeat are sorted."""
    key = "year_int, rep, flowx, code2"
    con.execute(
        f"""CREATE TABLE repeats AS SELECT _pos, value_num,
                first_value(_pos) OVER w AS _first, first_value(value_num) OVER w AS _first_value,
                row_number() OVER w AS _n
            FROM good SEMI JOIN (SELECT {key} FROM good WHERE value_num IS NOT NULL
                                 GROUP BY ALL HAVING count(*) > 1) USING ({key})
            WHERE value_num IS NOT NULL WINDOW w AS (PARTITION BY {key} ORDER BY _pos)"""
    )
    dups = con.execute(
        "SELECT count(*) FROM repeats WHERE _n > 1 AND value_num = _first_value"
    ).fetchone()[0]
    if dups:
        result.skipped["duplicate row (same year, reporter, flow, commodity, value)"] += dups
    where = "_n > 1 AND value_num <> _first_value"
    total = con.execute(f"SELECT count(*) FROM repeats WHERE {where}").fetchone()[0]
    if not total:
        return
    first = con.execute(
        f"SELECT _pos, value_num, _first, _first_value FROM repeats WHERE {where} ORDER BY _pos LIMIT {LIMIT}"
    ).fetchall()
    column = (PLUS_MAP if layout == "plus" else LEGACY_MAP)["value"]
    found = Problems()
    found.extend(
        (
            Problem(
                file,
                pos,
                column,
                f"{value:g} conflicts with {unit} {at} ({was:g}) for the same "
                "year, reporter, flow and commodity (expected one value)",
            )
            for pos, value, at, was in first
        ),
        total,
    )
    result.take(found)
