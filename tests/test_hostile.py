"""Markup in the data shows as text: never HTML, never a Markdown link or image, never LaTeX."""

import pytest
from streamlit.testing.v1 import AppTest

from sinorus import charts, transform
from sinorus.load import load
from sinorus.markup import md
from tests.conftest import ROOT
from tests.hostile import (
    BARE,
    HOSTILE_SENTENCE,
    IMAGE,
    IMG,
    LATEX,
    LINK,
    SCRIPT,
    make_hostile_package,
)


@pytest.fixture
def hostile(tmp_path):
    return make_hostile_package(tmp_path / "hostile")


def test_hostile_package_is_valid(hostile):
    ds = load(hostile)
    assert HOSTILE_SENTENCE in set(ds.observations.quote)


@pytest.mark.parametrize("text", [
    "<script>x</script>",
    "[a](http://e)",
    "![i](http://e/i.png)",
    "$x^2$",
    "**bold**",
    ":red[x]",
    "# head",
    "a\\b",
])  # fmt: skip
def test_md_escapes_every_markdown_trigger(text):
    escaped = md(text)
    for ch in "<[]()!$*#:\\":
        if ch in text:
            assert f"\\{ch}" in escaped


def test_app_shows_hostile_text_escaped(hostile, monkeypatch):
    monkeypatch.setenv("SINORUS_DATA", str(hostile))
    texts = []
    for view in ("trade", "composition", "data", "sources"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["view"] = view
        at.run()
        assert not at.exception
        texts += [m.value for m in at.markdown] + [h.value for h in at.subheader]
        texts += [c.value for c in at.caption] + [m.help or "" for m in at.metric]
    page = "\n".join(texts)
    for fragment in (SCRIPT, IMG, LINK, IMAGE, LATEX, BARE):
        assert fragment not in page  # never passed through raw
        assert md(fragment) in page  # but shown, escaped, as text
    # bare addresses cannot autolink: a word joiner sits where GitHub-flavoured Markdown would
    # start a link (after "http:", after "www", before "@")
    for raw in ("http://evil.example", "www.evil.example", "trade@evil.example"):
        assert raw not in page
    assert "http:\u2060//evil" in page.replace("\\", "")


def test_figures_escape_hostile_text(hostile):
    ds = load(hostile)
    full = transform.year_span(ds)
    figs = [
        charts.trade_timeseries(
            transform.trade_series(ds, full),
            transform.trade_by_year(ds, full),
            transform.events_in_range(ds, full),
            source_labels={"eai-bb346": ds.sources.set_index("id").loc["eai-bb346", "title"]},
        ),
        charts.growth_waterfall(
            transform.growth_periods(ds, full), transform.trade_by_year(ds, full)
        ),
        charts.source_bars(transform.source_contributions(ds, full)),
    ]
    for fig in figs:
        blob = fig.to_json()
        assert "<script" not in blob and "<img" not in blob
    assert "&lt;script&gt;" in figs[0].to_json()


def test_every_chart_table_shows_hostile_text_as_text(hostile, monkeypatch):
    """st.table renders each cell as Markdown: a hostile publisher (later reports, claims), a
    hostile quote as written (trade) and source title (trade, contributions) must show as text
    in every table a reader opens: no link, no image, no LaTeX, no HTML."""
    from markdown_it import MarkdownIt

    from sinorus import views
    from tests.hostile import rewrite

    publisher = f"Daily {LINK} {IMAGE} {LATEX} {IMG}"

    def report(row):
        if row["id"].startswith(("r01-", "r02-", "r20-")) or row["year"] in ("1993", "1995", "2006"):  # fmt: skip
            row["publisher"] = publisher
            row["note"] = f"note {LINK} $5 and $6"

    rewrite(hostile / "reports.csv", report)
    monkeypatch.setenv("SINORUS_DATA", str(hostile))
    cells = []
    for view in ("trade", "claims", "composition", "data"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["view"] = view
        for slug in views.VIEWS:
            at.session_state[f"table-{slug}"] = True
        at.run()
        assert not at.exception
        for table in at.table:
            frame = table.value
            cells += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    joined = "\n".join(cells)
    for fragment in (LINK, IMAGE, IMG, publisher):  # the hostile rows reached the tables...
        assert md(fragment) in joined, fragment
    assert md(f"{SCRIPT} US$6 billion {LINK}") in joined  # the quote's figure as written
    renderer = MarkdownIt("gfm-like")
    for cell in cells:  # ... and every cell renders as text
        html = renderer.renderInline(cell)
        assert "<a " not in html and "<img" not in html and "<script" not in html, cell
        assert "$" not in cell.replace("\\$", ""), cell  # a bare $ would start LaTeX
