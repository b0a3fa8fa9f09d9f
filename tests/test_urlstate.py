"""Whatever a URL holds, the view is valid and the reader is told what was fixed."""

import pytest

from sinorus import urlstate
from sinorus.urlstate import parse, to_params

SPAN = (1992, 2007)


@pytest.mark.parametrize("params, years, notice", [
    ({}, (1992, 2007), None),
    ({"from": ["1995"], "to": ["2006"]}, (1995, 2006), None),
    ({"from": ["2006"], "to": ["1995"]}, (1995, 2006), "reversed"),
    ({"from": ["abc"]}, (1992, 2007), "not a year"),
    ({"from": ["1995.5"]}, (1992, 2007), "not a year"),
    ({"to": ["-5"]}, (1992, 1992), "outside the data"),
    ({"from": ["1" + "0" * 30]}, (1992, 2007), "not a year"),
    ({"from": ["100000"]}, (2007, 2007), "outside the data"),
    ({"from": ["1900"], "to": ["3000"]}, (1992, 2007), "outside the data"),
    ({"from": ["1995", "2000"]}, (1995, 2007), "given 2 times"),
    ({"from": ["١٩٩٥"]}, (1992, 2007), "not a year"),
    ({"from": ["x" * 5000]}, (1992, 2007), "not a year"),
    ({"from": [" 1995 "]}, (1995, 2007), None),
    ({"utm_source": ["mail"]}, (1992, 2007), "unknown URL parameter"),
    ({"from": [""]}, (1992, 2007), "not a year"),
])  # fmt: skip
def test_parse(params, years, notice):
    state, notices = parse(params, SPAN)
    assert state["year_range"] == years
    lo, hi = state["year_range"]
    assert SPAN[0] <= lo <= hi <= SPAN[1]
    if notice is None:
        assert notices == []
    else:
        assert any(notice in n for n in notices), notices
        assert all(len(n) < 200 for n in notices)


@pytest.mark.parametrize(
    "key, value, expected, noticed",
    [("scale", "log", "log", False), ("scale", "linear", "linear", False), ("scale", "cubic", "linear", True),
     ("view", "data", "data", False), ("view", "yours", "yours", False), ("view", "admin", "trade", True)],
)  # fmt: skip
def test_scale_and_view(key, value, expected, noticed):
    state, notices = parse({key: [value]}, SPAN)
    assert state[key] == expected
    assert bool(notices) is noticed


def test_to_params_round_trip():
    state = {"year_range": (1995, 2006), "scale": "log", "record": True, "reports": False, "events": True, "view": "data"}  # fmt: skip
    params = to_params(state, SPAN)
    assert params == {"from": "1995", "to": "2006", "scale": "log", "reports": "off", "view": "data"}  # fmt: skip
    assert parse({k: [v] for k, v in params.items()}, SPAN)[0] == state
    state = {**state, "record": False, "events": False}
    params = to_params(state, SPAN)
    assert params["record"] == "off" and params["events"] == "off"
    assert parse({k: [v] for k, v in params.items()}, SPAN)[0] == state
    assert to_params({"year_range": SPAN, "scale": "linear"}, SPAN) == {}


@pytest.mark.parametrize(
    "value, shown, noticed",
    [(None, True, False), ("on", True, False), ("off", False, False), ("no", True, True),
     ("<b>off</b>", True, True), ("OFF", True, True)],
)  # fmt: skip
def test_reports_layer(value, shown, noticed):
    state, notices = parse({"reports": [value]} if value else {}, SPAN)
    assert state["reports"] is shown
    assert bool(notices) is noticed
    assert all("later reports" in n and "<b>" not in n.replace("'<b>off</b>'", "") for n in notices)


WIDE, DEFAULT = (1992, 2024), (1992, 2007)


@pytest.mark.parametrize("params, years, notice", [
    ({}, (1992, 2007), None),  # no years: the documents' years, not the whole slider
    ({"from": ["1992"], "to": ["2024"]}, (1992, 2024), None),
    ({"from": ["1995"]}, (1995, 2007), None),
    ({"from": ["2010"]}, (2010, 2024), None),  # not reversed against the default's end
    ({"to": ["2000"]}, (1992, 2000), None),
    ({"to": ["3000"]}, (1992, 2024), "outside the data (1992–2024)"),
    ({"from": ["abc"], "to": ["2020"]}, (1992, 2020), "not a year"),
])  # fmt: skip
def test_default_range_within_a_wider_span(params, years, notice):
    state, notices = parse(params, WIDE, DEFAULT)
    assert state["year_range"] == years
    assert (notices == []) if notice is None else any(notice in n for n in notices)


def test_to_params_leaves_out_the_default_range_not_the_span():
    assert to_params({"year_range": DEFAULT}, WIDE, DEFAULT) == {}
    assert to_params({"year_range": WIDE}, WIDE, DEFAULT) == {"from": "1992", "to": "2024"}


@pytest.mark.parametrize("key, words", [("record", "official record"), ("events", "events")])
@pytest.mark.parametrize(
    "value, shown, noticed",
    [(None, True, False), ("on", True, False), ("off", False, False), ("no", True, True)],
)
def test_record_and_events_switches(key, words, value, shown, noticed):
    state, notices = parse({key: [value]} if value else {}, SPAN)
    assert state[key] is shown
    assert bool(notices) is noticed
    assert all(f" {key}='{value}' " in n and words in n for n in notices)


@pytest.mark.parametrize("key", ["from", "to", "scale", "record", "reports", "events", "view"])
def test_a_bad_value_is_quoted_once(key):
    """`from='abc'`, not `'from='abc''`: one pair of quotes round the value the URL gave."""
    state, notices = parse({key: ["abc"]}, SPAN)
    assert len(notices) == 1
    assert f"URL parameter {key}='abc' " in notices[0]
    assert notices[0].count("'") == 2, notices[0]


# --- an address the server drops --------------------------------------------------------------


def test_the_dropped_address_notice_promises_only_the_limit_that_holds():
    """The notice names Streamlit's limit on parameters, and no length limit: Streamlit's own
    (512 Ki characters) is never reached, as its HTTP server refuses far shorter addresses."""
    from streamlit.runtime.state import query_params

    from sinorus.ui import state

    limit = getattr(query_params, "CLIENT_STATE_QUERY_STRING_MAX_FIELDS", None)  # from 1.67
    if limit is None:  # Streamlit 1.65 and 1.66 (the floor): the same limit, a private name
        limit = query_params._CLIENT_STATE_QUERY_STRING_MAX_FIELDS
    assert state.MAX_URL_PARAMETERS == limit
    assert "(at most 1,000 parameters)" in state._UNREAD_URL
    assert "512" not in state._UNREAD_URL and "KiB" not in state._UNREAD_URL


@pytest.mark.browser
def test_the_server_reads_addresses_the_notice_covers_and_refuses_longer_ones(server):
    """A real server: an address of 1,001 parameters (over the limit the notice names) loads
    the page, so the notice can be shown; one of 512 Ki characters never reaches the page."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(server)

    def status(query: str):
        conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
        try:
            conn.request("GET", "/?" + query)
            return conn.getresponse().status
        except OSError:  # the connection reset
            return None
        finally:
            conn.close()

    assert status("&".join(f"p{i}=x" for i in range(1001))) == 200
    assert status("a=" + "x" * (512 * 1024)) != 200


# --- A bad parameter quoted in its notice; unknown ones named; parameters written back -----------


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
