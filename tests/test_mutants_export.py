"""Tests that kill mutants `make mutate` found alive in sinorus/export.py (docs/mutation.md):
the JSON download's exact shape (keys, UTF-8 text unescaped, two-space indent, ISO dates)."""

import json

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
