"""Section "Composition": share, growth, trade relative to GDP, figures per source, make-up."""

from __future__ import annotations

import streamlit as st

from sinorus import i18n, transform
from sinorus.i18n import N_, _
from sinorus.load import Dataset
from sinorus.markup import md
from sinorus.ui.widgets import downloads, guarded, show, source_labels

MAKEUP_FLOWS = {
    "china_imports": N_("China buys from Russia"),
    "china_exports": N_("China sells to Russia"),
    "cooperation": N_("Cooperation the texts name"),
}


def render(ds: Dataset, year_range) -> None:
    for row in (("share-of-china-trade", "growth"), ("trade-to-gdp", "source-contributions")):
        for col, slug in zip(st.columns(2), row, strict=True):
            with col:
                guarded(_chart_section, ds, slug, year_range)
    guarded(_makeup, ds, year_range)


def _chart_section(ds: Dataset, slug: str, year_range) -> None:
    """One composition chart and its downloads, from the same frame."""
    if slug == "trade-to-gdp" and ds.gdp is None:
        st.info(
            _(
                "GDP context is unavailable (the gdp table is missing), so trade relative to GDP "
                "cannot be shown."
            ),
            icon=":material/info:",
        )
        return
    show(ds, slug, year_range)


def _makeup(ds: Dataset, year_range) -> None:
    st.markdown(_("## What the trade is made of, in the texts' words"))
    st.caption(
        _(
            "The documents give no figures for the trade's make-up, so none are shown: "
            "only what they say, with the sentence."
        )
    )
    makeup = transform.trade_makeup(ds)
    labels = source_labels(ds)
    for col, (flow, heading) in zip(st.columns(3), MAKEUP_FLOWS.items(), strict=True):
        rows = makeup[makeup["flow"] == flow]
        lines = [
            f"- **{md(i18n.data_label(r.item))}**  \n  :gray[*“{md(r.quote)}”* "
            f"({md(labels.get(r.source_id, r.source_id))})]"
            for r in rows.itertuples()
        ]
        col.markdown(f"**{_(heading)}**\n\n" + "\n".join(lines))
    downloads(makeup, ds, "trade-makeup", year_range)
