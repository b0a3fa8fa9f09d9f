"""The reader's own trade tables: the sidebar uploader (per session) and section "Your data"."""

from __future__ import annotations

import streamlit as st

from sinorus import flow_charts, flows
from sinorus.importers import MAX_UPLOAD_MB, load_upload
from sinorus.load import DataError, Dataset
from sinorus.markup import md
from sinorus.ui.widgets import chart, downloads, no_figures


def with_uploads(ds: Dataset) -> Dataset:
    """The shared dataset, or this reader's own copy merged with the files they uploaded.

    The uploader sits in the sidebar so it is always on the page; its files live in this
    session only. A rejected file leaves the documents' data as it was and says why.
    """
    with st.sidebar:
        st.header("Your data")
        files = st.file_uploader(
            "Add a China–Russia trade table",
            type=["csv", "json"],
            accept_multiple_files=True,
            key="uploads",
            help=f"UN Comtrade+ CSV or JSON, a legacy Comtrade CSV, or a sinorus observations "
            f"CSV; up to {MAX_UPLOAD_MB} MB each. It stays in your browser session: nothing "
            "is written on the server and no other reader sees it.",
        )
        st.caption(
            f"UN Comtrade+ (CSV/JSON), legacy Comtrade CSV or sinorus observations; ≤ {MAX_UPLOAD_MB} MB. "
            "Shown beside the documents' figures, never mixed with them."
        )
    key = tuple((f.file_id, f.name, f.size) for f in files or [])
    if not key:
        st.session_state.pop("merged", None)
        return ds
    cached = st.session_state.get("merged")
    if cached is None or cached[0] != key:
        merged, reports, problems = ds, [], []
        for f in files:
            try:
                merged, result = load_upload(merged, f.getvalue(), f.name)
                reports.extend(result.summary())
            except DataError as err:
                problems.append((f.name, err.problems))
        cached = (key, merged, reports, problems)
        st.session_state.merged = cached
    _, merged, reports, problems = cached
    with st.sidebar:
        for name, found in problems:
            st.error(f"{md(name)} was not used: {len(found)} problem(s).", icon="🛑")
            st.code("\n".join(str(p) for p in found[:50]), language=None)
        if reports:
            with st.expander("What was imported", expanded=not problems):
                st.code("\n".join(reports), language=None)
    return merged


def render(ds: Dataset, year_range) -> None:
    imported = flows.imported_sources(ds)
    if imported.empty:
        st.info(
            "Upload a China–Russia trade table in the sidebar (a UN Comtrade+ download, a legacy "
            "Comtrade CSV or a sinorus observations CSV) to see it here by direction and by "
            "commodity, and beside the documents' figures under Trade over time. It stays in your "
            "session only.",
            icon="📄",
        )
        return
    st.dataframe(imported, hide_index=True)
    totals = flows.totals_frame(ds, year_range)
    chart(flow_charts.totals_chart(totals), "documents-and-imported-totals", year_range)
    downloads(
        totals,
        ds,
        "documents-and-imported-totals",
        year_range,
        title="Documents' figures and imported totals",
    )
    direction = flows.direction_frame(ds, year_range)
    chart(flow_charts.direction_chart(direction), "direction", year_range)
    downloads(
        direction,
        ds,
        "direction",
        year_range,
        title="China's exports to and imports from Russia, by reporter",
    )
    with_codes = imported[imported["has_commodities"]]
    if with_codes.empty:
        st.caption(
            "The uploaded files have no commodity codes, so there is no commodity breakdown."
        )
        return
    st.subheader("By commodity (HS)")
    source_id = st.selectbox(
        "File",
        list(with_codes["source_id"]),
        format_func=dict(zip(with_codes["source_id"], with_codes["series"], strict=True)).get,
    )
    available = ds.trade_flows[(ds.trade_flows["source_id"] == source_id)]
    c1, c2, c3, c4 = st.columns(4)
    flow = c1.selectbox(
        "Direction", ["china_exports", "china_imports"], format_func=FLOW_LABELS.get
    )
    reporter = c2.selectbox(
        "Reporter", sorted(r for r in set(available["reporter"]) if r), format_func=REPORTERS.get
    )
    years = sorted(int(y) for y in set(available["year"]) if year_range[0] <= y <= year_range[1])
    if not years:
        no_figures(year_range, "commodity rows")
        return
    year = c3.selectbox("Year", years, index=len(years) - 1)
    level = c4.selectbox("Level", ["section", "chapter"], format_func=str.capitalize)
    tree = flows.commodity_frame(
        ds, year, flow, reporter, top_n=10, level=level, source_id=source_id
    )
    chart(flow_charts.commodity_treemap(tree), "commodity-treemap", (year, year))
    downloads(tree, ds, "commodity-treemap", (year, year), title=f"Trade by HS {level}, {year}")
    area = flows.commodity_over_time(
        ds, year_range, flow, reporter, top_n=8, level=level, source_id=source_id
    )
    chart(flow_charts.commodity_area(area), "commodity-area", year_range)
    downloads(area, ds, "commodity-area", year_range, title=f"Trade by HS {level} over time")


FLOW_LABELS = {
    "china_exports": "China's exports to Russia",
    "china_imports": "China's imports from Russia",
}


REPORTERS = {"CHN": "as China reports", "RUS": "as Russia reports"}
