"""`python -m bench.redraw`: what Plotly alone takes to redraw the trade chart for a range
change, with and without each of its layers (headless Chromium, no Streamlit around it).

Each variant is drawn once (`Plotly.newPlot`), then redrawn 16 times alternating between the
ranges 1995-2006 and 1996-2006 (`Plotly.react`, as Streamlit's chart element does); the median
is printed. It separates Plotly's own work from Streamlit's in a range change (bench/anatomy.py
measures the whole page)."""

from __future__ import annotations

import json
from pathlib import Path

RANGES = ((1995, 2006), (1996, 2006))
OPTIONS = {"log_scale": False, "show_events": True, "show_reports": True}
VARIANTS = {
    "as drawn": {},
    "no legend": {"legend": False},
    "no events strip (second y axis)": {"show_events": False},
    "no later reports": {"show_reports": False},
    "lines and documents only": {"show_events": False, "show_reports": False, "legend": False},
}
REDRAW = """async ([a, b, config]) => {
  const g = document.getElementById('g');
  await Plotly.newPlot(g, a.data, a.layout, config);
  const times = [];
  for (let i = 0; i < 16; i++) {
    const f = JSON.parse(JSON.stringify(i % 2 ? a : b));
    const t0 = performance.now();
    await Plotly.react(g, f.data, f.layout, config);
    times.push(performance.now() - t0);
  }
  Plotly.purge(g);
  times.sort((x, y) => x - y);
  return times[8];
}"""


def figures(ds, change: dict) -> list[dict]:
    from sinorus import views

    view = views.view("trade-total")
    options = {**OPTIONS, **{k: v for k, v in change.items() if k != "legend"}}
    out = []
    for year_range in RANGES:
        fig = view.figure(ds, year_range, view.frame(ds, year_range, **options), **options)
        if change.get("legend") is False:
            fig.update_layout(showlegend=False)
        out.append(json.loads(fig.to_json()))
    return out


def main() -> None:
    import plotly.io as pio
    from playwright.sync_api import sync_playwright

    from sinorus.load import DEFAULT_DATA_DIR, load
    from sinorus.ui.widgets import PLOTLY_CONFIG
    from tests.browser import CHROMIUM_ARGS, chromium_path

    ds = load(DEFAULT_DATA_DIR)
    plotly_js = (Path(pio.__file__).parent.parent / "package_data" / "plotly.min.js").read_text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_content("<div id='g' style='width:1100px;height:560px'></div>")
        page.add_script_tag(content=plotly_js)
        print("| trade chart | traces | Plotly.react, median of 16 (ms) |\n| --- | --- | --- |")
        for name, change in VARIANTS.items():
            a, b = figures(ds, change)
            ms = page.evaluate(REDRAW, [a, b, PLOTLY_CONFIG])
            print(f"| {name} | {len(a['data'])} | {ms:.1f} |")
        browser.close()


if __name__ == "__main__":
    main()
