"""Every section in a real browser at 1280 and 390 px: axe-core finds no serious or critical
WCAG 2.1 AA violation; log ticks read as whole values; legends never sit on tick labels or
titles; no mode bar; the first chart starts within a phone's first screen; PNG/SVG downloads."""

import struct

import pytest

from tests.browser import IDLE, download_button, picture_button

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

SECTIONS = ("trade", "composition", "data", "claims", "sources", "yours")
CHARTS = {"trade": 1, "composition": 4, "claims": 1}
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_view(browser, url, view, size, query=""):
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{url}/?view={view}{query}")
    page.wait_for_selector(IDLE, timeout=60_000)
    charts = CHARTS.get(view, 0)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
            timeout=60_000,
        )
        page.wait_for_timeout(300)  # plotly's automargin redraw
    settled(page)
    return context, page


def settled(page):
    """Wait until no CSS transition runs: on a phone the sidebar slides shut after load, and
    axe must not judge it mid-slide (scrollable, its uploader not yet hidden)."""
    page.wait_for_function(
        "document.getAnimations().filter(a => a.playState === 'running').length === 0",
        timeout=10_000,
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", SECTIONS)
def test_no_serious_or_critical_axe_violation(browser, server, view, width):
    context, page = open_view(browser, server, view, WIDTHS[width])
    for summary in page.locator("[data-testid='stExpander'] summary").all()[:2]:
        summary.click()  # the first tables too
    page.wait_for_selector(IDLE)
    settled(page)
    result = axe_playwright.Axe().run(page, options={"runOnly": AXE_TAGS})
    bad = [
        (v["id"], v["impact"], [(n["target"], n["html"][:200]) for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert bad == []


#: Each scatter trace of the first chart: its name and its points' boxes [left, top, right].
TRACE_POINTS = """(() => {
  const gd = document.querySelector('.js-plotly-plot');
  return gd._fullData.map((t) => ({
    name: t.name,
    points: [...gd.querySelectorAll(`.scatterlayer .trace${t.uid} .point`)]
      .map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.top, r.right]),
  }));
})()"""


BOXES = """(plot) => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const all = (sel) => [...plot.querySelectorAll(sel)].filter(
    (e) => e.getBoundingClientRect().width > 0).map(box);
  return {
    legend: all('.legend .bg'),
    ticks: all('.xtick text, .ytick text, .xtitle, .ytitle, .g-xtitle text, .g-ytitle text'),
    titles: all('.gtitle, .g-gtitle text'),
    modebar: plot.querySelectorAll('.modebar-btn').length,
  };
}"""


def overlap(a, b):
    return not (
        a["x"] + a["w"] <= b["x"]
        or b["x"] + b["w"] <= a["x"]
        or a["y"] + a["h"] <= b["y"]
        or b["y"] + b["h"] <= a["y"]
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", ["trade", "composition", "claims"])
def test_legends_never_cover_ticks_or_titles_and_no_mode_bar(browser, server, view, width):
    context, page = open_view(browser, server, view, WIDTHS[width])
    plots = page.locator(".js-plotly-plot").all()
    assert len(plots) == CHARTS[view]
    ticks = 0
    for plot in plots:
        boxes = plot.evaluate(BOXES)
        assert boxes["modebar"] == 0  # no toolbar over titles, no extra tab stops
        ticks += len(boxes["ticks"])
        for legend in boxes["legend"]:
            for other in boxes["ticks"] + boxes["titles"]:
                assert not overlap(legend, other), (legend, other)
    assert ticks, "tick labels drawn and measured"
    # the chart's name is HTML above the plot, never drawn over by it
    headings = page.locator("[data-testid='stMain'] h2").all()
    first_plot = plots[0].bounding_box()
    assert any(
        h.bounding_box()["y"] + h.bounding_box()["height"] <= first_plot["y"] for h in headings
    )
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_log_axis_ticks_read_as_whole_values(browser, server, width):
    context, page = open_view(browser, server, "trade", WIDTHS[width], "&scale=log")
    ticks = page.locator(".js-plotly-plot .yaxislayer-above .ytick text").all_text_contents()
    context.close()
    assert ticks == [
        "2",
        "5",
        "10",
        "20",
        "50",
    ]  # not "5 6 7 8 9 10 2 3 4" (the record: 3.8 in 1994)


def test_first_chart_within_a_phone_screen_and_charts_have_names(browser, server):
    context, page = open_view(browser, server, "trade", WIDTHS["phone"])
    top = page.locator("[data-testid='stPlotlyChart']").first.bounding_box()["y"]
    assert top < 844
    # the two 2007 readings (the highest of the documents' marks) stay apart and inside the plot
    marks = [
        box
        for trace in page.evaluate(TRACE_POINTS)
        if trace["name"]
        in (
            "East Asian Institute, 8 Aug 2007",
            "Voice of America (VOA News), Aug 2007",
        )  # fmt: skip
        for box in trace["points"]
    ]
    assert len(marks) == 5
    plot_right = page.locator(".js-plotly-plot .main-svg").first.bounding_box()
    highest = sorted(marks, key=lambda m: m[1])[:2]
    assert abs(highest[0][0] - highest[1][0]) >= 12
    assert max(m[2] for m in highest) <= plot_right["x"] + plot_right["width"]
    # the chart's accessible name: its title and the generated sentence
    name = page.locator(
        "[data-testid='stPlotlyChart'] [aria-label], [data-testid='stPlotlyChart'][aria-label]"
    )
    label = name.first.get_attribute("aria-label")
    assert label.startswith("China–Russia trade, US$ billion. China–Russia trade rose from US$6 bn")
    context.close()


def test_picture_downloads(browser, server):
    context, page = open_view(browser, server, "trade", WIDTHS["desktop"], "&from=1995&to=2006")
    picture_button(page, "SVG").first.click()  # drawn on the server, then offered
    with page.expect_download(timeout=150_000) as info:
        download_button(page, "SVG").first.click(timeout=150_000)
    assert info.value.suggested_filename == "sinorus-trade-total-1995-2006.svg"
    svg = open(info.value.path(), encoding="utf-8").read()
    assert svg.lstrip().startswith("<svg")
    assert "Source: 2 documents (VOA, EAI, 2007); IMF DOTS; " in svg  # every source drawn
    assert "China–Russia trade, US$ billion" in svg and "from=1995&amp;to=2006" in svg
    picture_button(page, "PNG").first.click()
    with page.expect_download(timeout=150_000) as info:
        download_button(page, "PNG").first.click(timeout=150_000)
    assert info.value.suggested_filename == "sinorus-trade-total-1995-2006.png"
    png = open(info.value.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 2000 and height > 800
    context.close()
