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
from sinorus.i18n import _, ngettext

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


def dashboard_citation() -> str:
    """`DASHBOARD_CITATION` in the page's language (machine-read files keep the English)."""
    return _(
        "sinorus: China–Russia trade figures from two 2007 documents, each with its source "
        "sentence (version {version}). Data curation CC BY 4.0; each source keeps its own licence."
    ).format(version=__version__)


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
    """The rows of `sources` that `frame` cites in `source_id` and any `*_source_id` column beside
    it (all of them if it has no `source_id` and cites no later report), then each later report
    it cites (`sinorus.reports.report_sources`)."""
    later = reports.report_sources(frame)
    cited = [c for c in frame.columns if c == "source_id" or c.endswith("_source_id")]
    if "source_id" in frame:  # its own figures' sources, and those of what it sets them beside
        ids = pd.unique(frame[cited].astype(str).to_numpy().ravel())
        sources = sources[sources["id"].isin(ids)]
    elif len(later) or {"publisher", "published", "url"} <= set(frame.columns):
        sources = sources.iloc[0:0]  # a frame of later reports cites them, not the documents
    own = sources[[c for c in SOURCE_COLUMNS if c in sources]]
    if later.empty:
        return own.reset_index(drop=True)
    return pd.concat([own, later[[c for c in own.columns]]], ignore_index=True)


def provenance(frame: pd.DataFrame, sources: pd.DataFrame) -> tuple[str, str]:
    """A picture's source line and licence line for what `frame` draws, grouped and in readers'
    words, no internal ids: ("2 documents (VOA, EAI, 2007); IMF DOTS; 53 later reports",
    "VOA: public domain …; EAI: © …; IMF DOTS: …; later reports: restated …; curation CC BY
    4.0")."""
    kinds = sources.set_index("id")["kind"] if "kind" in sources else pd.Series(dtype=str)
    if "source_id" not in frame and "kind" in sources:  # rows built on the documents' figures
        named = {v for c in frame.columns if c.endswith("source_id") for v in frame[c]}
        sources = sources[(sources["kind"] == "document") | sources["id"].isin(named)]
    cited = sources_for(frame, sources)
    own = cited[cited["id"].isin(kinds.index)]
    docs = own[own["id"].map(kinds) == "document"]
    data = own[own["id"].map(kinds) != "document"]
    later = cited[~cited["id"].isin(kinds.index)]
    parts, licences = [], []
    if len(docs):
        names = [short_name(p, document=True) for p in docs["publisher"]]
        years = sorted({str(p)[:4] for p in docs["published"] if str(p)[:4].isdigit()})
        parts.append(
            ngettext("{count} document ({names})", "{count} documents ({names})", len(docs)).format(
                count=len(docs), names=", ".join(names + years)
            )
        )
        licences += [f"{n}: {lic}" for n, lic in zip(names, docs["license"], strict=True)]
    for row in data.itertuples():
        parts.append(short_name(row.publisher))
        licences.append(f"{short_name(row.publisher)}: {row.license}")
    if len(later):
        parts.append(
            ngettext("{count} later report", "{count} later reports", len(later)).format(
                count=len(later)
            )
        )
        licences.append(
            _(
                "later reports: restated in our own words for reference, each figure as written; "
                "the originals and their wording remain their publishers'"
            )
        )
    return "; ".join(parts) or "sinorus", "; ".join(licences + [_("curation CC BY 4.0")])


def short_name(publisher, document: bool = False) -> str:
    """A publisher as a source line names it: 'VOA' (Voice of America (VOA News)), 'EAI' (East
    Asian Institute), 'IMF DOTS' (IMF Direction of Trade Statistics (DOTS)), else its name."""
    name = str(publisher or "").split(",")[0].strip()
    inner = name[name.find("(") + 1 : name.find(")")] if "(" in name and ")" in name else ""
    if inner:
        prefix = name[: name.find("(")]
        acronym = "".join(w[0] for w in prefix.split() if w[:1].isupper())
        if document or acronym == inner.split()[0]:
            return inner.split()[0]
        return f"{name.split()[0]} {inner.split()[0]}"
    if document:
        initials = "".join(w[0] for w in name.split() if w[:1].isupper())
        return initials if len(initials) > 1 else name
    return name


def to_csv(frame: pd.DataFrame) -> bytes:
    # CRLF (RFC 4180) so that a lone CR inside a cell is quoted too.
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_xlsx(frame: pd.DataFrame, sources: pd.DataFrame, title: str) -> bytes:
    """A workbook: `data` (the frame), `sources` (full citations) and `about`."""
    about = pd.DataFrame(
        {
            _("field"): [_("title"), _("cite as"), _("rows")],
            _("value"): [title, dashboard_citation(), len(frame)],
        }
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
