"""Tests that kill mutants `make mutate` found alive in sinorus/urlstate.py (docs/mutation.md):
a bad parameter is quoted in its notice, cut after 24 characters."""

import pytest

from sinorus import urlstate

SPAN = (1992, 2007)


@pytest.mark.parametrize(
    "raw, quoted",
    [("a" * 24, "'" + "a" * 24 + "'"), ("a" * 25, "'" + "a" * 24 + "…'"), ("x", "'x'")],
)
def test_a_bad_year_is_quoted_whole_up_to_24_characters_then_cut(raw, quoted):
    state, notices = urlstate.parse({"from": [raw]}, SPAN)
    assert state["year_range"] == SPAN
    assert notices == [f"URL parameter 'from={quoted}' is not a year; using 1992."]
