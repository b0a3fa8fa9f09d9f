"""Pinned behaviour of one reader's uploads (sinorus/importers/session.py) and of `sinorus
import` (sinorus/importers/command.py): what an outcome holds (reports, refusals with their exact
lines, the dataset), the child process's fallbacks, the folder names, and the command's lines for
several files. Inputs are SYNTHETIC, written in the test."""

import pytest

from sinorus import cli
from sinorus.importers import command, session
from sinorus.importers.common import ImportResult
from tests.pinned_inputs import plus_csv, source_id, upload

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


# --- sinorus import ------------------------------------------------------------------------------


def sinorus(capsys, *argv):
    code = cli.main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_import_of_two_files_prints_both_summaries_in_order_then_the_total(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(plus_csv({}, {"flowCode": "M"}))
    b.write_bytes(plus_csv({"refYear": "2021"}, {"freqCode": "M"}))
    into = tmp_path / "pkg"
    code, out, err = sinorus(capsys, a, b, "--into", into)
    assert (code, err) == (0, "")
    assert (
        out.splitlines()
        == [
            "a.csv: UN Comtrade+ CSV (API v1 layout), 2 data row(s) read",
            f"  kept 2 row(s) as source '{source_id(a.read_bytes())}'",
            "b.csv: UN Comtrade+ CSV (API v1 layout), 2 data row(s) read",
            f"  kept 1 row(s) as source '{source_id(b.read_bytes())}'",
            "  skipped 1: monthly or quarterly figures: only annual figures are used",
            f"wrote {into}: valid data package; 3 imported row(s) from 2 file(s) (3 trade_flows rows, 7 sources)",  # fmt: skip
        ]
    )


def test_every_rejected_file_is_counted_and_nothing_written(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(plus_csv({"refYear": "x"}))
    b.write_bytes(b"")
    code, out, err = sinorus(capsys, a, b, "--into", tmp_path / "pkg")
    assert code == 1 and err == f"error: 2 file(s) rejected; nothing written to {tmp_path / 'pkg'}\n"  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_an_import_starts_from_the_package_given(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(plus_csv({}))
    b.write_bytes(plus_csv({"refYear": "2021"}))
    assert sinorus(capsys, a, "--into", tmp_path / "one")[0] == 0
    code, out, _ = sinorus(capsys, b, "--into", tmp_path / "two", "--data", tmp_path / "one")
    assert code == 0
    assert out.splitlines()[-1] == f"wrote {tmp_path / 'two'}: valid data package; 1 imported row(s) from 1 file(s) (2 trade_flows rows, 7 sources)"  # fmt: skip


def test_an_os_error_without_strerror_says_its_text(capsys, monkeypatch, tmp_path):
    def fail(*_a, **_k):
        raise PermissionError("SYNTHETIC: read-only")

    monkeypatch.setattr(command, "write_package", fail)
    a = tmp_path / "a.csv"
    a.write_bytes(plus_csv({}))
    code, _, err = sinorus(capsys, a, "--into", tmp_path / "pkg")
    assert (code, err) == (1, f"error: {tmp_path / 'pkg'}: SYNTHETIC: read-only; nothing written (check the path and free space)\n")  # fmt: skip


def test_into_is_required(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        cli.main(["import", str(tmp_path / "a.csv")])
    assert info.value.code == 2
    assert "the following arguments are required: --into" in capsys.readouterr().err


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
