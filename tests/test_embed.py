"""One chart alone (`?embed=CHART`) and the Share popover: the links and iframe code built from
the view's state (pure), the chart-only page in AppTest, and in a real browser inside an iframe
of another origin at 600×400 and 800×600."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from sinorus import share, views
from sinorus.markup import md
from tests.conftest import ROOT

APP = str(ROOT / "app.py")

# -- pure: which chart, which links --------------------------------------------------------------


@pytest.mark.parametrize(("query", "chart"), [
    ("embed=trade-total", "trade-total"),
    ("embed=true&embed=growth&from=1995", "growth"),  # Streamlit's own beside ours
    ("embed=growth&embed=true", "growth"),
    ("embed=true", None),  # Streamlit's own only: the full page
    ("embed=TRUE&embed_options=show_toolbar", None),
    ("from=1995&to=2000", None),
    ("", None),
    ("embed=nope", "nope"),  # asked for: the page says there is no such chart
])  # fmt: skip
def test_requested_chart(query, chart):
    assert share.requested_chart(query) == chart


def test_every_embeddable_chart_is_a_registered_view_with_a_figure_and_a_section():
    for slug, section in share.SECTION_OF.items():
        assert views.view(slug).draw is not None, slug
        assert section in ("trade", "composition", "claims", "yours")
    assert share.embeddable(["growth", "events", "trade-total"]) == ["trade-total", "growth"]


def test_chart_link_opens_the_charts_section_with_the_same_range_and_switches():
    params = {"from": "1995", "to": "2005", "scale": "log", "record": "off", "view": "data"}
    link = share.chart_link("https://example.org/sinorus/", params, "growth")
    assert link == (
        "https://example.org/sinorus/?from=1995&to=2005&scale=log&record=off&view=composition"
        "#growth"
    )
    # the trade chart's section is the first: the page leaves it out of its address
    assert share.chart_link("", {"view": "claims"}, "trade-total") == "/#trade-total"
    assert share.chart_link("", {}, "claims-and-records") == "/?view=claims#claims-and-records"
    assert share.chart_link("", {}, "nope") == "/"  # no such chart: the page, no anchor


def test_embed_src_and_iframe_code():
    params = {"from": "1995", "to": "2005", "events": "off", "view": "composition"}
    src = share.embed_src("https://example.org", params, "trade-total")
    assert src == "https://example.org/?embed=trade-total&from=1995&to=2005&events=off"
    code = share.iframe(src, "800 × 600", "China–Russia trade, US$ billion · sinorus")
    assert code == (
        '<iframe src="https://example.org/?embed=trade-total&amp;from=1995&amp;to=2005&amp;'
        'events=off" width="800" height="600" title="China–Russia trade, US$ billion · sinorus" '
        'loading="lazy" style="border:0"></iframe>'
    )
    assert 'width="100%" height="500"' in share.iframe(src, "100% × 500", "t")
    assert 'title="a &quot;b&quot; &lt;c&gt;"' in share.iframe(src, "600 × 400", 'a "b" <c>')


# -- AppTest: the chart-only page -----------------------------------------------------------------


def run(params, share_open: str | None = None):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if share_open:
        at.session_state[f"share-{share_open}"] = True
    return at.run()


def source_line(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Source: "))


@pytest.mark.parametrize(("chart", "title"), [
    ("trade-total", "China–Russia trade, US$ billion"),
    ("claims-and-records", "Claims against the record"),
    ("growth", "Growth between successive trade figures"),
    ("share-of-china-trade", "China–Russia trade as a share of China's total trade"),
])  # fmt: skip
def test_embed_shows_only_the_chart_with_its_title_sentence_source_and_link(chart, title):
    at = run({"embed": chart, "from": "1995", "to": "2007"})
    assert not at.exception and not at.error
    assert not at.slider and not at.metric and not at.toggle and not at.button
    assert not at.warning and not at.info  # no notice about the parameter or anything else
    assert len(at.sidebar.children) == 0  # no uploader
    headings = [m.value for m in at.markdown if m.value.startswith("#")]
    assert len(headings) == 1 and headings[0].startswith(f"# {md(title)}")
    sentence = at.markdown[1].value
    assert sentence.endswith(".") and len(sentence) < 300
    caption = source_line(at)
    assert caption.startswith("Source: ") and "2007" in caption
    assert "[Open in sinorus ↗](/?from=1995&to=2007" in caption
    section = share.SECTION_OF[chart]
    assert (f"view={section}" in caption) == (section != "trade")


def test_embed_takes_the_trade_charts_switches_from_the_address():
    at = run({"embed": "trade-total", "scale": "log", "record": "off", "events": "off"})
    assert not at.exception
    assert "(/?scale=log&record=off&events=off#trade-total)" in source_line(at)


def test_embed_with_streamlits_own_embed_true_beside_it():
    at = run({"embed": ["true", "growth"]})
    assert not at.exception and not at.slider
    assert at.markdown[0].value.startswith("# Growth between")


@pytest.mark.parametrize("chart", ["nope", "events", "<b>x</b>"])
def test_unknown_chart_says_so_in_the_frame(chart):
    at = run({"embed": chart})
    assert not at.exception and not at.slider and not at.metric
    assert len(at.error) == 1
    message = at.error[0].value
    assert "There is no chart" in message and "`trade-total`" in message
    assert "<b>" not in message  # escaped: shown as text


def test_full_page_with_streamlits_embed_true_is_the_whole_page_without_notices():
    at = run({"embed": "true"})
    assert not at.exception and at.slider and not at.warning


def test_share_popover_holds_the_link_and_the_iframe_code():
    at = run({"from": "1995", "to": "2005"}, share_open="trade-total")
    assert not at.exception
    codes = [c.value for c in at.code]
    assert "/?from=1995&to=2005#trade-total" in codes
    iframe = next(c for c in codes if c.startswith("<iframe"))
    assert 'src="/?embed=trade-total&amp;from=1995&amp;to=2005"' in iframe
    assert 'width="600" height="400"' in iframe and 'loading="lazy"' in iframe
    at.radio(key="share-size-trade-total").set_value("800 × 600").run()
    assert any('width="800" height="600"' in c.value for c in at.code)


def test_share_popover_of_a_composition_chart_links_to_its_section():
    at = run({"view": "composition"}, share_open="growth")
    assert not at.exception
    codes = [c.value for c in at.code]
    assert "/?view=composition#growth" in codes
    assert any('src="/?embed=growth"' in c for c in codes)


# -- in a real browser, inside a frame of another origin ------------------------------------------


@contextmanager
def other_origin(html_by_path: dict[str, str]):
    """A tiny HTTP server on `localhost` (the app is framed from 127.0.0.1: another origin)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = html_by_path.get(self.path.split("?")[0], "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def _app(server: str) -> str:
    """The app's address at 127.0.0.1 (the framing page is at localhost)."""
    parts = urlsplit(server)
    return f"http://127.0.0.1:{parts.port}"


PLOT = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  return gd.data.filter(t => t.visible !== false)
    .map(t => [t.name || '', Array.from(t.x || [], String).join(',')]);
}"""

FITS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const plot = document.querySelector('.js-plotly-plot').getBoundingClientRect();
  return {scroll: main.scrollHeight, client: main.clientHeight,
          plot: [plot.left, plot.top, plot.right, plot.bottom],
          view: [window.innerWidth, window.innerHeight],
          exceptions: document.querySelectorAll("[data-testid='stException']").length};
}"""


def _framed(browser, src: str, size: tuple[int, int]):
    """A page on another origin holding `src` in an iframe of `size`; (context, its frame)."""
    w, h = size
    html = f'<!doctype html><title>host</title><iframe src="{src}" width="{w}" height="{h}" title="chart"></iframe>'  # fmt: skip
    ctx = browser.new_context(viewport={"width": w + 100, "height": h + 100})
    page = ctx.new_page()
    return ctx, page, html


def _open_frame(page, host: str):
    page.goto(f"{host}/host")
    frame = page.frame_locator("iframe")
    frame.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)  # plotly's resize to the frame
    return next(f for f in page.frames if f.url.startswith("http://127.0.0.1"))


@pytest.mark.browser
def test_streamlit_sends_no_header_that_forbids_framing(server):
    with urllib.request.urlopen(f"{server}/?embed=trade-total", timeout=30) as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
    assert "x-frame-options" not in headers
    assert "frame-ancestors" not in headers.get("content-security-policy", "")


@pytest.mark.browser
@pytest.mark.parametrize("size", [(600, 400), (800, 600)])
@pytest.mark.parametrize(
    "query", ["embed=trade-total&from=1995&to=2007", "embed=true&embed=claims-and-records"]
)
def test_embed_fits_a_frame_of_another_origin(browser, server, size, query):
    src = f"{_app(server)}/?{query}"
    ctx, page, html = _framed(browser, src, size)
    with other_origin({"/host": html}) as host:
        frame = _open_frame(page, host)
        found = frame.evaluate(FITS)
        assert found["exceptions"] == 0
        assert found["view"] == list(size)
        assert found["scroll"] <= found["client"], found
        left, top, right, bottom = found["plot"]
        assert 0 <= left and 0 <= top and right <= size[0] and bottom <= size[1], found
        assert bottom - top >= size[1] / 2 - 20  # the chart takes the room left
        assert not frame.locator("[data-testid='stSlider']").count()
        assert not frame.locator("[data-testid='stMetric']").count()
        assert not frame.locator("[data-testid='stSidebar']").count()
        link = frame.get_by_role("link", name="Open in sinorus ↗")
        assert link.get_attribute("target") == "_blank"
        href = link.get_attribute("href")
        assert "embed" not in href and href.startswith(_app(server))
    ctx.close()


@pytest.mark.browser
def test_shared_link_and_embed_code_open_the_same_view(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(f"{_app(server)}/?from=1995&to=2005&scale=log&events=off")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    shown = page.evaluate(PLOT)
    page.get_by_role("button", name="Share").first.click()
    codes = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode'] code")
    codes.nth(1).wait_for(timeout=30_000)
    link, iframe = (c.inner_text().strip() for c in codes.all()[:2])
    assert parse_qs(urlsplit(link).query) == {
        "from": ["1995"],
        "to": ["2005"],
        "scale": ["log"],
        "events": ["off"],
    }
    assert iframe.startswith("<iframe") and 'width="600" height="400"' in iframe

    other = ctx.new_page()
    other.goto(link)
    other.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert other.evaluate(PLOT) == shown
    assert other.locator("[data-testid='stSlider']").count() == 1

    with other_origin({"/host": f"<!doctype html><title>host</title>{iframe}"}) as host:
        framed = ctx.new_page()
        frame = _open_frame(framed, host)
        assert frame.evaluate(PLOT) == shown
        assert frame.evaluate(FITS)["scroll"] <= frame.evaluate(FITS)["client"]
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", [(600, 400), (800, 600)])
def test_embed_has_no_serious_or_critical_axe_violation(browser, server, size):
    axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
    from tests.test_a11y import AXE_TAGS

    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/?embed=trade-total")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(300)
    result = axe_playwright.Axe().run(page, options={"runOnly": AXE_TAGS})
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad
    page.close()


#: The chart's y-axis title and its plot: heights in px.
Y_TITLE = """() => {
  const chart = document.querySelector("[data-testid='stPlotlyChart']");
  const title = chart.querySelector('.ytitle'), plot = chart.querySelector('.draglayer .xy .nsewdrag');
  if (!title || !plot || !title.textContent) return null;
  return {text: title.textContent, title: title.getBoundingClientRect().height,
          plot: plot.getBoundingClientRect().height};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("size", [(600, 400), (800, 600)])
def test_every_embeddable_chart_keeps_its_legend_and_axis_titles_inside(browser, server, ds, size):
    """Nothing clipped in a frame: each chart's legend and axis titles inside its figure, and a
    y-axis title that leaves room at both ends of its axis (at 600×400 the claims chart's, in one
    line, ran the whole height of its 160 px plot)."""
    from sinorus.ui import embed
    from tests.test_screens import OUTSIDE

    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    found = {}
    for chart in embed.charts(ds):
        page.goto(f"{server}/?embed={chart}")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_timeout(500)  # plotly's automargin redraw
        found[chart] = page.evaluate(OUTSIDE), page.evaluate(Y_TITLE)
    page.close()
    assert len(found) == 6 and found["claims-and-records"][1] is not None
    for chart, (outside, title) in found.items():
        assert outside == [[]], (chart, outside)
        assert title is None or title["title"] <= 0.8 * title["plot"], (chart, title)


@pytest.mark.browser
def test_streamlits_own_embed_shows_the_full_page_without_the_unread_address_notice(browser, server):  # fmt: skip
    """`?embed=true` is Streamlit's (its page never sees it): no "none of them were used"."""
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.goto(f"{server}/?embed=true&embed_options=show_toolbar")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    frame = page.locator("iframe[title='st.iframe']")
    frame.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(500)  # its script has run
    assert page.frame_locator("iframe[title='st.iframe']").locator("[role='alert']").count() == 0
    box = frame.bounding_box()
    assert box is None or box["height"] == 0
    assert page.locator("[data-testid='stSlider']").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_readme_names_exactly_the_charts_the_embedded_package_can_show_alone(ds):
    from sinorus.ui import embed

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = text.split("### Embed a chart", 1)[1].split("CHART is one of", 1)[1].split(";")[0]
    named = [s for s in views.VIEWS if f"`{s}`" in listed]
    assert sorted(named) == sorted(embed.charts(ds))


@pytest.mark.parametrize("chart", list(share.SECTION_OF)[:6])
def test_every_chart_of_the_embedded_package_shows_alone(chart):
    at = run({"embed": chart})
    assert not at.exception and not at.error and not at.slider
    assert source_line(at).startswith("Source: ")


@pytest.mark.browser
def test_a_shared_link_opens_on_the_charts_section_at_the_chart(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(f"{_app(server)}/?view=composition&from=1995&to=2005")
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000
    )
    page.locator(".st-key-share-trade-to-gdp button").first.click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode'] code").first
    code.wait_for(timeout=30_000)
    link = code.inner_text().strip()
    assert link.endswith("/?from=1995&to=2005&view=composition#trade-to-gdp")
    other = ctx.new_page()
    # a slow machine (a phone, a loaded server): what is drawn above the chart after Streamlit's
    # one scroll to its name pushed it off the top of the screen
    ctx.new_cdp_session(other).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    other.goto(link)
    other.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 12", timeout=90_000
    )
    other.wait_for_timeout(1500)
    top = other.evaluate("document.getElementById('trade-to-gdp').getBoundingClientRect().top")
    assert 0 <= top < 300, top  # the third chart, at the top of the screen
    other.locator("[data-testid='stMain']").hover()
    other.mouse.wheel(0, 400)  # the reader scrolls: the page no longer holds the chart
    other.wait_for_timeout(500)
    moved = other.evaluate("document.getElementById('trade-to-gdp').getBoundingClientRect().top")
    assert moved < top - 300, (top, moved)
    ctx.close()
