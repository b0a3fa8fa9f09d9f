"""Tests that kill mutants `make mutate` found alive in sinorus/importers/observations.py
(docs/mutation.md): each bad cell of an observation table is a problem at its row and field,
in its own words. Fixtures are SYNTHETIC (tests/fixtures)."""

from pathlib import Path

import pytest

from sinorus.importers import read

OBS = Path(__file__).resolve().parent / "fixtures" / "observations-synthetic.csv"
HEADER, GOOD, SECOND = OBS.read_text(encoding="utf-8").splitlines()[:3]


def row(**cells) -> str:
    out = dict(zip(HEADER.split(","), GOOD.split(","), strict=True)) | {"id": "syn-bad"} | cells
    return ",".join(out.values())


@pytest.mark.parametrize(
    "bad, problem",
    [
        (row(indicator=""), "indicator: is empty (expected e.g. trade_total)"),
        (row(id=""), "id: is empty (expected the row's identifier)"),
        (row(id="syn-2008"), "id: 'syn-2008' repeats row 2 (expected unique ids)"),
        (row(id="syn 2008 x"), None),  # an id with spaces is fine
        (row(year="20x8"), "year: '20x8' is not a year (expected a whole number such as 2006)"),
        (row(year="1700"), "year: 1700 is out of range (expected 1900–2100)"),
        (row(value=""), "value: is empty (expected a number)"),
        (row(value="abc"), "value: 'abc' is not a number (expected the value in USD bn)"),
        (row(value="-1.5"), "value: -1.5 is negative (expected at least 0)"),
        (row(unit="percent"), "unit: 'percent' cannot be used (expected USD bn for a trade value)"),
        (row(qualifier="roughly"), "qualifier: 'roughly' is not allowed (expected one of: exact, about, nearly, at_least)"),
    ],
)  # fmt: skip
def test_each_bad_observation_cell_is_a_problem_at_its_row_and_field(bad, problem):
    result = read(f"{HEADER}\n{GOOD}\n{bad}\n".encode(), "obs-synthetic.csv")
    if problem is None:
        assert result.ok and result.kept == 2
        return
    assert not result.ok and result.problem_count == 1
    assert [str(p) for p in result.problems] == [f"obs-synthetic.csv:3: {problem}"]


def test_a_repeated_id_names_the_row_it_first_appeared_on():
    spaced = row(id="syn 2008 x")
    data = f"{HEADER}\n{SECOND}\n{spaced}\n{row()}\n{spaced}\n".encode()
    result = read(data, "obs-synthetic.csv")
    assert [str(p) for p in result.problems] == [
        "obs-synthetic.csv:5: id: 'syn 2008 x' repeats row 3 (expected unique ids)"
    ]
