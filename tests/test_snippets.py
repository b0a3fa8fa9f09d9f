"""Snippets and citations (issue 8): the code loads exactly the chart's rows; citations parse."""

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime

import pandas as pd
import pytest

from sinorus import export, publish, snippets, transform
from sinorus.views import VIEWS
from tests.browser import streamlit_server

PUBLISHED = [slug for slug, v in VIEWS.items() if v.published]  # the package's own views

RANGES = [(1995, 2006), (2006, 2007), (1992, 2007), (2000, 2001)]


def download_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart's CSV download, read as a user reads it."""
    return pd.read_csv(io.BytesIO(export.to_csv(frame)))


def run_pandas(code: str) -> pd.DataFrame:
    scope: dict = {}
    exec(compile(code, "<snippet>", "exec"), scope)
    return scope["df"]


def assert_same_rows(got: pd.DataFrame, frame: pd.DataFrame) -> None:
    want = download_rows(frame)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    got = got.reset_index(drop=True)
    for column in want.columns:  # cell by cell: the same text, whatever dtype pandas guessed
        a, b = got[column], want[column]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            assert a.astype(float).tolist() == pytest.approx(
                b.astype(float).tolist(), nan_ok=True
            ), column
        else:  # a column of years and words ('2006', 'May 2007') reads as numbers in a slice
            assert texts(a) == texts(b), column


def texts(column: pd.Series) -> list[str]:
    """Cells as text, a number read from a CSV written as it was ('2006', not '2006.0')."""
    if pd.api.types.is_numeric_dtype(column):
        return ["" if pd.isna(v) else f"{v:g}" for v in column]
    return column.astype(object).fillna("").astype(str).tolist()


@pytest.fixture(scope="module")
def local_base(ds, tmp_path_factory):
    """The published files under file://…/app/static/sinorus, as a server would lay them out."""
    root = tmp_path_factory.mktemp("site")
    publish.publish(ds, root / "app" / "static" / "sinorus")
    return root.as_uri()


@pytest.mark.parametrize("year_range", RANGES)
@pytest.mark.parametrize("slug", PUBLISHED)
def test_pandas_snippet_returns_the_charts_rows(ds, local_base, slug, year_range):
    code = snippets.code_snippets(slug, year_range, local_base)["pandas"]
    assert_same_rows(run_pandas(code), VIEWS[slug].frame(ds, year_range))


def test_columns_are_selected(ds, local_base):
    code = snippets.code_snippets("trade-total", (1995, 2006), local_base, ["id", "year"])
    df = run_pandas(code["pandas"])
    # the chart's rows: 2 document figures, 24 of the official record, later reports, events
    assert list(df.columns) == ["id", "year"]
    assert len(df) == len(VIEWS["trade-total"].frame(ds, (1995, 2006))) == 45
    assert 'df <- df[, c("id", "year")]' in code["r"]


@pytest.mark.parametrize("slug", PUBLISHED)
def test_r_snippet_reads_the_url_and_applies_the_years(slug):
    code = snippets.code_snippets(slug, (1995, 2006), "http://example.org:8501/")["r"]
    kind = VIEWS[slug].year_filter
    if kind == "computed":
        assert 'base <- "http://example.org:8501/app/static/sinorus"' in code
        assert "subset(obs, year >= 1995 & year <= 2006)" in code
        assert "aggregate(id ~ source_id + indicator" in code
    else:
        assert f'url <- "http://example.org:8501/app/static/sinorus/charts/{slug}.csv"' in code
        assert 'df <- read.csv(url, encoding = "UTF-8")' in code
        expected = {
            "year": "df <- subset(df, year >= 1995 & year <= 2006)",
            "period": "df <- subset(df, from_year >= 1995 & to_year <= 2006)",
            "date": 'df <- subset(df, date >= "1995-01-01" & date <= "2006-12-31")',
            "none": None,
        }[kind]
        assert (expected in code) if expected else "subset(" not in code
    assert code.count("(") == code.count(")") and code.count('"') % 2 == 0


def test_snippets_quote_hostile_urls():
    code = snippets.code_snippets("trade-total", (1995, 2006), "http://x/'$(rm -rf ~)\"")
    assert "'\"'\"'" in code["curl"]  # shlex-quoted: the shell sees one literal argument
    compile(code["pandas"], "<snippet>", "exec")  # still valid Python, the quote escaped


def test_base_url_from_page():
    assert snippets.base_url_from_page("http://localhost:8501/?from=1995&to=2006") == (
        "http://localhost:8501"
    )
    assert snippets.base_url_from_page("https://host.example/sinorus/#x") == (
        "https://host.example/sinorus"
    )
    assert snippets.static_base("https://host.example/sinorus") == (
        "https://host.example/sinorus/app/static/sinorus"
    )


# --- citations ----------------------------------------------------------------------------------


def balanced(text: str) -> bool:
    depth = 0
    for match in re.finditer(r"(?<!\\)[{}]", text):
        depth += 1 if match.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def test_citations_plain_and_bibtex(ds):
    cites = snippets.citations(
        ds.sources, "0.1.0", "https://sinorus.example", accessed=datetime(2025, 3, 4, tzinfo=UTC)
    )
    dash = cites["dashboard"]
    assert "version 0.1.0" in dash["text"] and "https://sinorus.example" in dash["text"]
    assert "Accessed 2025-03-04" in dash["text"]
    assert dash["bibtex"].startswith("@misc{sinorus,")
    assert set(cites["sources"]) == set(ds.sources["id"])
    for row in ds.sources.itertuples():
        assert cites["sources"][row.id]["text"] == row.citation
        assert row.citation in cites["text"]
    assert cites["sources"]["eai-bb346"]["bibtex"].startswith("@techreport{eai-bb346,")
    assert "number = {346}" in cites["sources"]["eai-bb346"]["bibtex"]
    assert "type = {EAI Background Brief}" in cites["sources"]["eai-bb346"]["bibtex"]
    assert "author = {{Lai Hongyi} and {Lim Tin Seng}}" in cites["sources"]["eai-bb346"]["bibtex"]
    assert cites["sources"]["voa-2007-08"]["bibtex"].startswith("@misc{voa-2007-08,")
    assert "month = aug" in cites["sources"]["voa-2007-08"]["bibtex"]
    wb = cites["sources"]["worldbank-gdp"]["bibtex"]
    assert r"GDP (current US\$)" in wb and "url = {https://data.worldbank.org/" in wb
    entries = cites["bibtex"].strip().split("\n\n")
    assert len(entries) == 1 + len(ds.sources)
    assert all(balanced(e) and e.endswith("}") for e in entries)


def test_bibtex_escape():
    assert snippets.bibtex_escape("a{b}_%&#$~^\\") == (
        r"a\{b\}\_\%\&\#\$\textasciitilde{}\textasciicircum{}\textbackslash{}"
    )
    row = pd.DataFrame(
        [
            {
                "id": "x",
                "kind": "document",
                "title": "Braces {and} 100% & more",
                "authors": "A. Person; {Odd} Name",
                "publisher": "P & Q",
                "published": "2001",
                "license": "CC BY 4.0",
                "url": "",
                "citation": "c",
            }
        ]
    )
    entry = snippets.citations(row, "1")["sources"]["x"]["bibtex"]
    assert balanced(entry) and r"Braces \{and\} 100\% \& more" in entry


# --- against a live server -------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(ds):
    publish.publish(ds)  # static/sinorus beside app.py, as `make run` does
    with streamlit_server() as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("slug", PUBLISHED)
def test_live_pandas_snippet_returns_the_downloads_rows(ds, server, slug):
    year_range = (1995, 2006)
    code = snippets.code_snippets(slug, year_range, server)["pandas"]
    assert f"{server}/app/static/sinorus" in code
    assert_same_rows(run_pandas(code), VIEWS[slug].frame(ds, year_range))


@pytest.mark.browser
@pytest.mark.parametrize("slug", ["trade-total", "observations"])
def test_live_curl_line_fetches_the_charts_file(ds, server, slug, tmp_path):
    if shutil.which("curl") is None:
        pytest.skip("curl not installed (apt-get install curl)")
    line = snippets.code_snippets(slug, (1995, 2006), server)["curl"].splitlines()[-1]
    assert line.startswith("curl ")
    result = subprocess.run(line, shell=True, cwd=tmp_path, capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
    got = (tmp_path / f"{slug}.csv").read_bytes()
    assert got == export.to_csv(VIEWS[slug].frame(ds, transform.year_span(ds)))
    # filtered to the range as the comment says, it is the chart's download
    assert_same_rows(
        pd.read_csv(io.BytesIO(got)).query("1995 <= year <= 2006"),
        VIEWS[slug].frame(ds, (1995, 2006)),
    )
