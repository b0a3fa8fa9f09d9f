"""Tests that kill mutants `make mutate` found alive in sinorus/charts.py's log axis
(docs/mutation.md): which values it refuses, and ticks below 1."""

import pytest

from sinorus import charts


@pytest.mark.parametrize("lo, hi", [(0, 5), (-1, 5), (5, 0), (5, -1), (0, 0)])
def test_log_ticks_refuse_zero_and_negative_ends(lo, hi):
    with pytest.raises(ValueError, match="^a log axis needs positive values$"):
        charts.log_ticks(lo, hi)


def test_log_ticks_below_one_are_written_as_they_are():
    assert charts.log_ticks(0.2, 0.5) == ([0.2, 0.5], ["0.2", "0.5"])
    assert charts.log_ticks(0.3, 7) == ([0.2, 0.5, 1.0, 2.0, 5.0, 10.0], ["0.2", "0.5", "1", "2", "5", "10"])  # fmt: skip
