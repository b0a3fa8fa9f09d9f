"""The reader's own trade tables: the sidebar uploader (per session) and section "Your data"."""

from __future__ import annotations

import os
import re
import threading
import time
import weakref

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sinorus import flows, i18n, vocab
from sinorus.i18n import N_, _
from sinorus.importers import Uploads
from sinorus.importers.session import Upload
from sinorus.load import Dataset
from sinorus.markup import md
from sinorus.ui.widgets import no_figures, show

#: The command that fills a package with the UN Comtrade API's China–Russia trade (README: Official
#: figures).
FETCH_COMMAND = (
    "sinorus fetch comtrade --from 1992 --to 2024 --into official\nSINORUS_DATA=official make run"
)
FORMATS_NOTE = N_("UN Comtrade+ (CSV/JSON), legacy Comtrade CSV or sinorus observations")


def upload_limit() -> tuple[int, str]:
    """The one upload limit: Streamlit's `server.maxUploadSize` (MB of 1,048,576 bytes), which
    the browser, the server and the importer all apply."""
    mb = int(st.get_option("server.maxUploadSize"))
    return mb * 1024 * 1024, f"the server's upload limit (server.maxUploadSize = {mb} MB)"


def with_uploads(ds: Dataset) -> Dataset:
    """The shared dataset, or this reader's own copy combined with the files they uploaded.

    The uploader sits in the sidebar so it is always on the page. Files are read into a
    temporary directory of this session only (deleted when the session ends); a rejected file
    leaves the data as it was and says why.
    """
    limit, setting = upload_limit()
    with st.sidebar:
        st.header(_("Your data"))
        mb = i18n.number(limit // 1024 // 1024, ",.0f")
        files = st.file_uploader(
            _("Add a China–Russia trade table"),
            type=["csv", "json"],
            accept_multiple_files=True,
            key="uploads",
            help=_(
                "{formats}; up to {mb} MB each. It stays in your session: no other reader sees "
                "it, and it is deleted when you leave. Larger files: `sinorus import` on the "
                "command line."
            ).format(formats=_(FORMATS_NOTE), mb=mb),
        )
        st.caption(
            _(
                "{formats}; ≤ {mb} MB. Shown beside the documents' figures, never mixed with them."
            ).format(formats=_(FORMATS_NOTE), mb=mb)
        )
    if not files:
        st.session_state.pop(REFUSED, None)
        return ds
    uploads = st.session_state.get("upload_store")
    if uploads is None or uploads.closed:
        uploads = st.session_state["upload_store"] = Uploads()
        owned(uploads)
    given = [Upload(f.file_id, f.name, f.size, f.getbuffer) for f in files]
    outcome = uploads.update(ds, given, limit, setting)
    st.session_state[REFUSED] = outcome.refused
    with st.sidebar:
        for name, err in outcome.refused:
            st.error(
                _("{file} was not used: {count} problem(s), listed on the page.").format(
                    file=md(name), count=i18n.number(err.total, ",.0f")
                ),
                icon=":material/error:",
            )
        if outcome.reports:
            # the import's report: diagnostics, in English as the command line prints them
            with st.expander(_("What was imported"), expanded=not outcome.refused):
                st.code("\n".join(reader_lines(outcome.reports)), language=None)
    return outcome.dataset


#: Session state: the files of this reader's last upload that were refused, with why.
REFUSED = "upload_refused"
#: How many of a refused file's problems the page lists (the rest are counted).
FIRST_PROBLEMS = 10
_SOURCE_ID = re.compile(r" as source '[^']*'")


def reader_lines(lines: list[str]) -> list[str]:
    """An import's report without the internal source ids (`import-c8ca90b18792`) the command
    line prints: a reader knows a file by its name."""
    return [_SOURCE_ID.sub("", line) for line in lines]


def refused_uploads() -> None:
    """The reader's refused files in the main area, each problem whole and wrapped
    (FILE:ROW: FIELD: what was expected): the first FIRST_PROBLEMS, then how many more."""
    for name, err in st.session_state.get(REFUSED) or []:
        lines = [str(p) for p in err.problems[:FIRST_PROBLEMS]]
        more = err.total - len(lines)
        # the problem lines are diagnostics, in English as the command line prints them
        listed = "\n".join(f"- {md(line)}" for line in lines)
        tail = (
            "\n\n" + _("… and {count} more problem(s).").format(count=i18n.number(more, ",.0f"))
            if more > 0
            else ""
        )
        head = _(
            "**{file} was not used**: {count} problem(s); nothing from it is shown. Each reads "
            "FILE:ROW: FIELD: problem."
        ).format(file=md(name), count=i18n.number(err.total, ",.0f"))
        st.error(f"{head}\n\n{listed}{tail}", icon=":material/error:")


#: Seconds between two looks for readers who left ($SINORUS_SWEEP_SECONDS).
SWEEP_SECONDS = float(os.environ.get("SINORUS_SWEEP_SECONDS", "10"))
#: Session id -> [its uploads (weakly), when it was first seen gone (or None)].
_OWNERS: dict[str, list] = {}
_OWNERS_LOCK = threading.Lock()


def owned(uploads: Uploads) -> None:
    """Delete `uploads` once its reader has left: Streamlit keeps a left session for
    `server.disconnectedSessionTTL` seconds (they may come back), then drops it only when
    another session is stored, so its files would stay until a later reader comes and goes.
    A sweep every SWEEP_SECONDS closes the uploads of sessions gone for longer than that."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not runtime.exists():  # no server (tests): the session's end deletes them
        return
    with _OWNERS_LOCK:
        _OWNERS[ctx.session_id] = [weakref.ref(uploads), None]
        if not any(t.name == "sinorus-sweep-uploads" for t in threading.enumerate()):
            threading.Thread(
                target=_sweep_forever, name="sinorus-sweep-uploads", daemon=True
            ).start()


def _sweep_forever() -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        try:
            ttl = float(st.get_option("server.disconnectedSessionTTL"))
            sweep(time.monotonic(), runtime.get_instance().is_active_session, ttl)
        except Exception:  # the server is stopping: nothing more to sweep
            return


def sweep(now: float, active, ttl: float) -> list[str]:
    """Close the uploads of every session `active(session_id)` has called gone for over `ttl`
    seconds by `now`; the ids of those closed."""
    closed = []
    with _OWNERS_LOCK:
        for session_id, entry in list(_OWNERS.items()):
            uploads = entry[0]()
            if uploads is None or uploads.closed:
                del _OWNERS[session_id]
            elif active(session_id):
                entry[1] = None  # back (a reconnection): its clock starts again
            elif entry[1] is None:
                entry[1] = now
            elif now - entry[1] >= ttl:
                uploads.close()
                del _OWNERS[session_id]
                closed.append(session_id)
    return closed


#: The imported files' table: shown columns, in order, with their readers' headers.
IMPORTED_COLUMNS = {
    "file": N_("File"),
    "series": N_("Series"),
    "rows": N_("Rows kept"),
    "first_year": N_("From"),
    "last_year": N_("To"),
    "reporters": N_("Reported by"),
    "flows": N_("Directions"),
    "has_commodities": N_("HS codes"),
}
#: The imported files' table's columns of whole numbers.
_COUNTS = ("rows", "first_year", "last_year")


def imported_columns() -> dict:
    """The imported files' table's column settings, headed in the page's language."""
    return {
        column: st.column_config.NumberColumn(_(header), format="%d")
        if column in _COUNTS
        else _(header)
        for column, header in IMPORTED_COLUMNS.items()
    }


def render(ds: Dataset, year_range) -> None:
    imported = flows.imported_sources(ds)
    if imported.empty:
        st.info(
            _(
                "Upload a China–Russia trade table in the sidebar (a UN Comtrade+ download, a "
                "legacy Comtrade CSV or a sinorus observations CSV) to see it here by direction "
                "and by commodity, and beside the documents' figures under Trade over time. It "
                "stays in your session only."
            )
            + "\n\n"
            + _(
                "**Where to get one:** on [UN Comtrade+](https://comtradeplus.un.org/), choose "
                "Data, pick China as reporter and Russia as partner (or the reverse), then "
                "download the result as CSV. Or let sinorus ask the UN Comtrade API for you, on "
                "the command line:"
            ),
            icon=":material/upload_file:",
        )
        st.code(FETCH_COMMAND, language=None, wrap_lines=True)
        return
    shown = imported.assign(
        flows=[", ".join(flow_label(f) for f in s.split(", ")) for s in imported["flows"]],
        reporters=[
            ", ".join(
                _(vocab.COUNTRIES[r]) if r in vocab.COUNTRIES else r for r in s.split(", ") if r
            )
            for s in imported["reporters"]
        ],
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_order=list(IMPORTED_COLUMNS),
        column_config=imported_columns(),
    )
    show(ds, "documents-and-imported-totals", year_range)
    show(ds, "direction", year_range)
    with_codes = flows.families(ds)
    with_codes = with_codes[with_codes["has_commodities"]]
    if with_codes.empty:
        st.caption(
            _("The uploaded files have no commodity codes, so there is no commodity breakdown.")
        )
        return
    st.subheader(_("By commodity (HS)"))
    family = st.selectbox(
        _("Dataset"),
        list(with_codes["family"]),
        format_func=dict(zip(with_codes["family"], with_codes["series"], strict=True)).get,
    )
    c1, c2, c3, c4 = st.columns(4)
    # the options' words made now, in this run's language (a format function may be called
    # outside the run)
    directions = {f: flow_label(f) for f in ("china_exports", "china_imports")}
    flow = c1.selectbox(_("Direction"), list(directions), format_func=directions.get)
    reporters = {code: reporter_label(code) for code in ("CHN", "RUS")}
    reporter = c2.selectbox(_("Reporter"), list(reporters), format_func=reporters.get)
    spans = imported[imported["family"] == family]
    first, last = int(spans["first_year"].min()), int(spans["last_year"].max())
    years = [y for y in range(max(first, year_range[0]), min(last, year_range[1]) + 1)]
    if not years:
        no_figures(year_range, "commodity rows")
        return
    year = c3.selectbox(_("Year"), years, index=len(years) - 1)
    levels = {level: _(name) for level, name in LEVELS.items()}
    level = c4.selectbox(_("Level"), list(levels), format_func=levels.get)
    choice = dict(flow=flow, reporter=reporter, level=level, family=family)
    show(ds, "commodity-treemap", (year, year), year=year, **choice)
    show(ds, "commodity-area", year_range, **choice)


FLOW_LABELS = vocab.FLOWS
#: Each reporter's reading, as the selector names it (N_: shown through `_()`).
REPORTERS = {"CHN": N_("as China reports"), "RUS": N_("as Russia reports")}
#: The commodity levels, as the selector names them.
LEVELS = {"section": N_("Section"), "chapter": N_("Chapter")}


def flow_label(flow: str) -> str:
    """A direction of trade in the page's language (an unknown code as it is)."""
    return _(FLOW_LABELS[flow]) if flow in FLOW_LABELS else flow


def reporter_label(code: str) -> str:
    return _(REPORTERS[code]) if code in REPORTERS else code
