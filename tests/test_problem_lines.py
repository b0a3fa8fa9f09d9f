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
        test_load.edit_csv((pkg := fresh_package(tmp_path, str(i))) / file, row, column, value)
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


def lines_of(result):
    return [str(p) for p in result.problems]


def test_comtrade_cells(tmp_path):
    year = {"refYear": "2023", "period": "2023"}
    cases = {", ".join(f"{k}={v[:12]!r}" for k, v in cells.items()): lines_of(test_comtrade.rd(plus_csv(cells, year), tmp_path)) for cells, _ in test_comtrade.BAD_PLUS}  # fmt: skip
    problem_lines.check("comtrade-cells", cases)


def test_parse_headers(tmp_path):
    cases = {h[:60]: lines_of(test_parse.rd((h + "\n1,2,3\n").encode(), tmp_path)) for h, _ in test_parse.HEADERS}  # fmt: skip
    problem_lines.check("parse-headers", cases)


def test_parse_json(tmp_path):
    cases = {f"{i}: {repr(doc[:60])[2:-1]}": lines_of(test_parse.rd(doc, tmp_path, test_parse.J)) for i, (doc, _, _) in enumerate(test_parse.JSON_CASES)}  # fmt: skip
    problem_lines.check("parse-json", cases)


def test_observation_cells():
    cases = {str(c): lines_of(read(test_importers.obs_cells_csv(c), "obs-synthetic.csv")) for c, _, _ in test_importers.OBS_CELLS}  # fmt: skip
    problem_lines.check("observation-cells", cases)


def test_fetch_responses():
    cases = {f"{i}: {repr(body[:60])[2:-1]}": [test_fetch.parse_error(body)] for i, (body, _) in enumerate(test_fetch.PARSE_ERRORS)}  # fmt: skip
    problem_lines.check("fetch-responses", cases)


def test_comtrade_files(tmp_path):
    cases = {
        "legacy-synthetic.csv": test_comtrade.legacy_bad_cells(),
        "api-synthetic.json": test_comtrade.json_conflict(),
    }
    problem_lines.check("comtrade-files", {name: lines_of(read(data, name, workdir=tmp_path)) for name, data in cases.items()})  # fmt: skip
