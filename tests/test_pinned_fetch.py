"""Pinned behaviour of `sinorus fetch comtrade` (sinorus/importers/fetch.py) and the API client
(sinorus/importers/comtrade_api.py): the queries planned and their parameters, the words of every
refusal, retries and waits counted exactly, the response checks at their limits, the kept
response's query file and source row, and the command's lines. Against the local stand-in
(tests/comtrade_server.py): never the network. Values are SYNTHETIC."""

import hashlib
import json
import socket
from datetime import UTC, date, datetime

import pytest

from sinorus.cli import main
from sinorus.importers import comtrade_api as api
from sinorus.importers import fetch
from tests.comtrade_server import offline_client, serve

DESCRIBE = "China and Russia reporting, imports and exports, 2020, all goods (TOTAL)"


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path_factory):
    """No real waits (each recorded), no pacing, no key or address from the environment."""
    return offline_client(monkeypatch, tmp_path_factory.mktemp("cache"))


# --- queries -------------------------------------------------------------------------------------


def test_the_query_string_in_its_fixed_order():
    params = api.Query((2020, 2021)).params(500)
    assert list(params.items()) == [
        ("reporterCode", "156,643"), ("partnerCode", "643,156"), ("period", "2020,2021"),
        ("flowCode", "M,X"), ("cmdCode", "TOTAL"), ("partner2Code", "0"), ("customsCode", "C00"),
        ("motCode", "0"), ("breakdownMode", "classic"), ("includeDesc", "true"),
        ("maxRecords", "500"), ("format", "JSON"),
    ]  # fmt: skip
    one = api.Query((2020,), ("643",), ("X",), "6").params(100_000)
    assert (one["reporterCode"], one["partnerCode"], one["flowCode"], one["cmdCode"], one["maxRecords"]) == ("643", "156", "X", "TOTAL,AG6", "100000")  # fmt: skip


@pytest.mark.parametrize(
    "query, described, label",
    [(api.Query((2020,)), DESCRIBE, "2020"),
     (api.Query((1992, 1993, 1994), ("643",), ("X",), "2"), "Russia reporting, exports, 1992–1994, TOTAL and HS chapters (2-digit)", "1992–1994, Russia, exports"),
     (api.Query((2001, 2003), ("156",), ("M", "X"), "4"), "China reporting, imports and exports, 2001, 2003, TOTAL and HS headings (4-digit)", "2001, 2003, China"),
     (api.Query((2005,), ("156", "643"), ("M",), "6"), "China and Russia reporting, imports, 2005, TOTAL and HS subheadings (6-digit)", "2005, imports")],
)  # fmt: skip
def test_a_query_describes_and_labels_itself(query, described, label):
    assert (query.describe(), query.label()) == (described, label)


@pytest.mark.parametrize("years, span", [([2020], "2020"), ([2021, 2020], "2020–2021"), ([3, 1, 2], "1–3"), ([1, 3], "1, 3"), ([5, 1, 2], "1, 2, 5")])  # fmt: skip
def test_year_span(years, span):
    assert api.year_span(years) == span


def test_a_query_of_odd_years_splits_with_the_larger_half_first():
    q = api.Query((1, 2, 3, 4, 5), ("156",), ("M",), "2")
    assert q.split() == [api.Query((1, 2, 3), ("156",), ("M",), "2"), api.Query((4, 5), ("156",), ("M",), "2")]  # fmt: skip


@pytest.mark.parametrize(
    "args, expected",
    [((2020, 2020, "TOTAL", 4), [api.Query((2020,))]),
     ((2020, 2021, "TOTAL", 4), [api.Query((2020,)), api.Query((2021,))]),
     ((2020, 2021, "TOTAL", 8), [api.Query((2020, 2021))]),
     # 2 a year per reporter: a year a request; one reporter per flow would also take 4 (a tie: the earlier grouping)
     ((2020, 2021, "TOTAL", 3), [api.Query((y,), (r,)) for r in ("156", "643") for y in (2020, 2021)]),
     ((2020, 2020, "TOTAL", 1), [api.Query((2020,), (r,), (f,)) for r in ("156", "643") for f in ("M", "X")]),
     ((2020, 2022, "2", 500), [api.Query((y,), hs="2") for y in (2020, 2021, 2022)]),  # 392 a year: 3 requests
     ((2020, 2021, "2", 196), [api.Query((y,), (r,), hs="2") for r in ("156", "643") for y in (2020, 2021)]),
     ((2020, 2021, "2", 195), [api.Query((y,), (r,), (f,), "2") for r in ("156", "643") for f in ("M", "X") for y in (2020, 2021)]),
     ((1990, 2015, "TOTAL", 100_000), [api.Query(tuple(range(a, b))) for a, b in ((1990, 2002), (2002, 2014), (2014, 2016))])],
)  # fmt: skip
def test_the_plan_is_the_fewest_requests_within_the_limits(args, expected):
    assert api.plan(*args) == expected


def test_a_plan_that_cannot_fit_says_what_to_do_with_and_without_a_key():
    with pytest.raises(api.PlanError) as preview:
        api.plan(2020, 2020, "4", 500)
    assert str(preview.value) == "--hs 4 gives up to 1,229 records per reporter, flow and year, and one request returns at most 500 without a key: set COMTRADE_API_KEY (a free UN Comtrade key allows 100,000 per request) or use a coarser --hs"  # fmt: skip
    with pytest.raises(api.PlanError) as keyed:
        api.plan(2020, 2020, "6", 5000)
    assert str(keyed.value) == "--hs 6 gives up to 5,614 records per reporter, flow and year, and one request returns at most 5,000: use a coarser --hs"  # fmt: skip
    assert api.plan(2020, 2020, "6", 5614) == [api.Query((2020,), (r,), (f,), "6") for r in ("156", "643") for f in ("M", "X")]  # fmt: skip


# --- the client: address, key, response checks -----------------------------------------------


@pytest.mark.parametrize("url, base", [("http://h", "http://h"), (" https://h/api/ ", "https://h/api"), ("http://h:8080//", "http://h:8080")])  # fmt: skip
def test_an_api_address_is_kept_without_its_trailing_slash(url, base):
    assert api.check_base_url(url) == base


@pytest.mark.parametrize("url", ["ftp://h", "h/api", "http://", "http://h/?k=1", "http://h/#x", "x" * 90])  # fmt: skip
def test_a_bad_api_address_is_one_exact_line(url):
    with pytest.raises(api.ApiError) as info:
        api.check_base_url(url)
    cut = url if len(url) <= 80 else url[:79] + "…"
    assert str(info.value) == f"'{cut}' is not an API address (expected http(s)://host[/path], e.g. https://comtradeapi.un.org, without ? or #)"  # fmt: skip


def test_the_client_takes_its_address_from_the_argument_the_environment_or_the_default(monkeypatch):
    assert api.Client().base_url == "https://comtradeapi.un.org"
    monkeypatch.setenv(api.URL_ENV, "http://env.example/")
    assert api.Client().base_url == "http://env.example"
    assert api.Client("http://arg.example").base_url == "http://arg.example"
    monkeypatch.setenv(api.KEY_ENV, " secret ")
    assert api.Client.from_env().key == "secret"


def test_without_a_key_the_preview_with_one_the_data_api():
    free, keyed, blank = api.Client("http://h"), api.Client("http://h", "k1"), api.Client("http://h", "  ")  # fmt: skip
    assert (free.key, free.path, free.endpoint, free.max_records) == (None, "/public/v1/preview/C/A/HS", "public preview (no key)", 500)  # fmt: skip
    assert (keyed.key, keyed.path, keyed.endpoint, keyed.max_records) == ("k1", "/data/v1/get/C/A/HS", "data API (subscription key)", 100_000)  # fmt: skip
    assert blank.key is None
    assert free.url(api.Query((2020, 2021))) == (
        "http://h/public/v1/preview/C/A/HS?reporterCode=156,643&partnerCode=643,156&period=2020,2021"
        "&flowCode=M,X&cmdCode=TOTAL&partner2Code=0&customsCode=C00&motCode=0&breakdownMode=classic"
        "&includeDesc=true&maxRecords=500&format=JSON"
    )
    assert (free.scrub("a k1 b"), keyed.scrub("a k1 b k1")) == ("a k1 b", "a *** b ***")


def parse_error(body: bytes) -> str:
    with pytest.raises(api.ApiError) as info:
        api.parse(body, api.Query((2020,)), 3)
    return str(info.value)


WHAT = f"the response for {DESCRIBE}"
PARSE_ERRORS = [
    (b'{"data": [\xff]}', f"{WHAT} is not UTF-8 text (byte 10 of 13): the API may have changed"),
    (b'{"data": [', f"{WHAT} is not complete JSON (Expecting value at character 10 of 10): it was cut off, or the API changed; try again later"),
    (b"[" * 100_000, f"{WHAT} is JSON nested too deep: the API may have changed"),
    (b"[]", f'{WHAT} has changed shape: a JSON list (expected an object {{"elapsedTime", "count", "data": [...], "error"}})'),
    (b'"x"', f'{WHAT} has changed shape: a JSON str (expected an object {{"elapsedTime", "count", "data": [...], "error"}})'),
    (b'{"error": "bad  period\\n", "data": []}', f"UN Comtrade answered {WHAT} with an error: 'bad period'"),
    (b'{"error": ["x"], "data": []}', f"UN Comtrade answered {WHAT} with an error: '['x']'"),
    (b'{"data": {}}', f'{WHAT} has changed shape: no "data" list (found data; expected "elapsedTime", "count", "data": [...], "error")'),
    (b"{}", f'{WHAT} has changed shape: no "data" list (found nothing; expected "elapsedTime", "count", "data": [...], "error")'),
    (("{" + ", ".join(f'"k{i}": 0' for i in range(9)) + "}").encode(), f'{WHAT} has changed shape: no "data" list (found k0, k1, k2, k3, k4, k5, k6, k7; expected "elapsedTime", "count", "data": [...], "error")'),
    (('{"' + "k" * 31 + '": 0}').encode(), f'{WHAT} has changed shape: no "data" list (found {"k" * 29}…; expected "elapsedTime", "count", "data": [...], "error")'),
]  # fmt: skip


@pytest.mark.parametrize("body, said", PARSE_ERRORS, ids=[str(i) for i in range(len(PARSE_ERRORS))])
def test_each_unusable_response_is_one_exact_line(body, said):
    assert parse_error(body) == said


@pytest.mark.parametrize(
    "doc, records, cut",
    [({"data": [1, 2]}, 2, False), ({"data": [1, 2, 3]}, 3, True), ({"data": [1, 2, 3, 4]}, 4, True),
     ({"data": [1, 2], "count": 2}, 2, False), ({"data": [1, 2], "count": 3}, 2, True),
     ({"data": [1, 2], "count": True}, 2, False), ({"data": [1], "count": "9"}, 1, False),
     ({"data": [], "error": None}, 0, False), ({"data": [], "error": {}}, 0, False), ({"data": [], "error": []}, 0, False)],
)  # fmt: skip
def test_a_response_is_cut_at_the_record_limit_or_when_count_says_more(doc, records, cut):
    body = b"\xef\xbb\xbf" + json.dumps(doc).encode()
    assert api.parse(body, api.Query((2020,)), 3) == api.Response(body, records, cut)


@pytest.mark.parametrize(
    "env, max_bytes, deadline",
    [({}, 50_000_000, 120.0), ({"SINORUS_FETCH_MAX_MB": "0.5", "SINORUS_FETCH_DEADLINE": "2.5"}, 500_000, 2.5),
     ({"SINORUS_FETCH_MAX_MB": "x", "SINORUS_FETCH_DEADLINE": "-1"}, 50_000_000, 120.0),
     ({"SINORUS_FETCH_MAX_MB": "0", "SINORUS_FETCH_DEADLINE": "0"}, 50_000_000, 120.0)],
)  # fmt: skip
def test_the_bounds_and_their_settings(monkeypatch, env, max_bytes, deadline):
    for name in (api.MAX_MB_ENV, api.DEADLINE_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert (api._max_bytes(), api._deadline()) == (max_bytes, deadline)


@pytest.mark.parametrize(
    "url, base, credentials",
    [("http://h:1/api", "http://h:1/api", None), ("http://u:p@h:1/api", "http://h:1/api", "u:p"),
     ("https://u@h", "https://h", "u"), ("http://u:p:q@h", "http://h", "u:p:q")],
)  # fmt: skip
def test_credentials_are_taken_out_of_the_address(url, base, credentials):
    assert api.strip_credentials(url) == (base, credentials)
    client = api.Client(url, "k")
    assert client.base_url == base and client.url(api.Query((2020,))).startswith(base + "/data/")
    assert ("authorization" in client.headers()) == (credentials is not None)


@pytest.mark.parametrize("value, limit, cut", [("a  b\n c", 10, "a b c"), ("x" * 10, 10, "x" * 10), ("x" * 11, 10, "x" * 9 + "…"), (ValueError("e"), 5, "e")])  # fmt: skip
def test_cut_makes_one_line_of_at_most_limit_characters(value, limit, cut):
    assert api._cut(value, limit) == cut


# --- the client: retries and waits against the stand-in -------------------------------------------


def ok_body(n=2) -> bytes:
    return json.dumps({"count": n, "data": [{"r": i} for i in range(n)], "error": ""}).encode()


@pytest.fixture
def server():
    state, stop = serve()
    yield state
    stop()


def client_with(server, *answers, key=None):
    """A client of the stand-in, which gives `answers` (its script) to the next requests."""
    server.script = list(answers)
    return api.Client(server.url, key)


def get_error(client) -> str:
    with pytest.raises(api.ApiError) as info:
        client.get(api.Query((2020,)))
    return str(info.value)


OK = {"body": ok_body()}


def test_a_good_answer_is_one_request_with_these_headers(server, offline):
    client = client_with(server, OK, key="k1")
    assert client.get(api.Query((2020,))) == api.Response(ok_body(), 2, False)
    [request] = server.requests
    assert request.path + "?" + request.query == client.url(api.Query((2020,))).removeprefix(server.url)  # fmt: skip
    headers = {k: v for k, v in request.headers.items() if k not in ("Host", "Connection")}
    assert headers == {"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "User-Agent": "sinorus (UN Comtrade fetch)", "Ocp-Apim-Subscription-Key": "k1"}  # fmt: skip
    assert (client.requests, offline) == (1, [])
    assert client_with(server, OK).get(api.Query((2020,))).records == 2


def test_five_failures_wait_as_urllib3_backs_off_and_say_the_last(server, offline):
    client = client_with(server, *[{"status": 503, "body": b"down"}] * 4 + [{"status": 502}])
    assert get_error(client) == f"the request for {DESCRIBE} failed 5 times, the last: HTTP 502: Bad Gateway; try again later"  # fmt: skip
    assert (offline, client.requests, server.count) == ([2.0, 4.0, 8.0], 5, 5)  # none before the first retry  # fmt: skip


@pytest.mark.parametrize(
    "failure, why",
    [({"status": 429, "body": b'{"message": "slow down"}'}, "HTTP 429: slow down"),
     ({"status": 500, "body": b"oops"}, "HTTP 500: oops"),
     ({"status": 504, "body": b""}, "HTTP 504: Gateway Timeout")],
)  # fmt: skip
def test_each_passing_failure_is_retried_then_said(server, offline, failure, why):
    client = client_with(server, *[failure] * api.ATTEMPTS)
    assert get_error(client) == f"the request for {DESCRIBE} failed 5 times, the last: {why}; try again later"  # fmt: skip
    assert offline == [2.0, 4.0, 8.0] and client.requests == 5


def test_an_answer_slower_than_the_read_timeout_is_asked_again(server, offline, monkeypatch):
    monkeypatch.setattr(api, "TIMEOUT", api.Timeout(connect=5.0, read=0.2))
    client = client_with(server, *[{"delay": 0.6}] * api.ATTEMPTS)
    assert get_error(client) == f"the request for {DESCRIBE} failed 5 times, the last: no answer within 0.2 s; try again later"  # fmt: skip
    assert server.count == 5
    assert client_with(server, {"delay": 0.6}, OK).get(api.Query((2020,))).records == 2


def test_a_passing_failure_then_success_returns_the_answer(server, offline):
    client = client_with(server, {"status": 503}, {"status": 429, "headers": {"Retry-After": "3"}}, OK)  # fmt: skip
    assert client.get(api.Query((2020,))).records == 2
    assert (offline, client.requests) == ([3.0], 3)


@pytest.mark.parametrize("seconds, waited", [("120", True), ("121", False)])
def test_a_retry_after_up_to_two_minutes_is_waited_and_a_longer_one_refused(server, offline, seconds, waited):  # fmt: skip
    client = client_with(server, {"status": 429, "body": b"busy", "headers": {"Retry-After": seconds}}, OK)  # fmt: skip
    if waited:
        assert client.get(api.Query((2020,))).records == 2 and offline == [120.0]
    else:
        assert get_error(client) == f"the request for {DESCRIBE}: UN Comtrade asks to wait 121 s before the next request (HTTP 429: busy): try again later"  # fmt: skip
        assert offline == [] and client.requests == 1


@pytest.mark.parametrize(
    "header, body, waits",
    [("1.5", b'{"message": "Rate limit is exceeded. Try again in 4 seconds."}', [4.0]),
     (None, b'{"message": "rate limit exceeded; TRY AGAIN IN 30 SECONDS"}', [30.0]),
     (None, b'{"message": "quota"}', []), ("soon", b"", [])],
)  # fmt: skip
def test_a_429_waits_retry_after_else_the_apis_sentence_else_the_backoff(server, offline, header, body, waits):  # fmt: skip
    headers = {} if header is None else {"Retry-After": header}
    client = client_with(server, {"status": 429, "body": body, "headers": headers}, OK)
    assert client.get(api.Query((2020,))).records == 2 and offline == waits


@pytest.mark.parametrize(
    "answer, said",
    [({"status": 404}, f"UN Comtrade rejected the request for {DESCRIBE} (HTTP 404: Not Found)"),
     ({"status": 403, "body": b"no"}, "UN Comtrade refused access (HTTP 403: no): the public preview refused this address"),
     ({"status": 403, "body": b'{"statusCode": 403, "message": "Out of call volume quota. Quota will be replenished in 03:14:17."}'},
      "UN Comtrade refused access (HTTP 403: Out of call volume quota. Quota will be replenished in 03:14:17.): the call quota is used up; run the same command again once it is replenished, and it asks only for what is missing"),
     ({"status": 400, "body": b'{"statusCode": 400, "message": "Maximum number of periods for preview is 1"}'},
      "UN Comtrade refused more years in one request than it allows (HTTP 400: Maximum number of periods for preview is 1): the public preview allows one year per request, which is what sinorus asks; the API's limits may have changed"),
     ({"status": 301, "headers": {"Location": "/elsewhere?x=1"}},
      "the API answered HTTP 301, a redirect to http://127.0.0.1:PORT/elsewhere: sinorus follows no redirect, so the request and any key stay with 127.0.0.1; if that address is the API, pass it as --base-url")],
)  # fmt: skip
def test_a_refusal_is_said_at_once_without_retrying(server, offline, answer, said):
    client = client_with(server, answer)
    assert get_error(client) == said.replace("PORT", server.url.rsplit(":", 1)[1])
    assert (offline, client.requests) == ([], 1)


def test_the_proxy_the_environment_names_is_used(server, offline, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url)  # the stand-in, asked as a proxy
    client = api.Client("http://comtrade.example.invalid", "k1")
    assert client.get(api.Query((2020,))).records == 4
    [request] = server.requests
    assert request.headers["Host"] == "comtrade.example.invalid" and request.path == api.DATA_PATH
    monkeypatch.setenv("no_proxy", "comtrade.example.invalid")
    assert get_error(api.Client("http://comtrade.example.invalid")).startswith("cannot reach comtrade.example.invalid (")  # fmt: skip


def test_a_host_that_cannot_be_reached_is_said_at_once(offline):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = api.Client(f"http://127.0.0.1:{port}")
    said = get_error(client)
    assert said.startswith(f"cannot reach 127.0.0.1:{port} (") and said.endswith("): check the network connection (or --base-url / $SINORUS_COMTRADE_URL)")  # fmt: skip
    assert (offline, client.requests) == ([], 1)


def test_the_key_never_appears_in_an_error(server, offline):
    client = client_with(server, {"status": 401, "body": b'{"message": "key k-123 invalid"}'}, key="k-123")  # fmt: skip
    assert get_error(client) == "UN Comtrade refused the subscription key (HTTP 401: key *** invalid): check COMTRADE_API_KEY, or unset it to use the public preview"  # fmt: skip
    keyed = client_with(server, {"body": b'{"error": "k-123 unknown", "data": []}'}, key="k-123")
    assert get_error(keyed) == f"UN Comtrade answered the response for {DESCRIBE} with an error: '*** unknown'"  # fmt: skip


@pytest.mark.parametrize("setting, interval", [("2.5", 2.5), ("-3", 0.0), ("0", 0.0), ("soon", 6.0), (None, 6.0)])  # fmt: skip
def test_the_pace_between_requests(monkeypatch, setting, interval):
    if setting is None:
        monkeypatch.delenv(api.INTERVAL_ENV)
    else:
        monkeypatch.setenv(api.INTERVAL_ENV, setting)
    assert api._interval() == interval


def test_the_second_request_waits_out_the_interval(server, monkeypatch, offline):
    monkeypatch.setenv(api.INTERVAL_ENV, "50")
    client = client_with(server, OK, OK)
    client.get(api.Query((2020,)))
    assert offline == []  # the first request does not wait
    client.get(api.Query((2020,)))
    assert len(offline) == 1 and 49 < offline[0] <= 50


# --- fetch: the kept response, its query file, its source row ------------------------------------


class FixedTime(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_kept_response_and_its_query_file(monkeypatch, tmp_path):
    monkeypatch.setattr(fetch, "datetime", FixedTime)
    client, query = api.Client("http://h", "k-9"), api.Query((2020,))
    name = fetch.cache_name(client, query)
    ask = json.dumps({"path": "/data/v1/get/C/A/HS", "params": query.params(100_000)}, sort_keys=True)  # fmt: skip
    assert name == "comtrade-" + hashlib.sha256(ask.encode()).hexdigest()[:16]
    body = ok_body(3)
    entry = fetch._keep(client, query, name, api.Response(body, 3, False), tmp_path)
    assert (entry.rel, entry.query_rel, entry.cached) == (f"raw/{name}.json", f"raw/{name}.query.json", False)  # fmt: skip
    assert (tmp_path / "raw" / f"{name}.json").read_bytes() == body
    meta = {
        "note": "A UN Comtrade API v1 response kept by `sinorus fetch comtrade`, byte for byte, and the query it answered.",  # fmt: skip
        "response": f"{name}.json",
        "query": DESCRIBE,
        "url": client.url(query),
        "endpoint": "/data/v1/get/C/A/HS",
        "params": query.params(100_000),
        "fetched": "2026-01-02T03:04:05Z",
        "records": 3,
        "sha256": "sha256:" + hashlib.sha256(body).hexdigest(),
    }
    assert entry.meta == meta
    assert (tmp_path / "raw" / f"{name}.query.json").read_text(encoding="utf-8") == json.dumps(meta, indent=2, ensure_ascii=False) + "\n"  # fmt: skip


def test_the_source_row_of_a_fetched_response(tmp_path):
    client, query = api.Client("http://h"), api.Query((2020,))
    meta = {"query": DESCRIBE, "url": client.url(query), "endpoint": client.path, "fetched": "2026-01-02T03:04:05Z", "records": 1234}  # fmt: skip
    entry = fetch.Entry(query, "comtrade-abc", tmp_path / "x.json", meta, cached=True)
    row = fetch._source_row(entry, client, "sha256:" + "0" * 64)
    assert (
        row
        == {
            "id": "import-" + "0" * 12,
            "kind": "dataset",
            "title": f"UN Comtrade API v1: {DESCRIBE}",
            "authors": "United Nations Statistics Division",
            "publisher": "United Nations, UN Comtrade database, API v1 (/public/v1/preview/C/A/HS)",
            "published": "",
            "license": "UN Comtrade policy on use and re-dissemination (UN Comtrade Help Center); not checked by sinorus",  # fmt: skip
            "url": client.url(query),
            "path": "raw/comtrade-abc.json",
            "citation": f"United Nations Statistics Division, UN Comtrade database, API v1 (/public/v1/preview/C/A/HS): {DESCRIBE}; 1,234 record(s), fetched 2026-01-02T03:04:05Z from {client.url(query)}; response sha256:{'0' * 64}.",  # fmt: skip
            "note": "Fetched 2026-01-02T03:04:05Z by `sinorus fetch comtrade` (1,234 record(s)); the response is kept as raw/comtrade-abc.json and its query as raw/comtrade-abc.query.json. Rows cite their record in the response.",  # fmt: skip
            "checksum": "sha256:" + "0" * 64,
            "imported": "2026-01-02",
        }
    )


# --- the command, against the stand-in -------------------------------------------------------------


def run(capsys, *args):
    code = main(["fetch", "comtrade", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fetch_says_each_step_in_these_words(capsys, server, tmp_path):
    into = tmp_path / "pkg"
    code, out, err = run(capsys, "--from", 2023, "--to", 2024, "--into", into, "--base-url", server.url)  # fmt: skip
    assert (code, err) == (0, "")
    names = [fetch.cache_name(api.Client(server.url), api.Query((y,))) for y in (2023, 2024)]
    plan, *fetched, wrote = out.splitlines()
    assert plan == "UN Comtrade public preview (no key): 2 request(s) planned for 2023–2024, all goods (TOTAL) (at most 1 year(s) and 500 records per request)"  # fmt: skip
    for line, year, name in zip(fetched, (2023, 2024), names, strict=True):
        assert line.startswith(f"  {year}: 4 record(s) fetched in ") and line.endswith(f" s (raw/{name}.json)")  # fmt: skip
    assert wrote == f"wrote {into}: valid data package; 8 UN Comtrade row(s) from 2 response(s): 2 request(s) made, 0 response(s) from the cache (8 trade_flows rows, 7 sources)"  # fmt: skip
    at = [json.loads((into / "raw" / f"{n}.query.json").read_text(encoding="utf-8"))["fetched"] for n in names]  # fmt: skip
    code, out, _ = run(capsys, "--from", 2023, "--to", 2024, "--into", into, "--base-url", server.url)  # fmt: skip
    assert (
        code == 0
        and out.splitlines()[1:]
        == [
            f"  2023: 4 record(s) from the cache (raw/{names[0]}.json, fetched {at[0]})",
            f"  2024: 4 record(s) from the cache (raw/{names[1]}.json, fetched {at[1]})",
            f"wrote {into}: valid data package; 8 UN Comtrade row(s) from 2 response(s): 0 request(s) made, 2 response(s) from the cache (8 trade_flows rows, 7 sources)",  # fmt: skip
        ]
    )
    assert server.count == 2


def test_a_cut_response_is_asked_again_in_parts_with_these_words(capsys, server, tmp_path, monkeypatch):  # fmt: skip
    monkeypatch.setenv(api.KEY_ENV, "k-1")  # with a key: several years a request
    monkeypatch.setattr(api, "KEY_MAX_RECORDS", 500)
    server.cut_over_years = 1
    code, out, _ = run(capsys, "--from", 2023, "--to", 2024, "--into", tmp_path / "pkg", "--base-url", server.url)  # fmt: skip
    assert code == 0
    said = out.splitlines()
    assert said[1] == "  2023–2024: 500 records, the most one request returns: data was cut; asking again in 2 parts"  # fmt: skip
    assert said[2].startswith("  2023: 4 record(s) fetched in ") and said[3].startswith("  2024: 4 record(s) fetched in ")  # fmt: skip
    assert [r.years for r in server.requests] == [[2023, 2024], [2023], [2024]]


@pytest.mark.parametrize("key", [None, "k-1"])
def test_a_cut_that_cannot_be_split_says_so(capsys, server, tmp_path, monkeypatch, key):
    if key:
        monkeypatch.setenv(api.KEY_ENV, key)
        monkeypatch.setattr(api, "KEY_MAX_RECORDS", 8)  # a small limit: a small answer
    server.cut_over_years = 0
    into = tmp_path / "pkg"
    code, out, err = run(capsys, "--from", 2020, "--to", 2020, "--into", into, "--base-url", server.url)  # fmt: skip
    held, hint = ("8", "") if key else ("500", " (set COMTRADE_API_KEY for up to 100,000 records per request)")  # fmt: skip
    assert code == 1
    assert err == f"error: the response for China reporting, imports, 2020, all goods (TOTAL) holds {held} records, the most one request returns: data was cut, and one year, reporter and flow cannot be split further{hint}; nothing written to {into}\n"  # fmt: skip
    assert [(r.params["reporterCode"], r.params["flowCode"]) for r in server.requests] == [("156,643", "M,X"), ("156", "M,X"), ("156", "M")]  # fmt: skip


def test_an_empty_answer_for_every_year_is_an_error(capsys, server, tmp_path):
    server.empty_years = {2023, 2024}
    into = tmp_path / "pkg"
    code, _, err = run(capsys, "--from", 2023, "--to", 2024, "--into", into, "--base-url", server.url)  # fmt: skip
    assert (code, err) == (1, f'error: UN Comtrade has no records for 2023–2024 (2 response(s), all with an empty "data" list): annual figures appear a year or more after the year ends; nothing written to {into}\n')  # fmt: skip


def test_a_response_the_checks_reject_is_listed_and_nothing_written(capsys, server, tmp_path):
    doc = {"count": 1, "data": [{"freqCode": "A", "refYear": 1850, "reporterCode": 156, "partnerCode": 643, "flowCode": "X", "cmdCode": "TOTAL", "primaryValue": 1}], "error": ""}  # fmt: skip
    server.always = {"body": json.dumps(doc).encode()}
    into = tmp_path / "pkg"
    code, out, err = run(capsys, "--from", 2023, "--to", 2023, "--into", into, "--base-url", server.url)  # fmt: skip
    name = fetch.cache_name(api.Client(server.url), api.Query((2023,)))
    assert code == 1 and out.splitlines()[2:] == [
        f'{name}.json: UN Comtrade+ JSON (API v1, {{"data": [...]}}), 1 data row(s) read',
        "  rejected: 1 problem(s); nothing from this file is used",
        f"  {name}.json:1: refYear: 1850 is out of range (expected 1900–2100)",
    ]
    assert err == f"error: 1 response(s) rejected by the checks (listed above); nothing written to {into}\n"  # fmt: skip
    assert not into.exists()


@pytest.mark.parametrize("years", [(1987, 1990), (2000, 1999), (1988, date.today().year + 1)])
def test_years_outside_the_data_are_refused_with_exit_2(capsys, tmp_path, years):
    code, out, err = run(capsys, "--from", years[0], "--to", years[1], "--into", tmp_path / "p")
    assert (code, out) == (2, "")
    assert err == f"error: --from {years[0]} --to {years[1]}: expected 1988 ≤ --from ≤ --to ≤ {date.today().year}\n"  # fmt: skip


def test_the_first_and_the_current_year_are_accepted(capsys, server, tmp_path):
    server.always = {"body": b'{"count": 0, "data": [], "error": ""}'}
    this = date.today().year
    code, _, err = run(capsys, "--from", 1988, "--to", this, "--into", tmp_path / "p", "--base-url", server.url)  # fmt: skip
    assert code == 1 and err.startswith(f"error: UN Comtrade has no records for 1988–{this} (")


def test_where_a_fetch_cannot_write_is_one_exact_line(capsys, tmp_path):
    (tmp_path / "file").write_text("x")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x")
    cases = [
        (
            tmp_path / "no" / "pkg",
            f"{tmp_path / 'no' / 'pkg'}: its parent {tmp_path / 'no'} does not exist (create it first)",
        ),  # fmt: skip
        (
            tmp_path / "file",
            f"{tmp_path / 'file'} exists and is not a directory (expected a new directory)",
        ),  # fmt: skip
        (
            tmp_path / "mine",
            f"{tmp_path / 'mine'} exists and was not written by `sinorus fetch` (expected a new directory, or a package an earlier fetch wrote; to add fetched figures to a package: --data {tmp_path / 'mine'} --into NEW)",
        ),  # fmt: skip
    ]
    for into, said in cases:
        assert run(capsys, "--from", 2020, "--to", 2020, "--into", into) == (1, "", f"error: {said}\n")  # fmt: skip
    (tmp_path / "empty").mkdir()
    assert fetch._check_into(tmp_path / "empty") is None and fetch._check_into(tmp_path / "new") is None  # fmt: skip


def test_an_invalid_package_to_start_from_is_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "--from", 2020, "--to", 2020, "--into", tmp_path / "p", "--data", tmp_path)  # fmt: skip
    assert (code, out) == (1, "")
    assert err == f"error: the package to start from ({tmp_path}) is not valid (1 problem(s); run `sinorus validate` on it); nothing fetched\n"  # fmt: skip


def test_a_plan_error_and_a_bad_address_are_one_line(capsys, tmp_path):
    assert run(capsys, "--from", 2020, "--to", 2020, "--hs", "4", "--into", tmp_path / "p") == (
        1, "", "error: --hs 4 gives up to 1,229 records per reporter, flow and year, and one request returns at most 500 without a key: set COMTRADE_API_KEY (a free UN Comtrade key allows 100,000 per request) or use a coarser --hs\n")  # fmt: skip
    assert run(capsys, "--from", 2020, "--to", 2020, "--base-url", "ftp://x", "--into", tmp_path / "p") == (
        1, "", "error: 'ftp://x' is not an API address (expected http(s)://host[/path], e.g. https://comtradeapi.un.org, without ? or #)\n")  # fmt: skip


# --- fetch: which kept responses are used again --------------------------------------------------


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A response kept by `_keep` in tmp_path/raw, for the preview client and the 2020 query."""
    monkeypatch.setattr(fetch, "datetime", FixedTime)
    client, query = api.Client("http://h"), api.Query((2020,))
    name = fetch.cache_name(client, query)
    fetch._keep(client, query, name, api.Response(ok_body(2), 2, False), tmp_path)
    return client, query, name, tmp_path / "raw"


def test_a_kept_response_that_matches_its_query_file_is_used(kept, capsys):
    client, query, name, raw = kept
    entry = fetch._cached(client, query, name, [raw])
    assert (entry.cached, entry.body_path, entry.meta["records"], capsys.readouterr().out) == (True, raw / f"{name}.json", 2, "")  # fmt: skip


def edit_meta(raw, name, **changes):
    path = raw / f"{name}.query.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta), encoding="utf-8")


DAMAGE = {
    "another endpoint": lambda raw, name: edit_meta(raw, name, endpoint="/data/v1/get/C/A/HS"),
    "other params": lambda raw, name: edit_meta(raw, name, params={"period": "2021"}),
    "another checksum": lambda raw, name: edit_meta(raw, name, sha256="sha256:" + "0" * 64),
    "records not a number": lambda raw, name: edit_meta(raw, name, records="2"),
    "another record count": lambda raw, name: edit_meta(raw, name, records=3),
    "fetched not text": lambda raw, name: edit_meta(raw, name, fetched=2020),
    "query file not JSON": lambda raw, name: (raw / f"{name}.query.json").write_text("{", encoding="utf-8"),
    "query file a list": lambda raw, name: (raw / f"{name}.query.json").write_text("[]", encoding="utf-8"),
    "body not a response": lambda raw, name: ((raw / f"{name}.json").write_bytes(b"[]"), edit_meta(raw, name, sha256="sha256:" + hashlib.sha256(b"[]").hexdigest())),
}  # fmt: skip


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_kept_response_that_does_not_match_is_said_and_asked_again(kept, capsys, damage):
    client, query, name, raw = kept
    DAMAGE[damage](raw, name)
    assert fetch._cached(client, query, name, [raw]) is None
    assert capsys.readouterr().out == f"  note: the kept response {raw / name}.json does not match its query file; asking again\n"  # fmt: skip


def test_a_kept_response_at_the_record_limit_is_asked_again(kept, capsys, monkeypatch):
    client, query, name, raw = kept
    monkeypatch.setattr(api, "PREVIEW_MAX_RECORDS", 2)  # the kept 2 records are now a cut answer
    assert fetch._cached(client, query, name, [raw]) is None
    assert capsys.readouterr().out.startswith("  note: the kept response ")


def test_a_missing_file_is_no_cache_and_nothing_said(kept, capsys, tmp_path):
    client, query, name, raw = kept
    (raw / f"{name}.query.json").unlink()
    assert fetch._cached(client, query, name, [raw, tmp_path / "nowhere"]) is None
    assert capsys.readouterr().out == ""


def test_the_first_cache_with_a_usable_response_wins(kept, capsys, tmp_path):
    client, query, name, raw = kept
    other = tmp_path / "other"
    other.mkdir()
    for suffix in (".json", ".query.json"):
        (other / f"{name}{suffix}").write_bytes((raw / f"{name}{suffix}").read_bytes())
    assert fetch._cached(client, query, name, [other, raw]).body_path == other / f"{name}.json"
    edit_meta(other, name, records=9)
    assert fetch._cached(client, query, name, [other, raw]).body_path == raw / f"{name}.json"
    assert capsys.readouterr().out == f"  note: the kept response {other / name}.json does not match its query file; asking again\n"  # fmt: skip


def test_an_empty_response_is_a_source_without_rows(kept, tmp_path):
    client, query, name, raw = kept
    (raw / f"{name}.json").write_bytes(b'{"count": 0, "data": [], "error": ""}')
    meta = {"query": DESCRIBE, "url": client.url(query), "endpoint": client.path, "fetched": "2026-01-02T03:04:05Z", "records": 0, "sha256": "sha256:" + "1" * 64}  # fmt: skip
    result = fetch._result(fetch.Entry(query, name, raw / f"{name}.json", meta, cached=True), client, tmp_path)  # fmt: skip
    assert (result.file, result.format, result.checksum, result.kept, result.read) == (f"{name}.json", "comtrade_plus_json", "sha256:" + "1" * 64, 0, 0)  # fmt: skip
    assert result.size == len(b'{"count": 0, "data": [], "error": ""}')
    assert result.notes == ["no records: UN Comtrade has none for this query (not reported yet, or no trade)"]  # fmt: skip
    assert result.source["path"] == f"raw/{name}.json" and result.source["citation"].count("0 record(s)") == 1  # fmt: skip


def test_a_response_with_rows_left_out_prints_its_summary(capsys, server, tmp_path):
    from tests.pinned_inputs import source_id

    rec = {"typeCode": "C", "freqCode": "A", "refYear": 2023, "reporterCode": 156, "partnerCode": 643, "flowCode": "X", "cmdCode": "TOTAL", "primaryValue": 5}  # fmt: skip
    body = json.dumps({"count": 2, "data": [rec, {**rec, "freqCode": "M"}], "error": ""}).encode()
    server.always = {"body": body}
    into = tmp_path / "pkg"
    code, out, err = run(capsys, "--from", 2023, "--to", 2023, "--into", into, "--base-url", server.url)  # fmt: skip
    name = fetch.cache_name(api.Client(server.url), api.Query((2023,)))
    assert (code, err) == (0, "")
    said = out.splitlines()
    assert (
        said[2:]
        == [
            f'{name}.json: UN Comtrade+ JSON (API v1, {{"data": [...]}}), 2 data row(s) read',
            f"  kept 1 row(s) as source '{source_id(body)}'",
            "  skipped 1: monthly or quarterly figures: only annual figures are used",
            f"wrote {into}: valid data package; 1 UN Comtrade row(s) from 1 response(s): 1 request(s) made, 0 response(s) from the cache (1 trade_flows rows, 6 sources)",  # fmt: skip
        ]
    )
    assert (into / "raw" / f"{name}.json").read_bytes() == body


class Clock:
    """time.monotonic for the client: always `still`."""

    def __init__(self, still):
        self.still = still

    def __call__(self):
        return self.still


def test_the_pace_waits_exactly_what_is_left_of_the_interval(server, monkeypatch, offline):
    monkeypatch.setattr(api.time, "monotonic", Clock(100.0))
    monkeypatch.setenv(api.INTERVAL_ENV, "50")
    client = client_with(server, OK, OK, OK, OK)
    for _ in range(3):
        client.get(api.Query((2020,)))
    assert offline == [50.0, 50.0]
    monkeypatch.setenv(api.INTERVAL_ENV, "0")
    client.get(api.Query((2020,)))
    assert offline == [50.0, 50.0]


def test_the_plan_asks_for_all_goods_from_the_preview_by_default():
    assert api.plan(2020, 2032) == [api.Query(tuple(range(2020, 2032))), api.Query((2032,))]
    assert api.Query((2020,)).hs == "TOTAL"


def test_a_pace_under_a_second_is_waited_too(server, monkeypatch, offline):
    monkeypatch.setattr(api.time, "monotonic", Clock(7.0))
    monkeypatch.setenv(api.INTERVAL_ENV, "0.5")
    client = client_with(server, OK, OK)
    client.get(api.Query((2020,)))
    client.get(api.Query((2020,)))
    assert offline == [0.5]


@pytest.mark.parametrize("missing", ["--from", "--to", "--into"])
def test_years_and_the_folder_are_required(capsys, tmp_path, missing):
    args = {"--from": "2020", "--to": "2020", "--into": str(tmp_path / "p")}
    del args[missing]
    with pytest.raises(SystemExit) as info:
        main(["fetch", "comtrade", *[x for kv in args.items() for x in kv]])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(f"error: the following arguments are required: {missing}")  # fmt: skip


def test_the_help_names_each_option_and_the_cost(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "comtrade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--from YEAR first year (from 1988)", "--to YEAR last year", "--hs {TOTAL,2,4,6}",
                  "Cost: without a key, one request per year (the public preview allows one period and 500 records per request): 1992–2024 is 33 requests, about 3 min 20 s at one request per 6 s ($SINORUS_COMTRADE_INTERVAL sets the pace), at --hs TOTAL or 2; --hs 4 or 6 needs a key. With a key, one request per 12 years: 1992–2024 is 3 requests (9 at --hs 6), about 15 s.",
                  "Bounds: no redirect is followed (the key never leaves the address asked); an answer over $SINORUS_FETCH_MAX_MB MB (50), as sent or decompressed, or not complete within $SINORUS_FETCH_DEADLINE seconds (120) is refused; a user:password in --base-url is sent as HTTP Basic authentication and never recorded.",
                  "up to 100,000 records per request. The key is sent in the Ocp-Apim-Subscription-Key header only and never written anywhere."):  # fmt: skip
        assert words in text, words


def test_fetch_help_says_what_it_does(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Fetch official trade figures from an API into a new data package." in text


def test_the_help_names_the_folders_and_the_address(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "comtrade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--into DIR package directory to write (a new one, or one an earlier fetch wrote: it is rebuilt)",
                  "--data SRC package to start from (default: $SINORUS_DATA or the embedded data/)",
                  "--refresh ask the API again even for responses kept in DIR/raw",
                  f"--base-url URL API address (default: ${api.URL_ENV} or {api.DEFAULT_BASE_URL})",
                  "--hs {TOTAL,2,4,6} TOTAL (default): all goods; 2, 4 or 6: also each HS chapter, heading or subheading"):  # fmt: skip
        assert words in text, words


def test_without_hs_the_command_asks_for_all_goods(monkeypatch, tmp_path):
    """The default is the API's own code, TOTAL, as a query sends it."""
    seen = []
    monkeypatch.setattr(fetch, "run", lambda args: seen.append(args) or 0)
    import argparse

    parser = argparse.ArgumentParser()
    fetch.register(parser.add_subparsers())
    args = parser.parse_args(["fetch", "comtrade", "--from", "2020", "--to", "2021", "--into", str(tmp_path)])  # fmt: skip
    assert args.hs == "TOTAL" and args.refresh is False and args.data_dir is None
