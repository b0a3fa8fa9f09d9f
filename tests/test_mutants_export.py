"""Tests that kill mutants `make mutate` found alive in sinorus/export.py (docs/mutation.md):
the JSON download's exact shape (keys, UTF-8 text unescaped, two-space indent, ISO dates)."""

import io
import json

import openpyxl
import pandas as pd

from sinorus import export

SOURCES = pd.DataFrame(
    [{"id": "s1", "title": "Торговля", "authors": "A", "publisher": "P", "published": "2007",
      "license": "CC BY 4.0", "url": "", "citation": "A (2007) Торговля"}]
)  # fmt: skip


def test_json_download_is_readable_utf8_with_a_two_space_indent():
    frame = pd.DataFrame({"source_id": ["s1"], "value": [1.5], "note": ["China–Russia"]})
    raw = export.to_json(frame, SOURCES, "Trade — 中俄", (1995, 2006))
    text = raw.decode("utf-8")
    # Non-ASCII text is written as itself, not as \\u escapes.
    assert "Trade — 中俄" in text and "China–Russia" in text and "\\u" not in text
    assert text.startswith('{\n  "title": "Trade — 中俄",\n  "year_range": [\n    1995,\n')
    doc = json.loads(raw)
    assert list(doc) == ["title", "year_range", "cite_as", "sources", "data"]
    assert doc["title"] == "Trade — 中俄" and doc["year_range"] == [1995, 2006]
    assert doc["sources"][0]["title"] == "Торговля"
    assert doc["data"] == [{"source_id": "s1", "value": 1.5, "note": "China–Russia"}]


def test_json_download_writes_dates_as_iso_text():
    frame = pd.DataFrame({"imported": pd.to_datetime(["2026-01-02"]), "value": [1.0]})
    doc = json.loads(export.to_json(frame, SOURCES, "t", (2026, 2026)))
    assert doc["data"] == [{"imported": "2026-01-02T00:00:00.000", "value": 1.0}]


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_xlsx_sheets_hold_the_rows_without_an_index_column():
    frame = pd.DataFrame({"source_id": ["s1", "s1"], "value": pd.array([3, None], dtype="Int64")})
    sheets = _sheets(export.render("xlsx", frame, SOURCES, "Trade — 中俄", (1995, 2006)))
    assert list(sheets) == ["data", "sources", "about"]
    assert sheets["data"] == [("source_id", "value"), ("s1", 3), ("s1", None)]
    assert sheets["sources"] == [
        tuple(export.SOURCE_COLUMNS),
        ("s1", "Торговля", "A", "P", "2007", "CC BY 4.0", None, "A (2007) Торговля"),
    ]
    assert sheets["about"] == [
        ("field", "value"), ("title", "Trade — 中俄"), ("cite as", export.DASHBOARD_CITATION), ("rows", 2)
    ]  # fmt: skip


def test_render_passes_the_title_on():
    frame = pd.DataFrame({"value": [1.0]})
    assert (
        json.loads(export.render("json", frame, SOURCES, "My title", (1, 2)))["title"] == "My title"
    )
    assert _sheets(export.render("xlsx", frame, SOURCES, "My title", (1, 2)))["about"][1] == ("title", "My title")  # fmt: skip
