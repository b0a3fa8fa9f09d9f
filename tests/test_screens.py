"""The first screen and nothing clipped, measured in a real browser by bounding boxes.

- At 1280×900 the whole first plot (axes, legend) of Trade, Claims and Composition is in view on
  opening; at 390×844 the first plot's axes (tick labels and axis title) are, and Composition's
  whole ring (it has no axes).
  Measured inside `[data-testid='stMain']`, which is what scrolls, at its top.
- At 390, 800, 1024 and 1280 px every chart's legend and axis titles lie inside its figure (the
  plot's svg), on Trade, Composition, Claims and Your data (with a file uploaded).
"""

import pytest

from tests.conftest import ROOT
from tests.test_a11y import CHARTS, open_view

pytestmark = pytest.mark.browser

#: The first plot's parts as the reader sees them, relative to the viewport.
FIRST_PLOT = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const chart = document.querySelector("[data-testid='stPlotlyChart']");
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const ticks = [...chart.querySelectorAll('.xaxislayer-above .xtick text')].map(box);
  const pie = chart.querySelector('.pielayer .trace');
  return {
    scrolled: main.scrollTop,
    viewport: window.innerHeight,
    svg: box(chart.querySelector('.main-svg')),
    xticks: ticks.length ? Math.max(...ticks.map(t => t.bottom)) : null,
    xtitle: chart.querySelector('.xtitle') ? box(chart.querySelector('.xtitle')).bottom : null,
    pie: pie ? box(pie) : null,
  };
}"""


@pytest.mark.parametrize("view", ["trade", "claims", "composition"])
def test_the_whole_first_plot_is_in_view_at_1280_by_900(browser, server, view):
    context, page = open_view(browser, server, view, (1280, 900))
    seen = page.evaluate(FIRST_PLOT)
    context.close()
    assert seen["scrolled"] == 0
    assert seen["svg"]["bottom"] <= seen["viewport"], seen  # axes, legend and all


@pytest.mark.parametrize("view", ["trade", "claims", "composition"])
def test_the_first_plots_axes_are_in_view_on_a_phone(browser, server, view):
    context, page = open_view(browser, server, view, (390, 844))
    seen = page.evaluate(FIRST_PLOT)
    context.close()
    assert seen["scrolled"] == 0
    assert seen["svg"]["top"] < seen["viewport"]
    if seen["pie"] is not None:  # Composition opens on a ring of shares: no axes; the whole
        assert seen["pie"]["bottom"] <= seen["viewport"], seen  # ring is in view
    else:
        assert seen["xticks"] is not None and seen["xticks"] <= seen["viewport"], seen
        assert seen["xtitle"] is None or seen["xtitle"] <= seen["viewport"], seen


#: Each chart's legend and axis titles that reach outside its svg, and by how many px.
OUTSIDE = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")].map(chart => {
  const svg = chart.querySelector('.main-svg').getBoundingClientRect();
  const out = [];
  for (const part of chart.querySelectorAll('.legend, .xtitle, .ytitle')) {
    const r = part.getBoundingClientRect();
    if (!r.width) continue;
    const over = Math.max(svg.left - r.left, r.right - svg.right, svg.top - r.top, r.bottom - svg.bottom);
    if (over > 0.5) out.push([part.getAttribute('class'), Math.round(over), part.textContent.slice(0, 50)]);
  }
  return out;
})"""

WIDTHS = (390, 800, 1024, 1280)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", ["trade", "composition", "claims"])
def test_legends_and_axis_titles_stay_inside_each_figure(browser, server, view, width):
    context, page = open_view(browser, server, view, (width, 900))
    outside = page.evaluate(OUTSIDE)
    context.close()
    assert len(outside) == CHARTS[view]
    assert outside == [[]] * CHARTS[view]


@pytest.mark.parametrize("width", WIDTHS)
def test_your_datas_legends_and_axis_titles_stay_inside_each_figure(browser, server, width):
    """Your data's charts, with the SYNTHETIC Comtrade+ fixture uploaded (its legends were 23–43
    px wider than the chart at 390)."""
    context, page = open_view(browser, server, "yours", (width, 900))
    if width < 640:  # the uploader is in the sidebar, shut on a phone
        page.locator("[data-testid='stExpandSidebarButton']").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        str(ROOT / "tests" / "fixtures" / "comtrade-plus-synthetic.csv")
    )
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000
    )
    page.wait_for_timeout(500)  # plotly's automargin redraw
    outside = page.evaluate(OUTSIDE)
    context.close()
    assert len(outside) >= 4
    assert all(parts == [] for parts in outside), outside
