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


def _log_axis(values):
    fig = charts.apply_log_axis(charts.go.Figure(), values=values)
    return fig.layout.yaxis.to_plotly_json()


def test_log_axis_leaves_out_missing_zero_and_negative_values():
    """Only positive values set the ticks: None, NaN, 0 and negatives are not on a log axis."""
    assert _log_axis([None, float("nan"), 0, -3, 2, 30]) == _log_axis([2, 30])
    assert _log_axis([2, 30])["tickvals"] == [2.0, 5.0, 10.0, 20.0, 50.0]


def test_log_axis_of_nothing_positive_leaves_the_figure_alone():
    assert _log_axis([None, 0, -1]) == {}


def test_log_axis_reads_the_traces_that_have_y_and_skips_the_rest():
    fig = charts.go.Figure([charts.go.Pie(values=[1, 2]), charts.go.Scatter(x=[1, 2], y=[3, 40])])
    charts.apply_log_axis(fig)
    assert fig.layout.yaxis.tickvals == (2.0, 5.0, 10.0, 20.0, 50.0)


@pytest.mark.parametrize("last, dtick", [(2007, 1), (2008, None)])
def test_trade_chart_ticks_every_year_below_eight_years_shown(ds, last, dtick):
    """Under eight years between the first and last mark, a tick per year; from eight, Plotly's."""
    from sinorus import transform

    trade = transform.trade_series(ds, (2006, 2007)).assign(year=[2000] + [last] * 2)
    fig = charts.trade_timeseries(trade, transform._trade_by_year(trade))
    assert fig.layout.xaxis.dtick == dtick


def test_a_qualifier_outside_the_vocabulary_is_drawn_as_a_plain_circle_and_written_as_itself():
    """Imported observation tables may carry qualifiers the documents never use."""
    marker = charts.qualifier_marker(["nearly", "roughly"], "#123456")
    assert marker["symbol"] == ["triangle-down", "circle"]
    assert charts.qualified(5, "roughly") == "roughly US$5 bn"
    assert charts.qualified(5, "nearly / roughly") == "nearly / roughly US$5 bn"


def test_log_axis_keeps_values_below_one():
    assert _log_axis([0.3, 30])["tickvals"] == [0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
