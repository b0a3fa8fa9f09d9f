"""Chart frames to downloadable bytes (CSV, Excel, JSON), each carrying its provenance.

The frame passed in is the very frame the chart or table was drawn from. Text cells that a
spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) are
prefixed with an apostrophe; numeric columns are left as numbers.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from sinorus import __version__, reports

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",  # CSV + datapackage.json + README.md: sinorus.bundle
}
DASHBOARD_CITATION = (
    "sinorus: China–Russia trade figures from two 2007 documents, each with its source sentence "
    f"(version {__version__}). Data curation CC BY 4.0; each source keeps its own licence."
)
SOURCE_COLUMNS = ["id", "title", "authors", "publisher", "published", "license", "url", "citation"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(slug: str, year_range: tuple[int, int], fmt: str) -> str:
    """e.g. `sinorus-trade-total-1992-2007.csv`."""
    lo, hi = year_range
    return f"sinorus-{slug}-{lo}-{hi}.{fmt}"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a spreadsheet formula; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_datetime64_any_dtype(
            out[column]
        ):
            continue
        out[column] = out[column].map(_safe_cell)
    return out


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sources_for(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of `sources` that `frame` cites in `source_id` or any `*_source_id` column (all
    of them if it has none and cites no later report), then each later report it cites
    (`sinorus.reports.report_sources`)."""
    later = reports.report_sources(frame)
    cited = [c for c in frame.columns if c == "source_id" or c.endswith("_source_id")]
    if cited:
        ids = pd.unique(frame[cited].astype(str).to_numpy().ravel())
        sources = sources[sources["id"].isin(ids)]
    elif len(later) or {"publisher", "published", "url"} <= set(frame.columns):
        sources = sources.iloc[0:0]  # a frame of later reports cites them, not the documents
    own = sources[[c for c in SOURCE_COLUMNS if c in sources]]
    if later.empty:
        return own.reset_index(drop=True)
    return pd.concat([own, later[[c for c in own.columns]]], ignore_index=True)


def to_csv(frame: pd.DataFrame) -> bytes:
    # CRLF (RFC 4180) so that a lone CR inside a cell is quoted too.
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_xlsx(frame: pd.DataFrame, sources: pd.DataFrame, title: str) -> bytes:
    """A workbook: `data` (the frame), `sources` (full citations) and `about`."""
    about = pd.DataFrame(
        {"field": ["title", "cite as", "rows"], "value": [title, DASHBOARD_CITATION, len(frame)]}
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _excel_ready(neutralise(frame)).to_excel(writer, sheet_name="data", index=False)
        neutralise(sources_for(frame, sources)).to_excel(writer, sheet_name="sources", index=False)
        neutralise(about).to_excel(writer, sheet_name="about", index=False)
    return buffer.getvalue()


def to_json(
    frame: pd.DataFrame, sources: pd.DataFrame, title: str, year_range: tuple[int, int]
) -> bytes:
    """`{"title", "year_range", "cite_as", "sources": [...], "data": [...]}` as UTF-8 JSON."""
    doc = {
        "title": title,
        "year_range": list(year_range),
        "cite_as": DASHBOARD_CITATION,
        "sources": _records(sources_for(frame, sources)),
        "data": _records(frame),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def render(fmt: str, frame: pd.DataFrame, sources: pd.DataFrame, title: str, year_range) -> bytes:
    """Bytes of `frame` as CSV, Excel or JSON (a ZIP bundle: `sinorus.bundle.render`)."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame, sources, title)
    if fmt == "json":
        return to_json(frame, sources, title, year_range)
    raise ValueError(f"unknown format '{fmt}' (expected one of: csv, xlsx, json)")


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable integers become floats with blanks, which openpyxl writes as numbers."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.Int64Dtype):
            out[column] = out[column].astype("float64")
    return out
