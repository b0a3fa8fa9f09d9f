"""The whole problem lines of every broken input the subject tests try, against the reviewed
copies in tests/golden/problems/ (`make golden` writes them again; review the diff). The subject
tests assert only where each problem is and a key phrase, so that a reworded message changes
one golden file, not dozens of tests."""

import shutil

import pytest

from sinorus.checks import DataError
from sinorus.importers import read
from sinorus.load import DEFAULT_DATA_DIR, load, validate
from tests import problem_lines, test_comtrade, test_fetch, test_importers, test_load, test_parse
from tests.trade_tables import plus_csv


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("SINORUS_CACHE_DIR", "off")
    for name in ("SINORUS_MAX_FILE_MB", "SINORUS_MAX_TEXT_MB"):
        monkeypatch.delenv(name, raising=False)


def fresh_package(tmp_path, name):
    dest = tmp_path / name / "data"
    shutil.copytree(DEFAULT_DATA_DIR, dest)
    return dest


def test_load_cells(tmp_path):
    cases = {}
    for i, (file, row, column, value, _) in enumerate(test_load.CELLS):
        pkg = fresh_package(tmp_path, str(i))
        test_load.edit_csv(pkg / file, row, column, value)
        cases[f"{file}:{row}: {column} = {value!r}"] = [str(p) for p in validate(pkg)]
    problem_lines.check("load-cells", cases)


def test_load_packages(tmp_path):
    cases = {}
    for name in test_load.PACKAGES:
        pkg = fresh_package(tmp_path, name)
        test_load.EDITS[name](pkg)
        with pytest.raises(DataError) as info:
            load(pkg)
        # the package's own place on this machine is not part of the words
        cases[name] = [line.replace(str(pkg), "<package>") for line in info.value.lines()]
    problem_lines.check("load-packages", cases)


def test_comtrade_cells(tmp_path):
    cases = {}
    for cells, _ in test_comtrade.BAD_PLUS:
        result = test_comtrade.rd(plus_csv(cells, {"refYear": "2023", "period": "2023"}), tmp_path)
        cases[", ".join(f"{k}={v[:12]!r}" for k, v in cells.items())] = [str(p) for p in result.problems]  # fmt: skip
    problem_lines.check("comtrade-cells", cases)


def test_parse_headers(tmp_path):
    cases = {}
    for header, _ in test_parse.HEADERS:
        result = test_parse.rd((header + "\n1,2,3\n").encode(), tmp_path)
        cases[header[:60]] = [str(p) for p in result.problems]
    problem_lines.check("parse-headers", cases)


def test_parse_json(tmp_path):
    cases = {}
    for i, (doc, _, _) in enumerate(test_parse.JSON_CASES):
        result = test_parse.rd(doc, tmp_path, test_parse.J)
        cases[f"{i}: {repr(doc[:60])[2:-1]}"] = [str(p) for p in result.problems]
    problem_lines.check("parse-json", cases)


def test_observation_cells():
    cases = {}
    for cells, _, _ in test_importers.OBS_CELLS:
        result = read(test_importers.obs_cells_csv(cells), "obs-synthetic.csv")
        cases[str(cells)] = [str(p) for p in result.problems]
    problem_lines.check("observation-cells", cases)


def test_fetch_responses():
    cases = {f"{i}: {repr(body[:60])[2:-1]}": [test_fetch.parse_error(body)] for i, (body, _) in enumerate(test_fetch.PARSE_ERRORS)}  # fmt: skip
    problem_lines.check("fetch-responses", cases)


def test_comtrade_files(tmp_path):
    cases = {
        "legacy-synthetic.csv": test_comtrade.legacy_bad_cells(),
        "api-synthetic.json": test_comtrade.json_conflict(),
    }
    problem_lines.check("comtrade-files", {name: [str(p) for p in read(data, name, workdir=tmp_path).problems] for name, data in cases.items()})  # fmt: skip
