"""One reader's uploads (sinorus/importers/session.py): what an outcome holds (reports, refusals
with their lines, the dataset), each file read once and cached per dataset and file list, the
child process's fallbacks, the folder names and their removal. Inputs are SYNTHETIC, written in
the test or from tests/fixtures."""

import shutil
from pathlib import Path

import pytest

from sinorus.importers import session
from sinorus.importers.common import ImportResult
from sinorus.load import load
from tests.trade_tables import plus_csv, source_id, upload

MB = 1 << 20


@pytest.fixture
def in_process(monkeypatch):
    """Uploads read in this process (the forkserver child is not what these tests are about)."""
    monkeypatch.setattr(session, "_child", lambda path, name, options: session.read(path, name, **options))  # fmt: skip


def test_an_outcome_reports_every_file_and_refuses_the_bad_one_with_its_lines(ds, uploads, in_process):  # fmt: skip
    good, bad = plus_csv({}), plus_csv({"refYear": "x"})
    outcome = uploads.update(ds, [upload("g", good, "good.csv"), upload("b", bad, "bad.csv")], 10 * MB, "the limit")  # fmt: skip
    assert outcome.reports == [
        "good.csv: UN Comtrade+ CSV (API v1 layout), 1 data row(s) read",
        f"  kept 1 row(s) as source '{source_id(good)}'",
        "bad.csv: UN Comtrade+ CSV (API v1 layout), 1 data row(s) read",
        "  rejected: 1 problem(s); nothing from this file is used",
        "  bad.csv:2: refYear: 'x' is not a year (expected a whole number such as 2021)",
    ]
    [(file, error)] = outcome.refused
    assert (file, error.lines()) == ("bad.csv", ["bad.csv:2: refYear: 'x' is not a year (expected a whole number such as 2021)"])  # fmt: skip
    assert len(outcome.dataset.trade_flows) == 1 and outcome.dataset is not ds


def test_files_that_disagree_are_refused_together_with_the_conflict(ds, uploads, in_process):
    a, b = plus_csv({}), plus_csv({"primaryValue": "5"})
    outcome = uploads.update(ds, [upload("a", a, "a.csv"), upload("b", b, "b.csv")], 10 * MB, "l")
    [(files, error)] = outcome.refused
    assert files == "a.csv, b.csv" and outcome.dataset is ds
    assert error.lines() == ["b.csv:2: value: 5 conflicts with a.csv row 2 (100) for the same year 2020, reporter CHN, flow X and commodity TOTAL (expected one value: two downloads of the same data must agree)"]  # fmt: skip
    assert len(outcome.reports) == 4


def test_no_good_file_leaves_the_dataset_as_it_is(ds, uploads, in_process):
    outcome = uploads.update(ds, [upload("x", b"", "empty.csv")], 10 * MB, "l")
    assert outcome.dataset is ds
    assert [(f, e.lines()) for f, e in outcome.refused] == [("empty.csv", ["empty.csv: file is empty (expected a header row and data rows)"])]  # fmt: skip
    assert outcome.reports == [
        "empty.csv: unrecognised format, 0 data row(s) read",
        "  rejected: 1 problem(s); nothing from this file is used",
        "  empty.csv: file is empty (expected a header row and data rows)",
    ]


@pytest.mark.parametrize("over", [0, 1])
def test_an_upload_over_the_limit_is_refused_before_anything_is_written(tmp_path, monkeypatch, over):  # fmt: skip
    data = plus_csv({})
    monkeypatch.setattr(session, "_child", lambda *a: pytest.fail("no child for a refused file") if over else session.read(a[0], a[1], **a[2]))  # fmt: skip
    result = session.read_apart(data, "f.csv", len(data) - over, "the setting", tmp_path / "w")
    assert result.ok is not bool(over)
    if over:
        assert [str(p) for p in result.problems] == [f"f.csv: file is 0.0 MB (expected at most {(len(data) - 1) / MB:g} MB = {len(data) - 1:,} bytes, the setting; import a larger file with `sinorus import`, or download fewer years at a time)"]  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "w").iterdir() if not p.name.startswith("read-")) == ([] if over else [f"{source_id(data)}.parquet"])  # fmt: skip


def test_without_child_processes_the_file_is_read_here(tmp_path, monkeypatch):
    class NoChildren:
        def submit(self, *args, **kwargs):
            raise OSError("no processes")

    monkeypatch.setattr(session, "_pool", lambda: NoChildren())
    data = plus_csv({})
    result = session.read_apart(data, "f.csv", 10 * MB, "l", tmp_path / "w")
    assert result.ok and result.kept == 1 and not (tmp_path / "w" / "incoming").exists()


def test_a_child_that_dies_is_a_refusal_in_one_line_after_one_more_try(tmp_path, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    tries = []

    class Broken:
        def result(self):
            raise BrokenProcessPool("a child process terminated abruptly")

    class Pool:
        def submit(self, function, path, name, **options):
            assert function is session.read and options["max_bytes"] == 10 * MB
            tries.append(self)
            return Broken()

    monkeypatch.setattr(session, "_POOL", None)
    monkeypatch.setattr(session, "ProcessPoolExecutor", lambda **kwargs: Pool())
    result = session.read_apart(plus_csv({}), "dir/f.csv", 10 * MB, "l", tmp_path / "w")
    assert (result.file, result.problem_count, [str(p) for p in result.problems]) == (
        "f.csv", 1, ["f.csv: the import stopped before it finished (the file may be too large for this server's memory; try `sinorus import`)"])  # fmt: skip
    assert len(tries) == 2 and tries[0] is not tries[1]  # a broken pool is not used again
    assert not (tmp_path / "w" / "incoming").exists()


def test_an_upload_is_read_in_a_child_of_its_own(tmp_path, monkeypatch):
    """Read in a child of the pool (one process per file): the result comes back whole, and
    the server's process id is not the reader's."""
    import os

    monkeypatch.setattr(session, "_POOL", None)
    seen = []
    real = session._pool

    def spy():
        pool = real()
        seen.append(pool)
        return pool

    monkeypatch.setattr(session, "_pool", spy)
    result = session.read_apart(plus_csv({}), "f.csv", 10 * MB, "l", tmp_path / "w")
    assert isinstance(result, ImportResult) and result.kept == 1
    pool = seen[0]
    assert pool._max_workers == session.CONCURRENT_IMPORTS
    assert os.getpid() not in {p.pid for p in pool._processes.values()}
    pool.shutdown()


def app_modules_here(*args, **kwargs) -> list[str]:
    """In a pool's worker: the modules of the app (the page, Streamlit) it has loaded."""
    import sys

    return sorted(m for m in sys.modules if m.startswith(("sinorus.ui", "streamlit")))


def as_streamlit_runs_the_app(monkeypatch) -> None:
    """`__main__` as Streamlit leaves it: a module whose file is app.py (a forkserver worker
    runs that file again, as `__mp_main__`, before it starts)."""
    import sys
    import types

    from tests.conftest import ROOT

    main = types.ModuleType("__main__")
    main.__file__ = str(ROOT / "app.py")
    monkeypatch.setitem(sys.modules, "__main__", main)


def test_an_uploads_worker_loads_nothing_of_the_app(tmp_path, monkeypatch):
    """A worker that ran the whole page before reading (app.py unguarded) held 213 MB and 1.5 s
    of CPU, and the pool keeps CONCURRENT_IMPORTS of them waiting: the memory the soak test saw
    kept after a wave of uploads."""
    as_streamlit_runs_the_app(monkeypatch)
    monkeypatch.setattr(session, "_POOL", None)
    monkeypatch.setattr(session, "read", app_modules_here)
    try:
        assert session.read_apart(plus_csv({}), "f.csv", 10 * MB, "l", tmp_path / "w") == []
    finally:
        if session._POOL is not None:
            session._POOL.shutdown()


@pytest.mark.parametrize("file_id, folder", [("a/1", "a_1"), ("x-y_z", "x-y_z"), ("", "file"), ("é.ü", "é_ü"), ("k" * 90, "k" * 80)])  # fmt: skip
def test_an_uploads_folder_is_its_id_made_safe(file_id, folder):
    assert session._safe(file_id) == folder


def test_the_session_folder_and_its_removal(uploads):
    assert uploads.dir.name.startswith("sinorus-session-") and uploads.dir.is_dir()
    assert uploads.closed is False
    uploads.close()
    assert uploads.closed is True and not uploads.dir.exists()


def test_at_most_two_imports_at_once_by_default():
    assert session.CONCURRENT_IMPORTS == 2


def test_the_same_dataset_and_files_give_the_same_outcome_and_others_a_new_one(ds, uploads, in_process):  # fmt: skip
    a, b = upload("a", plus_csv({}), "a.csv"), upload("b", plus_csv({"refYear": "2021"}), "b.csv")
    first = uploads.update(ds, [a], 10 * MB, "l")
    assert uploads.update(ds, [a], 10 * MB, "l") is first
    both = uploads.update(ds, [a, b], 10 * MB, "l")
    assert both is not first and len(both.dataset.trade_flows) == 2
    assert uploads.update(ds, [a, b], 10 * MB, "l") is both
    again = uploads.update(ds, [a], 10 * MB, "l")
    assert again is not first and len(again.dataset.trade_flows) == 1
    assert sorted(p.name for p in uploads.dir.iterdir()) == ["a", "combined"]  # b forgotten


# --- Read once, cached per dataset and file list, refused with the limit's name, cleaned up ------


PLUS_CSV = Path(__file__).resolve().parent / "fixtures" / "comtrade-plus-synthetic.csv"
DATA = PLUS_CSV.read_bytes()


def fixture_upload(file_id, data=DATA, name="plus-synthetic.csv"):
    return upload(file_id, data, name)


def test_the_same_files_and_dataset_give_the_same_outcome_without_reading_again(ds, pkg, uploads):
    first = uploads.update(ds, [fixture_upload("a")], 10 * MB, "limit")
    assert uploads.update(ds, [fixture_upload("a")], 10 * MB, "limit") is first
    # another dataset (a reloaded package): combined anew, with the file not read again
    other = load(pkg)
    again = uploads.update(other, [fixture_upload("a")], 10 * MB, "limit")
    assert again is not first and again.dataset is not first.dataset
    assert len(again.dataset.trade_flows) == len(first.dataset.trade_flows) == 26
    assert uploads.update(other, [fixture_upload("a")], 10 * MB, "limit") is again


def test_an_upload_over_the_limit_is_refused_naming_the_setting(ds, uploads):
    outcome = uploads.update(
        ds, [fixture_upload("big")], len(DATA) - 1, "SINORUS_MAX_FILE_MB (test)"
    )
    [(file, error)] = outcome.refused
    assert file == "plus-synthetic.csv" and outcome.dataset is ds
    assert "SINORUS_MAX_FILE_MB (test)" in error.problems[0].message


def test_files_that_disagree_are_refused_together_by_name(ds, uploads):
    lines = DATA.decode().splitlines()
    revised = (lines[0] + "\n" + lines[1].replace("50000000000.0", "50500000000.0") + "\n").encode()
    outcome = uploads.update(
        ds,
        [fixture_upload("a"), fixture_upload("b", revised, "revised-synthetic.csv")],
        10 * MB,
        "limit",
    )
    assert [file for file, _ in outcome.refused] == ["plus-synthetic.csv, revised-synthetic.csv"]
    assert outcome.dataset is ds


def test_a_new_file_list_is_combined_afresh(ds, uploads):
    obs = (PLUS_CSV.parent / "observations-synthetic.csv").read_bytes()
    alone = uploads.update(ds, [fixture_upload("o", obs, "obs-synthetic.csv")], 10 * MB, "l")
    n = len(alone.dataset.trade_flows)
    assert not alone.refused and 0 < n
    both = uploads.update(
        ds, [fixture_upload("o", obs, "obs-synthetic.csv"), fixture_upload("a")], 10 * MB, "l"
    )
    assert not both.refused and len(both.dataset.trade_flows) == n + 26
    plus = uploads.update(ds, [fixture_upload("a")], 10 * MB, "l")
    assert not plus.refused and len(plus.dataset.trade_flows) == 26


def test_closing_removes_the_folder_even_if_it_is_already_gone():
    u = session.Uploads()
    assert u.dir.name.startswith("sinorus-session-") and u.dir.is_dir()
    shutil.rmtree(u.dir)  # a temporary-file cleaner got there first
    u.close()
    assert u.closed and not u.dir.exists()


def test_a_file_taken_off_the_upload_list_is_forgotten_and_its_directory_removed(ds):
    calls = []
    data = PLUS_CSV.read_bytes()

    def upload(file_id):
        return session.Upload(file_id, "plus-synthetic.csv", len(data), lambda: calls.append(file_id) or data)  # fmt: skip

    uploads = session.Uploads()
    try:
        first = uploads.update(ds, [upload("a/1")], 10 * MB, "limit")
        assert not first.refused and calls == ["a/1"]
        folder = uploads.dir / "a_1"
        assert folder.is_dir()
        uploads.update(ds, [], 10 * MB, "limit")
        assert not folder.exists()
        # forgotten: the same file uploaded again is read again
        uploads.update(ds, [upload("a/1")], 10 * MB, "limit")
        assert calls == ["a/1", "a/1"] and folder.is_dir()
        # a directory already gone (a temporary-file cleaner) is no error
        shutil.rmtree(folder)
        assert not uploads.update(ds, [upload("b")], 10 * MB, "limit").refused
        assert calls == ["a/1", "a/1", "b"]
    finally:
        uploads.close()
