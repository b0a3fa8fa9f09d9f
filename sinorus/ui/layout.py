"""The first screen: room taken from the page's header, not from the charts.

One style sheet (no element of its own: Streamlit puts a style-only `st.html` out of the flow).
At every width the first chart's plot, axes and legend are to be in view on opening
(`tests/test_screens.py` measures it): the page's title goes up beside the (transparent)
toolbar, the gaps between blocks are tighter; on a phone the headline's figures stay on one
row that scrolls sideways, and the section buttons too, and the gaps are tighter still (the
first chart's axes, or Composition's whole ring, within 390×844).

A shared link (`#slug`) opens with that chart's name at the top of the screen and keeps it there
while the page settles (`ANCHOR`): Streamlit scrolls to the heading once, as soon as it is drawn,
and what is drawn above it later (this style sheet, the charts) would push it off the screen.
"""

from __future__ import annotations

import streamlit as st

from sinorus import i18n

#: Below this width (px) the phone layout applies: one row of figures, one row of sections.
PHONE = 640

STYLE = f"""<style>
[data-testid="stHeader"] {{ background: transparent; pointer-events: none; }}
/* the header lies over the title's row: only its own controls take clicks, the rest go through
   to the row (the language menu) */
[data-testid="stHeader"] * {{ pointer-events: none; }}
[data-testid="stHeader"] button, [data-testid="stHeader"] a {{ pointer-events: auto; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 1.25rem; padding-bottom: 3rem; }}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: .55rem; }}
[data-testid="stMainBlockContainer"] h1 {{ padding: 0 0 .1rem 0; }}
/* the title and the language menu on one row, left of Streamlit's toolbar */
.st-key-top {{ flex-wrap: nowrap; padding-right: 2.5rem; }}
.st-key-top > div:first-child {{ flex: 1 1 auto; min-width: 0; }}
[data-testid="stMainBlockContainer"] h2 {{ padding: .35rem 0 0; }}
/* a chart's name never runs into its plot: Streamlit pulls a heading's next block up by 1rem */
[data-testid="stMarkdownContainer"]:has(> [data-testid="stHeadingWithActionElements"] h2) {{
  margin-bottom: 0; }}
.st-key-headline [data-testid="stMetric"] {{ padding: 0; }}
@media (max-width: {PHONE}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 2.5rem; }}
  [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: .25rem; }}
  [data-testid="stMainBlockContainer"] h2 {{ padding-top: 0; }}
  [data-testid="stMainBlockContainer"] h1 {{ font-size: 1.3rem; padding-right: 0; }}
  /* the language menu goes up into the header's empty band, between » and ⋮: the title keeps
     the screen's width (no third line pushing the first chart down) */
  .st-key-top {{ padding-right: 0; position: relative; overflow: visible; }}
  .st-key-top > div:last-child {{ position: absolute; top: -2.45rem; right: 1.9rem; }}
  [data-testid="stMainBlockContainer"] p {{ font-size: .95rem; }}
  .st-key-headline {{ flex-wrap: nowrap; overflow-x: auto; }}
  .st-key-headline > div {{ flex: 0 0 auto; width: auto; min-width: 0; }}
  .st-key-headline [data-testid="stMetricValue"] {{ font-size: 1.15rem; }}
  .st-key-view [data-testid="stButtonGroup"] > div {{ flex-wrap: nowrap; overflow-x: auto; }}
  .st-key-view [data-testid="stButtonGroup"] button {{ flex: 0 0 auto; }}
}}
</style>"""


def first_screen() -> None:
    st.html(STYLE)


#: Hold the heading named by the address's `#slug` at the top while what is above it settles:
#: re-scroll whenever the page's size changes, until the reader scrolls, clicks or types, or for
#: 20 s at most. Nothing happens without a `#slug`, or when the page has no such heading.
ANCHOR = """<script>
(() => {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id || window.sinorusAnchor === id) return;
  window.sinorusAnchor = id;
  const main = document.querySelector('[data-testid="stMain"]');
  const body = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || !body) return;
  const keep = () => document.getElementById(id)?.scrollIntoView(true);
  const watch = new ResizeObserver(keep);
  const stop = () => watch.disconnect();
  for (const ev of ["wheel", "touchstart", "keydown", "pointerdown"]) {
    main.addEventListener(ev, stop, { once: true, passive: true });
  }
  watch.observe(body);
  setTimeout(stop, 20000);
})();
</script>"""


def hold_anchor() -> None:
    """Keep a shared link's chart at the top of the screen while the page settles (`ANCHOR`):
    drawn last, it adds no gap above the charts."""
    st.html(ANCHOR, unsafe_allow_javascript=True)


def page_language() -> None:
    """The page's `lang` attribute (`<html lang="zh-Hans">`), for screen readers, fonts and
    hyphenation: Streamlit's page says "en" whatever it shows."""
    tag = i18n.html_lang()
    st.html(
        f"<script>document.documentElement.lang = {tag!r};</script>", unsafe_allow_javascript=True
    )
