"""What every reader shares: the result object, the source row, cell parsing, the row builder.

A reader turns one file into rows of the `trade_flows` table (see data/datapackage.json) and one
new `sources` row (kind `dataset`) recording the file's name, sha256 checksum and import date.
Each row's `quote` is a row reference ("comtrade.csv row 12 (reporter CHN, flow M, cmd TOTAL)").

Rejection rule: a file with any bad cell (a value that is not a number, an unknown flow code, a
year out of range, ...) is rejected whole, with every problem listed, as `sinorus.load` rejects
a package; rows that are merely out of scope (other country pairs, monthly figures, re-exports,
missing values, ...) are skipped and counted by reason, never an error.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from sinorus.load import FLOW_OF, VALUATION_OF, Problem

#: Largest file accepted, matching `.streamlit/config.toml` server.maxUploadSize = 50 (Streamlit
#: counts megabytes of 1024 * 1024 bytes).
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024

#: Columns of the trade_flows table, in its schema's order.
COLUMNS = [
    "id",
    "year",
    "reporter",
    "reported_flow",
    "flow",
    "valuation",
    "classification",
    "commodity_code",
    "commodity",
    "value_usd",
    "qualifier",
    "source_id",
    "quote",
    "note",
]
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
FORMATS = {
    "comtrade_plus_csv": "UN Comtrade+ CSV (API v1 layout)",
    "comtrade_plus_json": 'UN Comtrade+ JSON (API v1, {"data": [...]})',
    "comtrade_legacy_csv": "legacy UN Comtrade CSV",
    "observations_csv": "sinorus observation table (CSV)",
}
COUNTRIES = {"156": "CHN", "643": "RUS", "CHN": "CHN", "RUS": "RUS"}
YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass
class ImportResult:
    """One file read: its rows (empty if rejected), its source row, and what happened.

    `problems` non-empty means the file is rejected whole: `rows` is then empty. `skipped` counts
    rows left out by reason (not errors). `notes` are remarks on the file as a whole.
    """

    file: str
    format: str | None = None
    checksum: str = ""
    size: int = 0
    source: dict | None = None
    rows: pd.DataFrame = field(default_factory=lambda: empty_rows())
    read: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def kept(self) -> int:
        return len(self.rows)

    @property
    def source_id(self) -> str | None:
        return self.source["id"] if self.source else None

    @property
    def label(self) -> str:
        """The series name the rows are shown under: 'uploaded: <file name>'."""
        return f"uploaded: {self.file}"

    def summary(self, max_problems: int = 50) -> list[str]:
        """Lines saying what was read, kept, skipped and why, and every problem (up to a cap)."""
        kind = FORMATS.get(self.format or "", "unrecognised format")
        lines = [f"{self.file}: {kind}, {self.read} data row(s) read"]
        if self.problems:
            lines.append(
                f"  rejected: {len(self.problems)} problem(s); nothing from this file is used"
            )
        else:
            lines.append(f"  kept {self.kept} row(s) as source '{self.source_id}'")
        for reason, count in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  skipped {count}: {reason}")
        lines.extend(f"  note: {n}" for n in self.notes)
        for problem in self.problems[:max_problems]:
            lines.append(f"  {problem}")
        if len(self.problems) > max_problems:
            lines.append(f"  … and {len(self.problems) - max_problems} more problem(s)")
        return lines


def empty_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c == "value_usd" else str) for c in COLUMNS}
    )


def slug(text: str, limit: int = 40) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
    return out or "file"


def checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def source_row(file: str, fmt: str, digest: str, today: date) -> dict:
    """The sources row for an imported file (kind dataset; path = the file's name)."""
    stem = file.rsplit(".", 1)[0]
    sid = f"import-{slug(stem)}-{digest.removeprefix('sha256:')[:8]}"
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
        "id": sid,
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


# --- cells ------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def text(value) -> str:
    """A cell as text: None -> '', bools as true/false, integral floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def number(raw: str) -> float | None:
    """'1234.5', '1.2E+10', '1,234,567' -> float; '' -> None; raises ValueError if not a number."""
    if raw == "":
        return None
    cleaned = raw.replace(",", "") if _THOUSANDS.match(raw) else raw
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def whole(raw: str) -> int:
    """'2021', '2021.0' -> 2021; raises ValueError otherwise."""
    value = float(raw)
    if not value.is_integer():
        raise ValueError(raw)
    return int(value)


def boolean(raw: str) -> bool | None:
    low = raw.lower()
    if low == "":
        return None
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(raw)


def country(code: str, iso: str) -> str | None:
    """CHN / RUS from a numeric code (156 / 643) or ISO code; None for any other country."""
    for key in (iso.upper(), code):
        if key in COUNTRIES:
            return COUNTRIES[key]
    return None


def country_label(code: str, iso: str, desc: str) -> str:
    return iso.upper() or desc or code or "?"


def flow_row(
    *,
    rid: str,
    year: int,
    reporter: str,
    reported_flow: str,
    classification: str,
    commodity_code: str,
    commodity: str,
    value_usd: float,
    source_id: str,
    quote: str,
    note: str = "",
) -> dict:
    """One trade_flows row from a reporter's M/X figure: direction and valuation follow."""
    return {
        "id": rid,
        "year": year,
        "reporter": reporter,
        "reported_flow": reported_flow,
        "flow": FLOW_OF[(reporter, reported_flow)],
        "valuation": VALUATION_OF[reported_flow],
        "classification": classification,
        "commodity_code": commodity_code,
        "commodity": commodity,
        "value_usd": value_usd,
        "qualifier": "exact",
        "source_id": source_id,
        "quote": quote,
        "note": note,
    }


def frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return empty_rows()
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["year"] = out["year"].astype("Int64")
    out["value_usd"] = out["value_usd"].astype("float64")
    for column in COLUMNS:
        if column not in ("year", "value_usd"):
            out[column] = out[column].fillna("").astype(str)
    return out
