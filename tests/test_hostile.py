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


@pytest.mark.parametrize(
    "text",
    [
        "<script>x</script>",
        "[a](http://e)",
        "![i](http://e/i.png)",
        "$x^2$",
        "**bold**",
        ":red[x]",
        "# head",
        "a\\b",
    ],
)
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
