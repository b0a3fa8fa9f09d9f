"""Tests that kill mutants `make mutate` found alive in sinorus/importers/comtrade_api.py
(docs/mutation.md): how long the API asks to wait (urllib3's Retry with the API's own
sentence), and what an error response says."""

import email.utils
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from sinorus.importers import comtrade_api as api


def response(retry_after=None, reason="Too Many Requests"):
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return SimpleNamespace(headers=headers, reason=reason)


@pytest.mark.parametrize(
    "body, seconds",
    [(b'{"message": "Rate limit is exceeded. Try again in 8 seconds."}', 8.0),
     (b'{"message": "rate limit exceeded; TRY AGAIN IN 30 SECONDS"}', 30.0),
     (b"try again in 4 seconds", 4.0), (b'{"message": "quota used up"}', None),
     (b"Try again in a few seconds", None), (b"", None)],
)  # fmt: skip
def test_the_apis_sentence_says_how_long_to_wait(body, seconds):
    assert api._try_again(body) == seconds


def waited(monkeypatch, retry, resp) -> list[float]:
    waits = []
    monkeypatch.setattr(api, "_sleep", waits.append)
    retry.sleep(resp)
    return waits


@pytest.mark.parametrize(
    "header, hint, waits",
    [(" 12 ", None, [12.0]), ("12", 3.0, [12.0]), ("1.5", 3.0, [3.0]), ("soon", None, []),
     ("Wed, 21 Oct 2015 07:28:00 GMT", 5.0, [])],
)  # fmt: skip
def test_retry_after_then_the_sentence_then_the_backoff(monkeypatch, header, hint, waits):
    retry = api._retry()
    retry.hint = hint
    assert waited(monkeypatch, retry, response(header)) == waits  # a past date: at once


@pytest.mark.parametrize("zone", ["GMT", "-0000"], ids=["aware", "naive"])
def test_retry_after_a_future_date_is_the_seconds_until_then(monkeypatch, zone):
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=110)
    header = email.utils.format_datetime(when, usegmt=zone == "GMT")
    if zone == "-0000":
        header = header.replace("+0000", "-0000")  # no zone: read as UTC
    [wait] = waited(monkeypatch, api._retry(), response(header))
    assert 90 <= wait <= 110


def test_a_wait_over_two_minutes_is_refused(monkeypatch):
    retry = api._retry()
    retry.said = "HTTP 429: busy"
    with pytest.raises(api._Refused, match=r"asks to wait 121 s before the next request \(HTTP 429: busy\)"):  # fmt: skip
        waited(monkeypatch, retry, response("121"))


@pytest.mark.parametrize(
    "body, reason, said",
    [(b'{"message": "SYNTHETIC:  out\\nof quota ", "error": "e"}', None, "SYNTHETIC: out of quota"),
     (b'{"message": "  ", "error": "no  key"}', None, "no key"),
     (b'{"message": 5, "errorObject": {"errorMessage": "deep"}}', None, "deep"),
     (b'{"errorObject": "flat", "error": ""}', None, '{"errorObject": "flat", "error": ""}'),
     (b"[1, 2]", None, "[1, 2]"),
     (b"<html>\n  Bad   gateway </html>", None, "<html> Bad gateway </html>"),
     (b"\xffoops", None, "\ufffdoops"),
     (b"", " Service Unavailable ", "Service Unavailable"),
     (b" \n ", None, "no message"),
     (b"", "", "no message"),
     (b"[" * 100_000, None, "[" * 199 + "…")],
)  # fmt: skip
def test_an_error_response_is_said_on_one_line(body, reason, said):
    resp = None if reason is None else response(reason=reason)
    assert api._reason(body, resp) == said


def test_a_long_message_is_cut_at_200_characters():
    said = api._reason(b'{"message": "' + b"x" * 300 + b'"}')
    assert said == "x" * 199 + "…" and len(said) == 200
    assert api._reason(b'{"message": "' + b"y" * 200 + b'"}') == "y" * 200


def test_a_query_splits_years_first_then_reporters_then_flows():
    q = api.Query(years=(2020, 2021, 2022))
    assert [s.years for s in q.split()] == [(2020, 2021), (2022,)]
    two = api.Query(years=(2020, 2021))
    assert [s.years for s in two.split()] == [(2020,), (2021,)]
    assert all(s.reporters == two.reporters and s.flows == two.flows for s in two.split())
    one = api.Query(years=(2020,))
    assert [s.reporters for s in one.split()] == [("156",), ("643",)]
    single = api.Query(years=(2020,), reporters=("156",))
    assert [s.flows for s in single.split()] == [(f,) for f in api.FLOWS]
    assert api.Query(years=(2020,), reporters=("156",), flows=("M",)).split() == []
