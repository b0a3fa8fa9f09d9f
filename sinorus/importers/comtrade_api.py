"""The UN Comtrade v1 API as `sinorus fetch comtrade` calls it: the queries for the China–Russia
series, split to fit the API's limits, and one bounded GET with pacing and retries.

Two endpoints give the same records (the Comtrade+ JSON layout `{"elapsedTime", "count",
"data": [...], "error"}` that `sinorus import` reads):

- the public preview, `/public/v1/preview/C/A/HS`, needs no key;
- the data API, `/data/v1/get/C/A/HS`, needs a subscription key, sent in the
  `Ocp-Apim-Subscription-Key` header (never in the address, so it is never recorded).

The limits, as the API's own client and the rOpenSci client document them (looked up, not
guessed; record counts are per request):

- the preview returns at most 500 records ("previewFinalData ... limited to 500 records",
  uncomtrade/comtradeapicall README.md and src/comtradeapicall/PreviewGet.py);
- with a key, comtradeapicall says 250K records ("getFinalData ... limited to 250K records"),
  and comtradr warns at 100,000, "the upper limit without subscription" to a premium plan
  (ropensci/comtradr R/ct_process_response.R): we ask for 100,000, the lower of the two;
- at most 12 periods (years) per request ("cannot search more than twelve consecutive
  years/months in a single query", ropensci/comtradr R/ct_check_params.R, check_date), and
  from the public preview ONE: it answers more with HTTP 400 "Maximum number of periods for
  preview is 1" (recorded from the real API by bruno-portfolio/agrobr's tests); so without a key
  each request asks for one year;
- pace: comtradr sends at most 10 requests a minute by default (ct_get_data,
  `requests_per_second = 10/60`) and retries a 429 after its Retry-After
  (R/ct_perform_request.R): we wait 6 s between requests ($SINORUS_COMTRADE_INTERVAL), and
  urllib3's Retry retries 429 and 5xx after Retry-After, or the API's own "Try again in N
  seconds." (its 429 body), else after its exponential backoff.

A response holding as many records as we asked for (`maxRecords`) was cut by the API: its query
is split (years in halves, then one reporter, then one flow) and asked again; a query that
cannot be split further is an error, never a silently short series.
"""

from __future__ import annotations

import http.client
import io
import json
import math
import os
import re
import time
import urllib.request
import zlib
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util import Retry, Timeout

DEFAULT_BASE_URL = "https://comtradeapi.un.org"
PREVIEW_PATH = "/public/v1/preview/C/A/HS"
DATA_PATH = "/data/v1/get/C/A/HS"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
KEY_ENV = "COMTRADE_API_KEY"
URL_ENV = "SINORUS_COMTRADE_URL"
INTERVAL_ENV = "SINORUS_COMTRADE_INTERVAL"
MAX_MB_ENV = "SINORUS_FETCH_MAX_MB"
DEADLINE_ENV = "SINORUS_FETCH_DEADLINE"

#: Records per response we ask for (`maxRecords`); a response that holds this many was cut.
PREVIEW_MAX_RECORDS = 500
KEY_MAX_RECORDS = 100_000
#: Periods (years) per request: with a key, and from the public preview.
MAX_PERIODS = 12
PREVIEW_MAX_PERIODS = 1
#: Seconds between two requests (comtradr's default pace: 10 a minute).
INTERVAL = 6.0
#: Attempts per request (the first and 4 retries), urllib3's backoff factor (no wait before the
#: first retry, then 2, 4, 8 s), the statuses retried, and the longest wait we accept from
#: Retry-After (or the body's "Try again in N seconds") before giving up with a message instead.
ATTEMPTS = 5
BACKOFF = 1.0
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_WAIT = 120.0
#: Seconds to connect, and to wait for each read of the answer.
TIMEOUT = Timeout(connect=10.0, read=60.0)
#: The most an answer may hold, as sent and decompressed (MB, $SINORUS_FETCH_MAX_MB), and the
#: seconds from asking to its last byte ($SINORUS_FETCH_DEADLINE).
MAX_MB = 50.0
DEADLINE = 120.0
#: Bytes read at a time, and read of an answer about to be retried (to say what it said).
CHUNK = 64 * 1024
PEEK = 16 * 1024

#: The reporters, each with its partner: China (156) and the Russian Federation (643).
PARTNER = {"156": "643", "643": "156"}
REPORTER_NAMES = {"156": "China", "643": "Russia"}
FLOWS = ("M", "X")
#: --hs: the commodity codes asked for (TOTAL always: the totals the app draws), and how many
#: records one reporter, flow and year gives at most (HS 2022: 97 chapters, 1,228 headings,
#: 5,613 subheadings; plus the TOTAL row). Only used to plan requests: a response is checked.
HS_CODES = {"TOTAL": "TOTAL", "2": "TOTAL,AG2", "4": "TOTAL,AG4", "6": "TOTAL,AG6"}
HS_RECORDS = {"TOTAL": 1, "2": 1 + 97, "4": 1 + 1_228, "6": 1 + 5_613}
HS_LABELS = {
    "TOTAL": "all goods (TOTAL)",
    "2": "TOTAL and HS chapters (2-digit)",
    "4": "TOTAL and HS headings (4-digit)",
    "6": "TOTAL and HS subheadings (6-digit)",
}


# --- the messages, named once --------------------------------------------------------------------


def too_long_a_wait(wait: float, said: str) -> str:
    return (
        f"UN Comtrade asks to wait {wait:,.0f} s before the next request ({said}): try again later"
    )


def unreachable(base_url: str, reason) -> str:
    return f"cannot reach {urlsplit(base_url).netloc} ({_short(_why(reason))}): check the network connection (or --base-url / ${URL_ENV})"


def failed(what: str, times: int, last: str) -> str:
    return f"{what} failed {times} times, the last: {last}; try again later"


def not_an_api_address(url: str) -> str:
    return f"'{_cut(url, 80)}' is not an API address (expected http(s)://host[/path], e.g. {DEFAULT_BASE_URL}, without ? or #)"


def not_utf8(what: str, start: int, size: int) -> str:
    return f"{what} is not UTF-8 text (byte {start:,} of {size:,}): the API may have changed"


def not_complete_json(what: str, err: json.JSONDecodeError, size: int) -> str:
    return f"{what} is not complete JSON ({err.msg} at character {err.pos:,} of {size:,}): it was cut off, or the API changed; try again later"


def not_an_object(what: str, doc) -> str:
    return f'{what} has changed shape: a JSON {type(doc).__name__} (expected an object {{"elapsedTime", "count", "data": [...], "error"}})'


def only_a_count(what: str, count: int) -> str:
    return f'{what} holds only a count ({count:,} record(s); "data" is one object, as the API answers countOnly=true): sinorus asks for the records themselves, so the API may have changed'


def no_data_list(what: str, found: str) -> str:
    return f'{what} has changed shape: no "data" list (found {found}; expected "elapsedTime", "count", "data": [...], "error")'


def unread_encoding(encoding: str) -> str:
    return f"the answer is compressed as '{_cut(encoding, 40)}', which sinorus does not read (it asks for gzip or deflate)"


def decompresses_beyond(mb: str) -> str:
    return f"the answer decompresses to more than the {mb} sinorus accepts"


def cut_off(encoding: str, received: int) -> str:
    return f"the answer's {encoding} data ends before its end ({received:,} bytes received): it was cut off; try again later"


class ApiError(Exception):
    """A request or response that cannot be used: one line saying why (never the key)."""


def _sleep(seconds: float) -> None:  # one place to wait (tests replace it)
    time.sleep(seconds)


# --- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One request: years, reporters (each with the other as partner), flows, HS level."""

    years: tuple[int, ...]
    reporters: tuple[str, ...] = ("156", "643")
    flows: tuple[str, ...] = FLOWS
    hs: str = "TOTAL"

    def params(self, max_records: int) -> dict[str, str]:
        """The query string, in a fixed order (its hash names the cached response)."""
        return {
            "reporterCode": ",".join(self.reporters),
            "partnerCode": ",".join(PARTNER[r] for r in self.reporters),
            "period": ",".join(str(y) for y in self.years),
            "flowCode": ",".join(self.flows),
            "cmdCode": HS_CODES[self.hs],
            "partner2Code": "0",
            "customsCode": "C00",
            "motCode": "0",
            "breakdownMode": "classic",
            "includeDesc": "true",
            "maxRecords": str(max_records),
            "format": "JSON",
        }

    def describe(self) -> str:
        """'China and Russia, imports and exports, 1992–2003, all goods (TOTAL)'."""
        who = " and ".join(REPORTER_NAMES[r] for r in self.reporters)
        ways = " and ".join({"M": "imports", "X": "exports"}[f] for f in self.flows)
        return f"{who} reporting, {ways}, {year_span(self.years)}, {HS_LABELS[self.hs]}"

    def label(self) -> str:
        """'1992–2003', or with the reporter and flow when it asks for one only."""
        parts = [year_span(self.years)]
        if len(self.reporters) == 1:
            parts.append(REPORTER_NAMES[self.reporters[0]])
        if len(self.flows) == 1:
            parts.append({"M": "imports", "X": "exports"}[self.flows[0]])
        return ", ".join(parts)

    def split(self) -> list[Query]:
        """Two or more smaller queries that together ask the same; [] if it is one year, one
        reporter and one flow already."""
        if len(self.years) > 1:
            half = math.ceil(len(self.years) / 2)
            return [replace(self, years=self.years[:half]), replace(self, years=self.years[half:])]
        if len(self.reporters) > 1:
            return [replace(self, reporters=(r,)) for r in self.reporters]
        if len(self.flows) > 1:
            return [replace(self, flows=(f,)) for f in self.flows]
        return []


def year_span(years) -> str:
    years = sorted(years)
    if years == list(range(years[0], years[-1] + 1)):
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


class PlanError(ApiError):
    """The query cannot fit the API's record limit, however it is split."""


def plan(
    first: int,
    last: int,
    hs: str = "TOTAL",
    max_records: int = PREVIEW_MAX_RECORDS,
    max_periods: int = MAX_PERIODS,
) -> list[Query]:
    """The fewest requests that ask for reporters 156 and 643, flows M and X, years first–last
    at `hs`, each within `max_periods` years (12 with a key, 1 from the public preview) and (by
    the most records a reporter, flow and year can give) within `max_records`. Groupings tried: both reporters and flows together, one
    reporter with both flows, one reporter and one flow; the one needing fewest requests wins."""
    years = list(range(first, last + 1))
    per = HS_RECORDS[hs]
    groups = [
        [(tuple(PARTNER), FLOWS)],
        [((r,), FLOWS) for r in PARTNER],
        [((r,), (f,)) for r in PARTNER for f in FLOWS],
    ]
    best = None
    for group in groups:
        reporters, flows = group[0]
        per_year = per * len(reporters) * len(flows)
        if per_year > max_records:
            continue
        span = min(max_periods, max_records // per_year)
        chunks = [tuple(years[i : i + span]) for i in range(0, len(years), span)]
        queries = [Query(chunk, r, f, hs) for r, f in group for chunk in chunks]
        if best is None or len(queries) < len(best):
            best = queries
    if best is None:
        raise PlanError(
            f"--hs {hs} gives up to {per:,} records per reporter, flow and year, and one "
            f"request returns at most {max_records:,}"
            + (
                f" without a key: set {KEY_ENV} (a free UN Comtrade key allows "
                f"{KEY_MAX_RECORDS:,} per request) or use a coarser --hs"
                if max_records == PREVIEW_MAX_RECORDS
                else ": use a coarser --hs"
            )
        )
    return best


# --- the client ---------------------------------------------------------------------------------


@dataclass
class Response:
    """A usable response: its bytes, records and what the API said about them."""

    body: bytes
    records: int
    cut: bool


class _Refused(Exception):
    """Raised from inside urllib3 and never retried (it is none of urllib3's errors): a wait
    longer than MAX_WAIT, an answer past the deadline or over the size cap."""


class _Retry(Retry):
    """urllib3's Retry (429 and 5xx: after Retry-After, else its exponential backoff) with
    what the UN Comtrade API adds: a 429 body saying "Try again in N seconds." without a
    Retry-After header, and a refusal of any wait over MAX_WAIT. `said` is what the last
    retried answer said."""

    said = ""
    hint: float | None = None

    def increment(
        self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None
    ):
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        if response is not None:
            body = _peek(response)
            new.said = f"HTTP {response.status}: {_reason(body, response)}"
            new.hint = _try_again(body)
        return new

    def sleep(self, response=None):
        wait = None
        if response is not None:
            try:
                wait = self.get_retry_after(response)
            except InvalidHeader:
                wait = None
        if wait is None:
            wait = self.hint if self.hint is not None else self.get_backoff_time()
        if wait > MAX_WAIT:
            raise _Refused(too_long_a_wait(wait, self.said))
        if wait > 0:
            _sleep(wait)


def _retry() -> _Retry:
    return _Retry(
        total=ATTEMPTS - 1,
        connect=0,  # a host that cannot be reached is said at once
        redirect=0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods={"GET"},
        backoff_factor=BACKOFF,
        raise_on_status=False,  # after the last attempt its answer is returned, and said
        raise_on_redirect=False,
        respect_retry_after_header=True,
    )


class _Deadline(io.RawIOBase):
    """The socket as an answer reads it, each read given only what is left of the deadline:
    a server that trickles its headers or body a byte at a time is given up when it passes."""

    def __init__(self, sock, seconds: float, held):
        self.sock, self.seconds, self.deadline = sock, seconds, time.monotonic() + seconds
        self.held = held  # the socket's own reader: while open, the socket stays open for us

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self.held.close()
        super().close()

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Refused(self.said())
        timeout = self.sock.gettimeout()
        self.sock.settimeout(left if timeout is None else min(timeout, left))
        try:
            return self.sock.recv_into(buffer)
        except TimeoutError:
            if time.monotonic() >= self.deadline:
                raise _Refused(self.said()) from None
            raise
        finally:
            self.sock.settimeout(timeout)

    def said(self) -> str:
        return f"no complete answer within {self.seconds:g} s of asking (${DEADLINE_ENV}): the server is too slow or not the API; try again later"


class _TimedResponse(http.client.HTTPResponse):
    def __init__(self, sock, *args, **kwargs):
        super().__init__(sock, *args, **kwargs)
        # nothing read yet: read through the deadline instead (the socket's own reader is kept
        # open until this one closes, as a connection closed before its answer is read needs)
        self.fp = io.BufferedReader(_Deadline(sock, _deadline(), self.fp))


class _HTTPConnection(urllib3.connection.HTTPConnection):
    response_class = _TimedResponse


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    response_class = _TimedResponse


class _Counted:
    sent = 0  # requests sent, retries included

    def _make_request(self, *args, **kwargs):
        self.sent += 1
        return super()._make_request(*args, **kwargs)


class _HTTPPool(_Counted, urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_Counted, urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class Client:
    """GETs against one base URL, with the key (if any) in a header; counts the requests.

    Bounded: no redirect is followed (the error names where it pointed: the request and the
    key never leave the host asked); an answer larger than $SINORUS_FETCH_MAX_MB (50) MB, as
    sent or decompressed, is refused as it arrives; an answer not complete within
    $SINORUS_FETCH_DEADLINE (120) seconds of asking is given up, however it trickles in."""

    def __init__(self, base_url: str | None = None, key: str | None = None):
        address = check_base_url(base_url or os.environ.get(URL_ENV) or DEFAULT_BASE_URL)
        self.base_url, self._credentials = strip_credentials(address)
        self.key = (key or "").strip() or None
        self.manager = _manager(self.base_url)
        self.pool = self.manager.connection_from_url(self.base_url)  # the one it asks through
        self.seconds = 0.0  # the last query's answer took, retries and their waits included
        self._last: float | None = None

    @classmethod
    def from_env(cls, base_url: str | None = None) -> Client:
        return cls(base_url, os.environ.get(KEY_ENV))

    @property
    def requests(self) -> int:
        return self.pool.sent

    @property
    def path(self) -> str:
        return DATA_PATH if self.key else PREVIEW_PATH

    @property
    def endpoint(self) -> str:
        return "data API (subscription key)" if self.key else "public preview (no key)"

    @property
    def max_records(self) -> int:
        return KEY_MAX_RECORDS if self.key else PREVIEW_MAX_RECORDS

    @property
    def max_periods(self) -> int:
        return MAX_PERIODS if self.key else PREVIEW_MAX_PERIODS

    def url(self, query: Query) -> str:
        """The address asked, without credentials; it never holds the key (that is a header)."""
        return f"{self.base_url}{self.path}?{urlencode(query.params(self.max_records), safe=',')}"

    def scrub(self, text: str) -> str:
        """`text` with the key and the address's password, should they appear, as ***."""
        for secret in (self.key, self._credentials and self._credentials.split(":", 1)[-1]):
            if secret:
                text = text.replace(secret, "***")
        return text

    def headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": "sinorus (UN Comtrade fetch)",
        }
        if self._credentials:
            headers.update(urllib3.util.make_headers(basic_auth=self._credentials))
        if self.key:
            headers[KEY_HEADER] = self.key
        return headers

    def get(self, query: Query) -> Response:
        """The response to `query`, checked (see `parse`); raises ApiError with one line."""
        try:
            return parse(self._get(query), query, self.max_records)
        except ApiError as err:
            raise ApiError(self.scrub(str(err))) from None

    def _get(self, query: Query) -> bytes:
        """The body of a 200 answer to `query`. urllib3 retries 429 and 5xx (`_Retry`); any
        other answer is an ApiError saying what the API said and what to do."""
        what = f"the request for {query.describe()}"
        self._pace()
        started, sent = time.monotonic(), self.pool.sent
        url = self.url(query)
        resp, whole = None, False
        try:
            resp = self.manager.urlopen(
                "GET",
                url,
                headers=self.headers(),
                retries=_retry(),
                timeout=TIMEOUT,
                redirect=False,
                preload_content=False,
                decode_content=False,
            )
            if 300 <= resp.status < 400:
                raise ApiError(self._redirected(resp, url))
            body = _read_body(resp, _max_bytes())
            whole = True
        except MaxRetryError as err:
            if isinstance(err.reason, ConnectTimeoutError):  # NewConnectionError is one
                raise ApiError(unreachable(self.base_url, err.reason)) from None
            raise ApiError(failed(what, self.pool.sent - sent, _why(err.reason))) from None
        except _Refused as err:
            raise ApiError(f"{what}: {err}") from None
        except urllib3.exceptions.HTTPError as err:
            raise ApiError(f"{what} failed: {_why(err)}; try again later") from None
        finally:
            self.seconds = time.monotonic() - started
            if resp is not None and whole:
                resp.release_conn()
            elif resp is not None:  # a connection with an answer left unread is not used again
                resp.close()
        if resp.status == 200:
            return body
        if resp.status in RETRY_STATUSES:
            last = f"HTTP {resp.status}: {_reason(body, resp)}"
            raise ApiError(failed(what, self.pool.sent - sent, last))
        raise ApiError(self._refused(resp.status, _reason(body, resp), what))

    def _redirected(self, resp, url: str) -> str:
        target = urlsplit(urljoin(url, resp.headers.get("Location", "")))
        host = target.hostname or "?"
        where = f"{target.scheme}://{host}{f':{target.port}' if target.port else ''}{target.path}"
        asked = urlsplit(self.base_url).hostname
        other = "another host, " if host != asked else ""
        return f"the API answered HTTP {resp.status}, a redirect to {other}{_cut(where, 120)}: sinorus follows no redirect, so the request and any key stay with {asked}; if that address is the API, pass it as --base-url"

    def _refused(self, status: int, reason: str, what: str) -> str:
        if status == 400 and "number of periods" in reason.lower():
            return f"UN Comtrade refused more years in one request than it allows (HTTP 400: {reason}): the public preview allows one year per request, which is what sinorus asks; the API's limits may have changed"
        if status == 401 and self.key:
            return f"UN Comtrade refused the subscription key (HTTP 401: {reason}): check {KEY_ENV}, or unset it to use the public preview"
        if status == 401:
            return f"UN Comtrade asks for a subscription key (HTTP 401: {reason}): get a free one at comtradedeveloper.un.org and set it, e.g. `export {KEY_ENV}=...`"
        if status == 403 and "quota" in reason.lower():
            return f"UN Comtrade refused access (HTTP 403: {reason}): the call quota is used up; run the same command again once it is replenished, and it asks only for what is missing"
        if status == 403:
            hint = (
                f"the key in {KEY_ENV} may not include this API, or its quota is used up"
                if self.key
                else "the public preview refused this address"
            )
            return f"UN Comtrade refused access (HTTP 403: {reason}): {hint}"
        return f"UN Comtrade rejected {what} (HTTP {status}: {reason})"

    def _pace(self) -> None:
        interval = _interval()
        now = time.monotonic()
        if self._last is not None and interval > 0:
            left = self._last + interval - now
            if left > 0:
                _sleep(left)
        self._last = time.monotonic()


def _interval() -> float:
    try:
        return max(0.0, float(os.environ.get(INTERVAL_ENV, INTERVAL)))
    except ValueError:
        return INTERVAL


def check_base_url(url: str) -> str:
    """`url` without a trailing slash, or ApiError: http(s), a host, no query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ApiError(not_an_api_address(url))
    return url.strip().rstrip("/")


def parse(body: bytes, query: Query, max_records: int) -> Response:
    """`body` checked as a UN Comtrade v1 response: JSON, an object, `error` empty, `data` a
    list. `cut` when it holds `max_records` records or more, or `count` says there are more."""
    what = f"the response for {query.describe()}"
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise ApiError(not_utf8(what, err.start, len(body))) from None
    except json.JSONDecodeError as err:
        raise ApiError(not_complete_json(what, err, len(body))) from None
    except RecursionError:
        raise ApiError(f"{what} is JSON nested too deep: the API may have changed") from None
    if not isinstance(doc, dict):
        raise ApiError(not_an_object(what, doc))
    error = doc.get("error")
    if error not in (None, "", [], {}):
        raise ApiError(f"UN Comtrade answered {what} with an error: '{_cut(error, 200)}'")
    data, count = doc.get("data"), doc.get("count")
    if isinstance(data, dict) and isinstance(count, int) and not isinstance(count, bool):
        raise ApiError(only_a_count(what, count))
    if not isinstance(data, list):
        found = ", ".join(_cut(k, 30) for k in list(doc)[:8]) or "nothing"
        raise ApiError(no_data_list(what, found))
    more = isinstance(count, int) and not isinstance(count, bool) and count > len(data)
    return Response(body, len(data), len(data) >= max_records or more)


def strip_credentials(url: str) -> tuple[str, str | None]:
    """`url` without any `user:password@` (the address recorded in files and messages), and
    the `user:password` (sent as HTTP Basic authentication, never recorded), or None."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host)), parts.netloc.rpartition("@")[0]


def _manager(base_url: str) -> urllib3.PoolManager:
    """urllib3's pool manager for `base_url`, through the proxy the environment names for it
    (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), its pools those of this module (deadline, count)."""
    parts = urlsplit(base_url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        manager = urllib3.ProxyManager(proxy, num_pools=1, maxsize=1, retries=False)
    else:
        manager = urllib3.PoolManager(num_pools=1, maxsize=1, retries=False)
    manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    return manager


def _max_bytes() -> int:
    """$SINORUS_FETCH_MAX_MB (default 50) in bytes: the most an answer may hold, as sent and
    decompressed."""
    return int(_setting(MAX_MB_ENV, MAX_MB) * 1_000_000)


def _deadline() -> float:
    """$SINORUS_FETCH_DEADLINE (default 120): seconds an answer may take, from asking to its
    last byte."""
    return _setting(DEADLINE_ENV, DEADLINE)


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def _read_body(resp, cap: int) -> bytes:
    """The answer's body, read as it arrives and decompressed here (gzip or deflate), each
    step bounded: more than `cap` bytes, as sent or decompressed, is refused at once."""
    mb = f"{cap / 1_000_000:g} MB (${MAX_MB_ENV})"
    length = (resp.headers.get("Content-Length") or "").strip()
    if length.isdigit() and int(length) > cap:
        raise _Refused(
            f"the answer says it holds {int(length):,} bytes, more than the {mb} sinorus accepts"
        )
    encoding = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise _Refused(unread_encoding(encoding))
    decoder = (
        None
        if encoding == "identity"
        else zlib.decompressobj(zlib.MAX_WBITS | (16 if "gzip" in encoding else 0))
    )
    out, received = bytearray(), 0
    try:
        while chunk := resp.read1(CHUNK, decode_content=False):
            received += len(chunk)
            if received > cap:
                raise _Refused(f"the answer holds more than the {mb} sinorus accepts")
            while chunk:
                if decoder is None:
                    out += chunk
                    break
                out += decoder.decompress(chunk, cap + 1 - len(out))
                chunk = decoder.unconsumed_tail
                if len(out) > cap:
                    raise _Refused(f"{decompresses_beyond(mb)} ({received:,} bytes sent)")
        if decoder is not None:
            out += decoder.flush()
            if len(out) > cap:
                raise _Refused(decompresses_beyond(mb))
            if not decoder.eof:
                raise _Refused(cut_off(encoding, received))
    except zlib.error as err:
        raise _Refused(f"the answer is not valid {encoding} data ({_short(err)})") from None
    return bytes(out)


def _peek(response) -> bytes:
    """The first bytes of an answer about to be retried (what it says, and any "Try again in
    N seconds"); the connection is then closed, so the rest is never read."""
    try:
        raw = response.read(PEEK, decode_content=False) or b""
        encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            raw = zlib.decompressobj(zlib.MAX_WBITS | (16 if "gzip" in encoding else 0)).decompress(
                raw, PEEK
            )
    except (urllib3.exceptions.HTTPError, OSError, zlib.error):
        raw = b""
    response.close()
    return raw


def _try_again(body: bytes) -> float | None:
    """The seconds in the API's own "Rate limit is exceeded. Try again in 8 seconds.", or None."""
    found = re.search(r"try again in (\d+) second", _reason(body), re.IGNORECASE)
    return float(found.group(1)) if found else None


def _why(err) -> str:
    """A urllib3 error as the reason a request failed."""
    if isinstance(err, ReadTimeoutError):
        return f"no answer within {TIMEOUT.read_timeout:g} s"
    if isinstance(err, ProtocolError):
        return f"the connection was cut before the answer ended ({_short(err.args[-1] if err.args else err)})"
    if isinstance(err, NewConnectionError):
        return _short(str(err).rpartition(": ")[2] or err)
    return _short(err)


def _reason(body: bytes, resp=None) -> str:
    """What an error response says, on one line: its JSON `message` (Azure API Management),
    `error` or `errorObject.errorMessage`, else its text; else the HTTP reason."""
    text = body.decode("utf-8", errors="replace")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, dict):
        inner = doc.get("errorObject") if isinstance(doc.get("errorObject"), dict) else {}
        for value in (doc.get("message"), doc.get("error"), inner.get("errorMessage")):
            if isinstance(value, str) and value.strip():
                return _cut(value, 200)
    if text.strip():
        return _cut(text, 200)
    return (getattr(resp, "reason", "") or "no message").strip()


def _short(err: Exception) -> str:
    return _cut(err, 160)


def _cut(value, limit: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
