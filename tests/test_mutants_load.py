"""Boundaries of the package checks that `make mutate` found unpinned in sinorus/load.py
(docs/mutation.md): a share of exactly 100 percent, and a period that starts in its own year."""

from sinorus.load import validate
from tests.test_load import edit_csv


def _at(pkg, field):
    return [str(p) for p in validate(pkg) if p.field == field]


def test_a_share_of_exactly_100_percent_is_accepted_and_above_refused(pkg):
    edit_csv(pkg / "observations.csv", 7, "value", "100")
    assert not [p for p in _at(pkg, "value") if "above 100" in p]
    edit_csv(pkg / "observations.csv", 7, "value", "100.5")
    assert "observations.csv:7: value: 100.5 is above 100 (expected a percentage)" in _at(
        pkg, "value"
    )


def test_a_period_may_start_in_its_own_year_but_not_after_it(pkg):
    edit_csv(pkg / "observations.csv", 2, "year_start", "1992")
    assert _at(pkg, "year_start") == []
    edit_csv(pkg / "observations.csv", 2, "year_start", "1993")
    assert _at(pkg, "year_start") == [
        "observations.csv:2: year_start: 1993 is after year 1992 (expected the first year of the period)"
    ]
