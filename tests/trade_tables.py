"""Small hand-written trade tables for the importer tests: Comtrade+ and legacy CSV rows
built from a dict of cells (every other column empty), written with the full header. SYNTHETIC
values only."""

from __future__ import annotations

import csv
import hashlib
import io

import pandas as pd

from sinorus import engine
from sinorus.importers.comtrade import LEGACY_COLUMNS, PLUS_COLUMNS

PLUS_BASE = {
    "typeCode": "C", "freqCode": "A", "refYear": "2020", "period": "2020",
    "reporterCode": "156", "reporterISO": "CHN", "reporterDesc": "China", "flowCode": "X",
    "partnerCode": "643", "partnerISO": "RUS", "partnerDesc": "Russian Federation",
    "partner2Code": "0", "classificationCode": "H6", "cmdCode": "TOTAL",
    "cmdDesc": "SYNTHETIC All", "customsCode": "C00", "motCode": "0", "primaryValue": "100",
    "isReported": "True", "isAggregate": "True",
}  # fmt: skip
LEGACY_BASE = {
    "Classification": "H5", "Year": "2005", "Period": "2005", "Trade Flow Code": "1",
    "Reporter Code": "156", "Reporter": "China", "Reporter ISO": "CHN", "Partner Code": "643",
    "Partner": "Russian Federation", "Partner ISO": "RUS", "Commodity Code": "TOTAL",
    "Commodity": "SYNTHETIC All", "Trade Value (US$)": "123", "Flag": "0",
}  # fmt: skip
CHN_RUS = {"reporterCode": "156", "reporterISO": "CHN", "partnerCode": "643", "partnerISO": "RUS"}
RUS_CHN = {"reporterCode": "643", "reporterISO": "RUS", "partnerCode": "156", "partnerISO": "CHN"}


def table(header, rows, delimiter=",", newline="\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def _row(columns, base: dict, cells: dict) -> list[str]:
    """`base` updated with `cells`, in the order of `columns` (a cell not among them fails)."""
    row = {**base, **cells}
    assert set(row) <= set(columns), set(row) - set(columns)
    return [row.get(col, "") for col in columns]


def plus_row(**cells) -> list[str]:
    return _row(PLUS_COLUMNS, PLUS_BASE, cells)


def plus_csv(*rows: dict, **kw) -> bytes:
    """A Comtrade+ CSV with the full header; each row: PLUS_BASE updated with the dict."""
    return table(PLUS_COLUMNS, [plus_row(**r) for r in rows], **kw)


def legacy_row(**cells) -> list[str]:
    return _row(LEGACY_COLUMNS, LEGACY_BASE, cells)


def legacy_csv(*rows: dict, **kw) -> bytes:
    return table(LEGACY_COLUMNS, [legacy_row(**r) for r in rows], **kw)


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def source_id(data: bytes) -> str:
    return "import-" + hashlib.sha256(data).hexdigest()[:12]


def flows_frame(rows: list[tuple]) -> pd.DataFrame:
    """The trade_flows frame `FlowStore.rows()` gives: these rows (tuples in engine.COLUMNS order),
    sorted as it sorts them, with its dtypes."""
    cols = list(engine.COLUMNS)
    frame = pd.DataFrame(rows, columns=cols)
    frame = frame.sort_values(
        ["family", "year", "reporter", "flow", "commodity_code", "source_id", "row"],
        ignore_index=True,
    )
    dtypes = {"INTEGER": "int32", "DOUBLE": "float64", "VARCHAR": "str"}
    return frame.astype({c: dtypes[t] for c, t in engine.COLUMNS.items()})


def lines(result) -> list[str]:
    return [str(p) for p in result.problems]


def upload(file_id: str, data: bytes, name: str):
    """One reader's upload as the app hands it to `session.Uploads`."""
    from sinorus.importers import session

    return session.Upload(file_id, name, len(data), lambda: data)
