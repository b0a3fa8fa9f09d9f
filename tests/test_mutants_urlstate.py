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
    assert notices == [f"URL parameter from={quoted} is not a year; using 1992."]


def test_the_first_year_itself_is_inside_the_data():
    assert urlstate.parse({"from": ["1992"], "to": ["1992"]}, SPAN) == (
        {
            "year_range": (1992, 1992),
            "scale": "linear",
            "record": True,
            "reports": True,
            "events": True,
            "view": "trade",
        },
        [],
    )


def test_a_bad_scale_and_a_bad_view_are_quoted_in_their_notices():
    state, notices = urlstate.parse({"scale": ["cubic", "log"], "view": ["charts"]}, SPAN)
    assert state == {"year_range": SPAN, "scale": "linear", "record": True, "reports": True, "events": True, "view": "trade"}  # fmt: skip
    assert notices == [
        "URL parameter scale='cubic' is not one of linear, log; using linear.",
        "URL parameter view='charts' is not one of trade, composition, data, claims, sources, yours; "
        "showing trade.",
    ]


@pytest.mark.parametrize(
    "names, listed",
    [(["b", "a"], "'a', 'b'"),
     (["e", "d", "c", "b", "a"], "'a', 'b', 'c', 'd', 'e'"),
     (["f", "e", "d", "c", "b", "a"], "'a', 'b', 'c', 'd', 'e' …")],
)  # fmt: skip
def test_unknown_parameters_are_named_five_at_most(names, listed):
    params = {name: ["1"] for name in names} | {"from": ["1995"]}
    state, notices = urlstate.parse(params, SPAN)
    assert state["year_range"] == (1995, 2007)
    assert notices == [f"Ignored unknown URL parameter(s): {listed}."]


def test_a_state_without_scale_or_view_gives_no_parameters():
    assert urlstate.to_params({"year_range": SPAN}, SPAN) == {}
    assert urlstate.to_params({"year_range": (1995, 2007), "scale": "log"}, SPAN) == {
        "from": "1995", "to": "2007", "scale": "log"
    }  # fmt: skip
