"""Downloads hold exactly the chart's rows, with sources, and cannot run as spreadsheet formulas."""

import io
import json

import openpyxl
import pandas as pd
import pytest

from sinorus import export, transform

FULL = (1992, 2007)
FRAMES = {
    "trade": lambda ds: transform.trade_series(ds, FULL),
    "growth": lambda ds: transform.growth_periods(ds, FULL),
    "share": lambda ds: transform.share_of_china_trade(ds, FULL),
    "gdp": lambda ds: transform.trade_to_gdp(ds, FULL),
    "sources": lambda ds: transform.source_contributions(ds, FULL),
    "observations": lambda ds: transform.observations_view(ds, FULL),
}


def read_back(fmt, data):
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    if fmt == "json":
        return pd.DataFrame(json.loads(data)["data"])
    return pd.read_excel(io.BytesIO(data), sheet_name="data")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("name", FRAMES)
def test_download_round_trips_chart_frame(ds, name, fmt):
    frame = FRAMES[name](ds)
    back = read_back(fmt, export.render(fmt, frame, ds.sources, name, FULL))
    assert list(back.columns) == list(frame.columns)
    assert len(back) == len(frame) > 0
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            assert back[column].astype(float).tolist() == pytest.approx(
                frame[column].astype(float).tolist(), nan_ok=True
            )
        elif frame[column].dtype == object and fmt != "xlsx":
            assert (
                back[column].fillna("").astype(str).tolist()
                == frame[column].fillna("").astype(str).tolist()
            )


def test_xlsx_has_sources_and_about(ds):
    frame = transform.trade_series(ds, FULL)
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame, ds.sources, "Trade")))
    assert book.sheetnames == ["data", "sources", "about"]
    ids = {row[0] for row in book["sources"].iter_rows(min_row=2, values_only=True)}
    assert ids == {"eai-bb346", "voa-2007-08"}
    assert any(
        "CC BY 4.0" in str(c) for row in book["about"].iter_rows(values_only=True) for c in row
    )


def test_json_carries_citation(ds):
    doc = json.loads(
        export.to_json(transform.trade_series(ds, (1995, 2006)), ds.sources, "Trade", (1995, 2006))
    )
    assert doc["year_range"] == [1995, 2006]
    assert "sinorus" in doc["cite_as"]
    assert {s["id"] for s in doc["sources"]} == {"eai-bb346", "voa-2007-08"}
    assert all(r["quote"] for r in doc["data"])


def test_filename():
    assert (
        export.filename("trade-total", (1992, 2007), "csv") == "sinorus-trade-total-1992-2007.csv"
    )


HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_injection_neutralised(ds, fmt):
    frame = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(HOSTILE))],
            "quote": HOSTILE,
            "value": [-1.5, 2, 3, 4, 5, 6],
        }
    )
    data = export.render(fmt, frame, ds.sources, "hostile", FULL)
    if fmt == "csv":
        back = pd.read_csv(io.BytesIO(data))
        quotes = back.quote.tolist()
        assert back.value.tolist() == [-1.5, 2, 3, 4, 5, 6]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data))["data"]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        quotes = [r[1] for r in rows]
        assert [r[2] for r in rows] == [-1.5, 2, 3, 4, 5, 6]
        assert all(isinstance(r[2], int | float) for r in rows)
    assert all(str(q).startswith("'") for q in quotes), quotes


def test_empty_frame_exports_headers(ds):
    frame = transform.trade_series(ds, (1993, 1996))
    back = pd.read_csv(io.BytesIO(export.to_csv(frame)))
    assert back.empty and list(back.columns) == list(frame.columns)


def test_unknown_format(ds):
    with pytest.raises(ValueError, match="unknown format"):
        export.render("pdf", transform.trade_series(ds, FULL), ds.sources, "x", FULL)


# --- a picture's source and licence lines: every source drawn, grouped, no ids -----------------


@pytest.mark.parametrize("slug, year_range, line", [
    ("trade-total", (1992, 2024), "2 documents (VOA, EAI, 2007); IMF DOTS; 53 later reports"),
    ("trade-total", (2008, 2024), "IMF DOTS; 38 later reports"),
    (
        "claims-and-records",
        (1992, 2007),
        "2 documents (VOA, EAI, 2007); IMF DOTS; 16 later reports",
    ),
    ("growth", (1992, 2007), "2 documents (VOA, EAI, 2007)"),
    ("trade-to-gdp", (1992, 2007), "2 documents (VOA, EAI, 2007); World Bank Open Data"),
])  # fmt: skip
def test_picture_names_every_source_drawn_grouped(ds, slug, year_range, line):
    from sinorus import views

    frame = views.view(slug).frame(ds, year_range)
    source, licence = export.provenance(frame, ds.sources)
    assert source == line
    ids = set(ds.sources["id"]) | set(ds.reports["id"]) | set(frame.get("report_id", []))
    assert not [i for i in ids if i and i in source + licence]  # readers' words only
    assert licence.endswith("curation CC BY 4.0")
    if "later reports" in line:
        assert "later reports: restated in our own words" in licence
        assert licence.count("restated") == 1  # one phrase for all of them, not one per report
    if "IMF DOTS" in line:
        assert "IMF DOTS: IMF data, free to reuse with attribution" in licence


@pytest.mark.parametrize("publisher, document, short", [
    ("Voice of America (VOA News), Moscow", True, "VOA"),
    ("East Asian Institute, National University of Singapore", True, "EAI"),
    ("IMF Direction of Trade Statistics (DOTS), as extracted in x", False, "IMF DOTS"),
    ("World Customs Organization (WCO), Brussels", False, "WCO"),
    ("World Bank Open Data", False, "World Bank Open Data"),
])  # fmt: skip
def test_short_names(publisher, document, short):
    assert export.short_name(publisher, document=document) == short


# --- The JSON and Excel downloads' exact shape ---------------------------------------------------


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
