"""The page in a real browser: charts draw, the URL holds the range, downloads hold the rows."""

import io

import pandas as pd
import pytest

from tests.browser import IDLE, download_button, streamlit_server

pytestmark = pytest.mark.browser
THUMBS = "[data-testid='stSlider'] input[type='range']"
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)


def test_range_from_url_charts_and_csv_download(page, server):
    open_page(page, server + "/?from=1995&to=2006")
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1  # only the chosen section
    thumbs = page.locator(THUMBS)
    assert [thumbs.nth(i).get_attribute("value") for i in range(2)] == ["1995", "2006"]
    with page.expect_download() as info:
        download_button(page, "CSV").first.click()
    download = info.value
    assert download.suggested_filename == "sinorus-trade-total-1995-2006.csv"
    rows = pd.read_csv(io.BytesIO(open(download.path(), "rb").read()))
    rows = rows[rows["layer"] == "documents"]  # the record, reports and events are rows too
    assert rows.year.tolist() == [1997, 2006]
    assert rows.trade_usd_bn.tolist() == [7.0, 33.4]
    assert rows.qualifier.tolist() == ["about", "exact"]
    assert rows.quote.str.len().min() > 40


def test_keyboard_moves_range_and_url(page, server):
    open_page(page, server)
    thumb = page.locator(THUMBS).first
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("location.search.includes('from=1995')", timeout=30_000)
    page.wait_for_selector(IDLE)
    assert "to=2007" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Documents, c. 2007" in page.locator("[data-testid='stMetric']").first.inner_text()
    growth = page.locator("[data-testid='stCaptionContainer']").filter(has_text="Growth: ")
    assert "documents ≈ ×5.7, 1997–c. 2007" in growth.first.inner_text()


def test_bad_url_gives_notice_not_exception(page, server):
    open_page(page, server + "/?from=%3Cscript%3Ealert(1)%3C/script%3E&to=99999999999")
    assert page.locator("[data-testid='stException']").count() == 0
    alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
    assert any("is not a year" in a for a in alerts)
    assert page.locator("script:text('alert(1)')").count() == 0


def test_phone_width_has_no_horizontal_scroll(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    open_page(page, server)
    overflow = page.evaluate(
        "(() => { const m = document.querySelector(\"[data-testid='stMain']\");"
        " return m.scrollWidth - m.clientWidth; })()"
    )
    assert overflow <= 1
    width = page.evaluate("document.querySelector('.js-plotly-plot').getBoundingClientRect().width")
    assert 300 <= width <= 390
    context.close()


def test_sections_draw_their_charts_and_keep_the_range(page, server):
    open_page(page, server + "/?from=1995&to=2006")
    page.locator("[data-testid='stButtonGroup'] button", has_text="Composition").click()
    page.wait_for_function("location.search.includes('view=composition')", timeout=30_000)
    page.wait_for_selector(IDLE)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000
    )
    assert "from=1995" in page.url and "to=2006" in page.url
    assert page.locator("[data-testid='stException']").count() == 0


def test_hostile_data_never_runs(browser, tmp_path):
    from tests.hostile import make_hostile_package

    pkg = make_hostile_package(tmp_path / "hostile")
    with streamlit_server(env={"SINORUS_DATA": str(pkg)}) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        for view in ("trade", "composition", "sources"):
            if view == "sources":  # no charts there
                page.goto(f"{url}/?view={view}")
                page.wait_for_selector(IDLE, timeout=60_000)
            else:
                open_page(page, f"{url}/?view={view}")
            if view == "sources":
                for expander in page.locator("[data-testid='stExpander'] summary").all():
                    expander.click()
                page.wait_for_timeout(500)
            assert page.evaluate("window.__pwned") is None
            assert page.locator("img[src='x']").count() == 0
            assert page.locator("a[href^='http://evil']").count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
        assert "window.__pwned" in page.locator("[data-testid='stMain']").inner_text()
        context.close()


#: The first chart's traces by name, each with its points' centres (page coordinates).
TRACE_POINTS = """(() => {
  const gd = document.querySelector('.js-plotly-plot');
  return Object.fromEntries(gd._fullData.map((t) => [t.name,
    [...gd.querySelectorAll(`.scatterlayer .trace${t.uid} .point`)]
      .map((e) => e.getBoundingClientRect())
      .map((r) => [r.left + r.width / 2, r.top + r.height / 2])]));
})()"""


def test_later_reports_marks_and_their_hover(page, server):
    from sinorus.charts import REPORTS_LEGEND

    open_page(page, server)
    traces = page.evaluate(TRACE_POINTS)
    layer = traces[REPORTS_LEGEND]
    assert len(layer) == 21  # the reports for 1993–2007, the default view
    legend = page.locator(".js-plotly-plot .legend .legendtext").all_text_contents()
    sources = [n for n in legend if "East Asian" in n or "Voice of America" in n]
    assert len(sources) == 2 and legend.index(REPORTS_LEGEND) > max(map(legend.index, sources))
    x, y = min(layer, key=lambda p: p[1])  # the highest: a 2007 full-year figure, US$48.2 bn
    page.mouse.move(x, y)
    hover = page.locator(".js-plotly-plot .hoverlayer .hovertext")
    hover.first.wait_for(timeout=10_000)
    text = " ".join(hover.first.locator("tspan").all_text_contents()) or hover.first.text_content()
    assert "in 2007" in text and "later report" in text
    assert "as reported:" in text and "measured by:" in text
    assert any(p in text for p in ("PortNews", "la Repubblica", "Russia Briefing"))
    assert "http" in text and "restated in our words" in text

    page.get_by_text("Later reports", exact=True).click()  # the switch: off
    page.wait_for_function("location.search.includes('reports=off')", timeout=30_000)
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(500)
    assert REPORTS_LEGEND not in page.evaluate(TRACE_POINTS)
    assert page.locator("[data-testid='stException']").count() == 0


def test_an_address_streamlit_drops_gets_a_notice(page, server):
    """Streamlit ignores a query string of more than 1,000 parameters without a word: the page
    says so instead of silently showing the default view."""
    params = "&".join(f"p{i}=x" for i in range(1000)) + "&from=1995&to=2006"
    open_page(page, server + "/?" + params)
    frame = page.frame_locator("iframe[title='st.iframe']")
    notice = frame.locator("[role='alert']")
    notice.wait_for(timeout=30_000)
    assert "1,002 parameter(s)" in notice.inner_text() and "none of them were used" in notice.inner_text()  # fmt: skip
    thumbs = page.locator(THUMBS)
    assert [thumbs.nth(i).get_attribute("value") for i in range(2)] == ["1992", "2007"]
    box = page.locator("iframe[title='st.iframe']").bounding_box()
    assert box and box["height"] > 20  # the notice takes room: it covers nothing


def test_an_ordinary_address_gets_no_such_notice(page, server):
    open_page(page, server + "/")
    page.wait_for_timeout(1500)
    frames = page.locator("iframe[title='st.iframe']")
    assert all((frames.nth(i).bounding_box() or {"height": 0})["height"] == 0 for i in range(frames.count()))  # fmt: skip


#: Each drawn trace of the page's (first) chart: its name, axis, hover and values, as Plotly
#: holds them in the graph div (typed arrays read out as plain lists).
MARKS_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  return gd._fullData.map(t => ({
    name: t.name, yaxis: t.yaxis, hoverinfo: t.hoverinfo, visible: t.visible,
    y: Array.from(t.y || []), n: (t.x || []).length,
  }));
}"""


@pytest.mark.parametrize("years", [(1992, 2024), (2008, 2024)], ids=lambda y: f"{y[0]}-{y[1]}")
def test_trade_csv_holds_every_drawn_mark(page, server, years):
    import html

    lo, hi = years
    open_page(page, server + f"/?from={lo}&to={hi}")
    assert page.locator("[data-testid='stException']").count() == 0
    traces = [t for t in page.evaluate(MARKS_JS) if t["hoverinfo"] != "skip" and t["n"]]
    with page.expect_download() as info:
        download_button(page, "CSV").first.click()
    download = info.value
    assert download.suggested_filename == f"sinorus-trade-total-{lo}-{hi}.csv"
    rows = pd.read_csv(io.BytesIO(open(download.path(), "rb").read()))
    assert traces and len(rows) == sum(t["n"] for t in traces)  # no row undrawn, no mark unlisted
    for trace in traces:
        mine = rows[rows["series"] == html.unescape(trace["name"])]
        assert len(mine) == trace["n"], trace["name"]
        if trace["yaxis"] == "y2":  # the events strip: a row per diamond
            assert (mine["layer"] == "events").all()
            continue
        assert sorted(round(v, 6) for v in trace["y"]) == sorted(mine["trade_usd_bn"].round(6))
    if lo >= 2008:  # no document figure: the record and the later reports are what is drawn
        assert set(rows["layer"]) == {"official", "reports"}
