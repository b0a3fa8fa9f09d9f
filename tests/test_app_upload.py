"""Uploading a trade table in the app: validated, shown as its own series, per session only."""

import pytest
from streamlit.testing.v1 import AppTest

from sinorus.markup import md
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def app(params=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def upload(at, *names):
    files = [(n, (FIXTURES / n).read_bytes(), "text/csv") for n in names]
    at.file_uploader[0].set_value(files).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("name", [
    "comtrade-plus-synthetic.csv",
    "comtrade-plus-synthetic.json",
    "comtrade-legacy-synthetic.csv",
])  # fmt: skip
def test_upload_shows_your_data(name):
    at = upload(app({"view": "yours"}), name)
    imported = at.dataframe[0].value
    assert list(imported["file"]) == [name]
    assert list(imported["series"]) == ["UN Comtrade"]  # the dataset is the series, not the file
    assert len(at.get("plotly_chart")) >= 2  # totals beside the documents, direction
    assert not at.sidebar.error


def test_upload_overlays_the_time_series():
    at = upload(app(), "comtrade-plus-synthetic.csv")
    assert len(at.get("plotly_chart")) == 1
    assert any("kept" in c.value for c in at.sidebar.code)


def main_errors(at):
    return [e for e in at.main.error]


def test_broken_upload_is_reported_and_ignored():
    at = upload(app({"view": "yours"}), "comtrade-plus-synthetic-broken.csv")
    assert len(at.sidebar.error) == 1
    assert "listed on the page" in at.sidebar.error[0].value
    # no 300 px code block cutting each line: the import's report stays folded
    assert [e.proto.expanded for e in at.sidebar.expander] == [False]
    (error,) = main_errors(at)  # in the main area, each problem a list item that wraps
    name = md("comtrade-plus-synthetic-broken.csv")
    assert f"{name} was not used" in error.value
    assert md("comtrade-plus-synthetic-broken.csv:5: refYear: 1850 is out of range") in error.value
    assert error.value.count(f"\n- {name}") == 3  # every problem, whole (FILE:ROW: FIELD)
    assert any("Upload a China–Russia trade table" in i.value for i in at.info)  # nothing merged
    at.file_uploader[0].set_value(None).run()
    assert not main_errors(at)  # the file gone, its problems go too


def test_foreign_file_gives_a_clear_message():
    at = upload(app(), "not-comtrade-synthetic.csv")
    assert at.sidebar.error
    assert md("not-comtrade-synthetic.csv") in main_errors(at)[0].value


def test_many_problems_list_the_first_ones_and_count_the_rest(tmp_path):
    """A file with many bad rows: the first ten listed whole, the rest counted."""
    good = (FIXTURES / "comtrade-plus-synthetic.csv").read_text().splitlines()
    header, row = good[0], good[1].split(",")
    year = header.split(",").index("refYear")
    bad = [",".join(row[:year] + [f"y{i}"] + row[year + 1 :]) for i in range(30)]
    at = app()
    at.file_uploader[0].set_value([("many.csv", "\n".join([header, *bad]).encode(), "text/csv")]).run()  # fmt: skip
    assert not at.exception
    (error,) = main_errors(at)
    listed = [line for line in error.value.splitlines() if line.startswith(f"- {md('many.csv:')}")]
    assert len(listed) == 10, error.value
    assert "more problem(s)" in error.value


def test_the_empty_state_says_where_a_file_comes_from_and_how_to_fetch_one():
    at = app({"view": "yours"})
    (info,) = at.info
    assert "https://comtradeplus.un.org/" in info.value and "download" in info.value
    assert "sinorus fetch comtrade --from 1992 --to 2024 --into official" in at.code[0].value


def test_what_was_imported_names_no_internal_source_id():
    at = upload(app(), "comtrade-plus-synthetic.csv")
    report = at.sidebar.code[0].value
    assert "kept" in report
    assert "import-" not in report and "as source" not in report


def test_two_sessions_do_not_share_uploads():
    first = upload(app({"view": "yours"}), "comtrade-plus-synthetic.csv")
    second = app({"view": "yours"})
    assert len(first.dataframe[0].value) == 1
    assert any("Upload a China–Russia trade table" in i.value for i in second.info)
    assert not second.dataframe
    first.file_uploader[0].set_value(None).run()
    assert any("Upload a China–Russia trade table" in i.value for i in first.info)


def test_upload_widens_a_full_range_and_removal_narrows_it():
    at = app()
    assert at.slider[0].value == (1992, 2007)
    upload(at, "comtrade-plus-synthetic.csv")
    lo, hi = at.slider[0].value
    assert lo == 1992 and hi >= 2020  # the fixture's years are now in view
    at.file_uploader[0].set_value(None).run()
    assert at.slider[0].value == (1992, 2007)


def test_upload_keeps_a_chosen_range():
    at = app({"from": "1995", "to": "2006"})
    upload(at, "comtrade-plus-synthetic.csv")
    assert at.slider[0].value == (1995, 2006)


def page_text(at) -> str:
    """Everything the page shows a reader: text, tables, code blocks and chart specs."""
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "error", "code", "title", "subheader") for e in at.get(kind)]  # fmt: skip
    parts += [e.value.to_csv() for e in at.dataframe]
    parts += [e.proto.spec for e in at.get("plotly_chart")]
    parts += [str(e.value) for e in at.sidebar.code]
    return "\n".join(parts)


@pytest.mark.parametrize("view", ["yours", "trade"])
def test_no_reader_sees_another_readers_file_name(view):
    data = (FIXTURES / "comtrade-plus-synthetic.csv").read_bytes()
    first = app({"view": view})
    first.file_uploader[0].set_value(
        [("acme-confidential-client-list.csv", data, "text/csv")]
    ).run()
    assert "acme-confidential-client-list.csv" in page_text(first) or view == "trade"
    second = app({"view": view})
    second.file_uploader[0].set_value([("bob.csv", data, "text/csv")]).run()
    assert not second.exception
    text = page_text(second)
    assert "acme-confidential" not in text
    if view == "yours":
        assert "bob.csv" in text


def test_the_same_bytes_twice_are_read_once():
    data = (FIXTURES / "comtrade-plus-synthetic.csv").read_bytes()
    at = app({"view": "yours"})
    at.file_uploader[0].set_value(
        [("a-synthetic.csv", data, "text/csv"), ("b-synthetic.csv", data, "text/csv")]
    ).run()
    assert not at.exception and not at.sidebar.error
    assert list(at.dataframe[0].value["file"]) == ["a-synthetic.csv"]
    assert any("the same contents as 'a-synthetic.csv'" in c.value for c in at.sidebar.code)


def test_conflicting_uploads_are_refused_naming_both_files():
    lines = (FIXTURES / "comtrade-plus-synthetic.csv").read_text(encoding="utf-8").splitlines()
    revised = "\n".join([lines[0], lines[1].replace("50000000000.0", "50500000000.0")]) + "\n"
    at = app({"view": "yours"})
    at.file_uploader[0].set_value(
        [
            ("whole-synthetic.csv", "\n".join(lines).encode(), "text/csv"),
            ("revised-synthetic.csv", revised.encode(), "text/csv"),
        ]
    ).run()
    assert not at.exception and at.sidebar.error
    shown = "\n".join(e.value for e in main_errors(at))
    assert (
        md("revised-synthetic.csv:2: value") in shown and md("whole-synthetic.csv row 2") in shown
    )


def test_upload_limit_is_the_servers_setting():
    import tomllib

    from sinorus.ui.yours import upload_limit

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    mb = config["server"]["maxUploadSize"]
    assert mb == 200
    limit, setting = upload_limit()
    assert limit == mb * 1024 * 1024 and f"server.maxUploadSize = {mb} MB" in setting


def test_a_sessions_files_are_deleted_when_it_ends(tmp_path):
    import gc

    from sinorus.importers import Uploads
    from sinorus.importers.session import Upload
    from sinorus.load import load

    uploads = Uploads()
    data = (FIXTURES / "comtrade-plus-synthetic.csv").read_bytes()
    outcome = uploads.update(load(), [Upload("id-1", "a-synthetic.csv", len(data), lambda: data)], 10**9, "limit")  # fmt: skip
    where = uploads.dir
    assert any(where.rglob("*.parquet")) and len(outcome.dataset.trade_flows) == 26
    del uploads, outcome
    gc.collect()
    assert not where.exists()


def read_one(uploads):
    from sinorus import flows
    from sinorus.importers.session import Upload
    from sinorus.load import load

    data = (FIXTURES / "comtrade-plus-synthetic.csv").read_bytes()
    outcome = uploads.update(load(), [Upload("id-1", "a-synthetic.csv", len(data), lambda: data)], 10**9, "limit")  # fmt: skip
    flows.totals_frame(outcome.dataset, (1990, 2025))  # a chart's query: the roll-ups are made
    return outcome


def test_an_uploads_roll_ups_live_in_its_session_folder_and_go_with_it(
    uploads, tmp_path, monkeypatch
):
    """The roll-ups made from a reader's upload are kept in their session's folder, never in
    the cache that outlives them ($SINORUS_CACHE_DIR), and are deleted with it."""
    import os

    from sinorus import paths

    # a cache of its own: `sinorus import` of the same file (other tests) rightly keeps its
    # roll-ups in the shared one, under the same content key
    monkeypatch.setenv("SINORUS_CACHE_DIR", str(tmp_path / "cache"))
    outcome = read_one(uploads)
    [part] = [p for p in outcome.dataset.trade_flows.parts if str(uploads.dir) in p]
    made = list((uploads.dir / "rollups").glob("*.parquet"))
    assert len(made) == 1
    key = outcome.dataset.trade_flows.keys[outcome.dataset.trade_flows.parts.index(part)]
    shared = paths.cache_dir() / "rollups"
    assert not [f for f in (os.listdir(shared) if shared.exists() else []) if key.removeprefix("sha256:") in f]  # fmt: skip
    uploads.close()
    assert not uploads.dir.exists() and not made[0].exists()


def test_a_left_readers_uploads_are_deleted_after_the_servers_time_to_return(monkeypatch):
    """Streamlit keeps a left session `server.disconnectedSessionTTL` seconds and drops it
    only when another is stored: the sweep deletes its files once it has been gone that long,
    and not before; a reader who comes back keeps them."""
    from types import SimpleNamespace

    from sinorus.importers import Uploads
    from sinorus.ui import yours

    monkeypatch.setattr(yours.runtime, "exists", lambda: True)
    monkeypatch.setattr(yours, "_OWNERS", {})
    left, back = Uploads(), Uploads()
    read_one(left)
    for session_id, uploads in (("left", left), ("back", back)):
        monkeypatch.setattr(yours, "get_script_run_ctx", lambda s=session_id, **_: SimpleNamespace(session_id=s))  # fmt: skip
        yours.owned(uploads)
    here = {"left": False, "back": False}
    assert yours.sweep(0.0, here.get, ttl=120) == []  # first seen gone: the clock starts
    assert yours.sweep(100.0, here.get, ttl=120) == [] and left.dir.exists()
    here["back"] = True  # reconnected within the time: its clock stops
    assert yours.sweep(119.0, here.get, ttl=120) == []
    assert yours.sweep(121.0, here.get, ttl=120) == ["left"]
    assert left.closed and not left.dir.exists()
    assert not back.closed and back.dir.exists()
    back.close()
    assert yours.sweep(500.0, here.get, ttl=120) == [] and yours._OWNERS == {}


@pytest.mark.browser
def test_a_readers_files_are_deleted_soon_after_they_leave_with_no_one_else_coming(tmp_path):
    """A real server (`server.disconnectedSessionTTL` 3 s, a sweep every second): a reader
    uploads a file and closes the page; with no other reader coming, their session folder is
    gone within seconds."""
    sync_api = pytest.importorskip("playwright.sync_api")
    import time

    from tests.browser import CHROMIUM_ARGS, IDLE, chromium_path, streamlit_server

    env = {"TMPDIR": str(tmp_path), "SINORUS_SWEEP_SECONDS": "1"}
    args = ("--server.disconnectedSessionTTL", "3")
    with streamlit_server(env=env, args=args) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url, timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(FIXTURES / "comtrade-plus-synthetic.csv"))  # fmt: skip
        page.get_by_text("What was imported").wait_for(timeout=120_000)
        [folder] = list(tmp_path.glob("sinorus-session-*"))
        assert any(folder.rglob("*.parquet"))
        page.close()
        browser.close()
        deadline = time.monotonic() + 30
        while folder.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not folder.exists(), "the reader left 30 s ago; their files are still there"
