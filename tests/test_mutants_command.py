"""Tests that kill mutants `make mutate` found alive in sinorus/importers/command.py
(docs/mutation.md). `tests/test_importers.py` runs `sinorus import` in a subprocess, which
mutmut's coverage cannot see (no test was linked to the command); these run it in-process
and check its output line by line. Fixtures are SYNTHETIC (tests/fixtures)."""

import re
import sys
from pathlib import Path

import pytest

from sinorus import cli
from sinorus.importers import command

FIX = Path(__file__).resolve().parent / "fixtures"
PLUS_CSV = FIX / "comtrade-plus-synthetic.csv"
BROKEN = FIX / "comtrade-plus-synthetic-broken.csv"


def sinorus(capsys, *argv):
    code = cli.main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_import_prints_each_files_summary_then_what_it_wrote(capsys, tmp_path):
    code, out, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")
    assert code == 0 and err == ""  # not a terminal: no progress lines
    lines = out.splitlines()
    assert lines[0].startswith(
        "comtrade-plus-synthetic.csv: UN Comtrade+ CSV (API v1 layout), 32 data row(s) read"
    )
    assert "  skipped 1: other country pair (CHN–USA)" in lines
    assert lines[-1] == (
        f"wrote {tmp_path / 'pkg'}: valid data package; 26 imported row(s) from 1 file(s) "
        "(26 trade_flows rows, 6 sources)"
    )


def test_on_a_terminal_each_file_says_when_it_starts_and_how_long_it_took(capsys, monkeypatch, tmp_path):  # fmt: skip
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")
    assert code == 0
    reading, took = err.splitlines()
    assert reading == f"reading {PLUS_CSV} …"
    seconds = re.fullmatch(r"  32 row\(s\) in (\d+\.\d) s", took)
    assert seconds and 0 <= float(seconds.group(1)) < 60


def test_files_are_read_in_a_hidden_folder_beside_the_package(capsys, monkeypatch, tmp_path):
    seen = []
    real = command.read
    monkeypatch.setattr(command, "read", lambda path, workdir: seen.append(Path(workdir)) or real(path, workdir=workdir))  # fmt: skip
    assert sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")[0] == 0
    [work] = seen
    assert work.parent == tmp_path and work.name.startswith(".sinorus-import-")
    assert not work.exists()


def test_a_missing_parent_is_one_line_and_exit_1(capsys, tmp_path):
    into = tmp_path / "nope" / "pkg"
    assert sinorus(capsys, PLUS_CSV, "--into", into) == (
        1, "", f"error: {into}: its parent {into.parent} does not exist (create it first)\n"
    )  # fmt: skip


def test_a_rejected_file_writes_nothing_and_says_so(capsys, tmp_path):
    code, out, err = sinorus(capsys, PLUS_CSV, BROKEN, "--into", tmp_path / "pkg")
    assert code == 1 and not (tmp_path / "pkg").exists()
    assert "  comtrade-plus-synthetic-broken.csv:4: flowCode: 'Z' is not a UN Comtrade flow code" in out  # fmt: skip
    assert err == f"error: 1 file(s) rejected; nothing written to {tmp_path / 'pkg'}\n"


def test_a_package_that_cannot_be_written_lists_why(capsys, tmp_path):
    into = tmp_path / "pkg"
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", into, "--data", tmp_path)
    assert code == 1 and not into.exists()
    assert err == (
        f"error: cannot write {into} from {tmp_path}; nothing written:\n"
        "  datapackage.json: file not found (expected the package descriptor)\n"
    )
    (tmp_path / "taken").write_text("x")
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "taken")
    assert code == 1 and err.startswith(f"error: cannot write {tmp_path / 'taken'} from ")
    assert err.endswith(f"  {tmp_path / 'taken'}: already exists and is not empty (expected a new directory, or an empty one)\n")  # fmt: skip


@pytest.mark.parametrize("error, said", [(OSError(28, "No space left on device"), "No space left on device"),
                                         (OSError("disk gone"), "disk gone")])  # fmt: skip
def test_a_disk_error_is_one_line(capsys, monkeypatch, tmp_path, error, said):
    def fail(*_):
        raise error

    monkeypatch.setattr(command, "write_package", fail)
    code, _, err = sinorus(capsys, PLUS_CSV, "--into", tmp_path / "pkg")
    assert code == 1
    assert err == f"error: {tmp_path / 'pkg'}: {said}; nothing written (check the path and free space)\n"  # fmt: skip


def test_the_help_says_what_import_does_and_names_its_arguments(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    top = " ".join(capsys.readouterr().out.split())
    assert (
        "import read UN Comtrade (CSV/JSON, new or legacy) or observation CSV files into a new "
        "data package; prints what was kept, skipped and why" in top
    )
    with pytest.raises(SystemExit):
        cli.main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("FILE [FILE ...]", "FILE files to import", "--into DIR new package directory to write"):  # fmt: skip
        assert words in text, words
