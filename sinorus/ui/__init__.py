"""The only Streamlit package: the page (`page.main`), one module per section over shared widgets.

Everything shown is built by `transform` (frames) and `charts` (figures); each chart's download
is made from the very frame the chart was drawn from. Text from the data is shown either in
widgets that never interpret it (dataframes, code blocks) or escaped for Markdown by
`sinorus.markup.md`.
"""

from sinorus.ui.page import main

__all__ = ["main"]
