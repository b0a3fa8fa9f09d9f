"""The only Streamlit module: layout, widgets, caching."""

from __future__ import annotations

import streamlit as st

from sinorus import transform
from sinorus.load import DataError, load


@st.cache_data(show_spinner=False)
def _dataset():
    return load()


def main() -> None:
    st.set_page_config(page_title="sinorus · China–Russia trade", layout="wide")
    st.title("China–Russia trade, as two 2007 documents report it")
    try:
        ds = _dataset()
    except DataError as err:
        st.error("The data package is not valid:\n\n" + "\n".join(f"- `{p}`" for p in err.problems))
        return
    st.dataframe(transform.observations_view(ds, transform.year_span(ds)), hide_index=True)
