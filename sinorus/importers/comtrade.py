"""UN Comtrade readers: Comtrade+ (API v1) CSV and JSON, and the legacy Comtrade CSV.

Both layouts are read by column name into one record shape, then every record goes through the
same rules (`read_records`): keep annual goods figures between China (156 / CHN) and Russia
(643 / RUS) in either direction, as each reporter states them. China's imports from Russia
(China reporting, CIF) and Russia's exports to China (Russia reporting, FOB) are kept as two
rows with different `reporter`: mirror figures, never summed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sinorus.importers import common as c
from sinorus.load import Problem

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
PLUS_REQUIRED = ("freqCode", "refYear", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")  # fmt: skip
LEGACY_REQUIRED = ("Year", "Period", "Trade Flow Code", "Reporter Code", "Partner Code", "Commodity Code", "Trade Value (US$)")  # fmt: skip

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


def read_records(
    records: Iterable[tuple[int, dict]],
    *,
    file: str,
    layout: str,
    source_id: str,
    result: c.ImportResult,
) -> list[dict]:
    """Rows for `records` ((position, {record key: raw value})); problems and skips in `result`.

    `layout` is "plus" or "legacy" (for column names in messages); positions are rows (CSV,
    header = 1) or record numbers (JSON, from 1).
    """
    columns = PLUS_MAP if layout == "plus" else LEGACY_MAP
    unit = "record" if result.format == "comtrade_plus_json" else "row"
    rows: list[dict] = []
    seen: dict[tuple, tuple[int, float]] = {}
    for pos, rec in records:
        result.read += 1
        get = {k: v.strip() if v.__class__ is str else c.text(v) for k, v in rec.items()}.get
        before = len(result.problems)

        def bad(key: str, message: str, pos=pos) -> None:
            result.problems.append(Problem(file, pos, columns.get(key, key), message))

        # scope first: out-of-scope rows are counted, not checked further
        kind = get("type", "")
        if kind and kind.upper() != "C":
            result.skipped["services (typeCode not C): only goods are used"] += 1
            continue
        if layout == "plus":
            freq = get("freq", "").upper()
            if freq in ("M", "Q"):
                result.skipped["monthly or quarterly figures: only annual figures are used"] += 1
                continue
            if freq != "A":
                bad("freq", f"'{get('freq', '')}' is not a frequency (expected A for annual, or M)")
        else:
            period = get("period", "")
            if len(period) == 6 and period.isdigit():
                result.skipped["monthly figures (Period YYYYMM): only annual figures are used"] += 1
                continue
        rep = c.country(get("rep_code", ""), get("rep_iso", ""))
        par = c.country(get("par_code", ""), get("par_iso", ""))
        if not get("rep_code", "") and not get("rep_iso", ""):
            bad("rep_code", "is empty (expected the reporter's code, e.g. 156 China, 643 Russia)")
        elif not get("par_code", "") and not get("par_iso", ""):
            bad("par_code", "is empty (expected the partner's code, e.g. 643 Russia, 156 China)")
        elif {rep, par} != {"CHN", "RUS"}:
            pair = "–".join(
                c.country_label(get(f"{k}_code", ""), get(f"{k}_iso", ""), get(f"{k}_desc", ""))
                for k in ("rep", "par")
            )
            result.skipped[f"other country pair ({pair})"] += 1
            continue
        if get("par2", "") not in ("", "0"):
            result.skipped["breakdown by second partner (partner2Code not 0, World)"] += 1
            continue
        if get("mot", "") not in ("", "0"):
            result.skipped["breakdown by mode of transport (motCode not 0, all modes)"] += 1
            continue
        if get("customs", "").upper() not in ("", "C00"):
            result.skipped["breakdown by customs procedure (customsCode not C00, all)"] += 1
            continue
        raw_flow = get("flow", "").upper()
        flow = LEGACY_FLOWS.get(raw_flow, raw_flow) if layout == "legacy" else raw_flow
        if flow in OTHER_FLOWS:
            result.skipped[
                f"flow {flow} ({OTHER_FLOWS[flow]}): only imports (M) and exports (X) are used"
            ] += 1
            continue
        if flow not in ("M", "X"):
            expected = (
                "1 import, 2 export, 3 re-export or 4 re-import"
                if layout == "legacy"
                else "M or X; also known: " + ", ".join(OTHER_FLOWS)
            )
            bad("flow", f"'{get('flow', '')}' is not a UN Comtrade flow code (expected {expected})")

        # the cells a kept row needs
        year = None
        raw_year = get("year", "") or (get("period", "") if layout == "plus" else "")
        try:
            year = c.whole(raw_year)
        except ValueError:
            bad("year", f"'{raw_year}' is not a year (expected a whole number such as 2021)")
        if year is not None and not c.YEAR_MIN <= year <= c.YEAR_MAX:
            bad("year", f"{year} is out of range (expected {c.YEAR_MIN}–{c.YEAR_MAX})")
            year = None
        code = get("cmd", "").upper()
        notes = []
        if not code:
            bad("cmd", "is empty (expected TOTAL or an HS code such as 27)")
        elif code.isdigit() and len(code) % 2:
            notes.append(f"commodity code '{code}' read as '0{code}' (leading zero restored)")
            code = "0" + code
        value = None
        value_key = "value"
        try:
            value = c.number(get("value", ""))
            if value is None and layout == "plus" and flow in ("M", "X"):
                value_key = "cif" if flow == "M" else "fob"
                value = c.number(get(value_key, ""))
        except ValueError:
            bad(value_key, f"'{get(value_key, '')}' is not a number (expected the value in US$)")
        if value is not None and value < 0:
            bad(value_key, f"{value:g} is negative (expected a trade value of at least 0)")
        for key in ("reported", "aggregate"):
            try:
                flag = c.boolean(get(key, ""))
            except ValueError:
                bad(key, f"'{get(key, '')}' is not true or false (expected true / false / 1 / 0)")
                continue
            if key == "reported" and flag is False:
                notes.append("isReported false: estimated by UN Comtrade, not the reporter")
        if value_key != "value" and value is not None:
            notes.append(f"primaryValue empty: {columns[value_key]} used")
        if get("flag", "") not in ("", "0"):
            notes.append(f"Comtrade flag {get('flag', '')} (a quantity or weight was estimated)")
        if len(result.problems) > before:
            continue
        if value is None:
            result.skipped["missing value (no trade value in the row)"] += 1
            continue
        reporter = rep or ""
        key = (year, reporter, flow, code)
        if key in seen:
            first, first_value = seen[key]
            if first_value == value:
                result.skipped["duplicate row (same year, reporter, flow, commodity, value)"] += 1
            else:
                result.problems.append(
                    Problem(
                        file,
                        pos,
                        columns["value"],
                        f"{value:g} conflicts with {unit} {first} ({first_value:g}) for the same "
                        f"year, reporter, flow and commodity (expected one value)",
                    )
                )
            continue
        seen[key] = (pos, value)
        rows.append(
            c.flow_row(
                rid=f"{source_id}-{pos}",
                year=year,
                reporter=reporter,
                reported_flow=flow,
                classification=get("cls", ""),
                commodity_code=code,
                commodity=get("cmd_desc", ""),
                value_usd=value,
                source_id=source_id,
                quote=f"{file} {unit} {pos} (reporter {reporter}, flow {flow}, cmd {code})",
                note="; ".join(notes),
            )
        )
    return rows
