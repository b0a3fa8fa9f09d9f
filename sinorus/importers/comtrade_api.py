"""The UN Comtrade v1 API as `sinorus fetch comtrade` calls it: the queries for the China–Russia
series, split to fit the API's limits, and one GET with a timeout, pacing and retries.

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
  years/months in a single query", ropensci/comtradr R/ct_check_params.R, check_date);
- pace: comtradr sends at most 10 requests a minute by default (ct_get_data,
  `requests_per_second = 10/60`) and retries a 429 or 403 after its Retry-After
  (R/ct_perform_request.R): we wait 6 s between requests ($SINORUS_COMTRADE_INTERVAL) and
  honour Retry-After on 429, 5xx and a 403 that carries one.

A response holding as many records as we asked for (`maxRecords`) was cut by the API: its query
is split (years in halves, then one reporter, then one flow) and asked again; a query that
cannot be split further is an error, never a silently short series.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import re
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import requests

DEFAULT_BASE_URL = "https://comtradeapi.un.org"
PREVIEW_PATH = "/public/v1/preview/C/A/HS"
DATA_PATH = "/data/v1/get/C/A/HS"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
KEY_ENV = "COMTRADE_API_KEY"
URL_ENV = "SINORUS_COMTRADE_URL"
INTERVAL_ENV = "SINORUS_COMTRADE_INTERVAL"

#: Records per response we ask for (`maxRecords`); a response that holds this many was cut.
PREVIEW_MAX_RECORDS = 500
KEY_MAX_RECORDS = 100_000
#: Periods (years) per request.
MAX_PERIODS = 12
#: Seconds between two requests (comtradr's default pace: 10 a minute).
INTERVAL = 6.0
#: Attempts per request (the first and 4 retries), the first backoff in seconds (doubling), and
#: the longest wait we accept from Retry-After before giving up with a message instead.
ATTEMPTS = 5
BACKOFF = 1.0
MAX_WAIT = 120.0
#: Seconds to connect, and to wait for the response.
TIMEOUT = (10.0, 60.0)

#: The reporters, each with its partner: China (156) and the Russian Federation (643).
PARTNER = {"156": "643", "643": "156"}
REPORTER_NAMES = {"156": "China", "643": "Russia"}
FLOWS = ("M", "X")
#: --hs: the commodity codes asked for (TOTAL always: the totals the app draws), and how many
#: records one reporter, flow and year gives at most (HS 2022: 97 chapters, 1,228 headings,
#: 5,613 subheadings; plus the TOTAL row). Only used to plan requests: a response is checked.
HS_CODES = {"TOTAL": "TOTAL", "2": "TOTAL,AG2", "4": "TOTAL,AG4", "6": "TOTAL,AG6"}
HS_RECORDS = {"TOTAL": 1, "2": 1 + 97, "4": 1 + 1_228, "6": 1 + 5_613}
HS_LABELS = {"TOTAL": "all goods (TOTAL)", "2": "TOTAL and HS chapters (2-digit)", "4": "TOTAL and HS headings (4-digit)", "6": "TOTAL and HS subheadings (6-digit)"}  # fmt: skip


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


def plan(first: int, last: int, hs: str = "TOTAL", max_records: int = PREVIEW_MAX_RECORDS) -> list[Query]:  # fmt: skip
    """The fewest requests that ask for reporters 156 and 643, flows M and X, years first–last
    at `hs`, each within `MAX_PERIODS` years and (by the most records a reporter, flow and year
    can give) within `max_records`. Groupings tried: both reporters and flows together, one
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
        span = min(MAX_PERIODS, max_records // per_year)
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


class Client:
    """GETs against one base URL, with the key (if any) in a header; counts the requests."""

    def __init__(self, base_url: str | None = None, key: str | None = None):
        self.base_url = check_base_url(base_url or os.environ.get(URL_ENV) or DEFAULT_BASE_URL)
        self.key = (key or "").strip() or None
        self.session = requests.Session()
        self.requests = 0
        self.seconds = 0.0  # spent waiting for the last query's answers (not pacing or backoff)
        self._last: float | None = None

    @classmethod
    def from_env(cls, base_url: str | None = None) -> Client:
        return cls(base_url, os.environ.get(KEY_ENV))

    @property
    def path(self) -> str:
        return DATA_PATH if self.key else PREVIEW_PATH

    @property
    def endpoint(self) -> str:
        return "data API (subscription key)" if self.key else "public preview (no key)"

    @property
    def max_records(self) -> int:
        return KEY_MAX_RECORDS if self.key else PREVIEW_MAX_RECORDS

    def url(self, query: Query) -> str:
        """The address asked, exactly as sent; it never holds the key (that is a header)."""
        return f"{self.base_url}{self.path}?{urlencode(query.params(self.max_records), safe=',')}"

    def scrub(self, text: str) -> str:
        """`text` with the key, should it appear anywhere, replaced by ***."""
        return text.replace(self.key, "***") if self.key else text

    def get(self, query: Query) -> Response:
        """The response to `query`, checked (see `parse`); raises ApiError with one line."""
        try:
            return parse(self._get(query), query, self.max_records)
        except ApiError as err:
            raise ApiError(self.scrub(str(err))) from None

    def _get(self, query: Query) -> bytes:
        url = self.url(query)
        headers = {"Accept": "application/json", "User-Agent": "sinorus (UN Comtrade fetch)"}
        if self.key:
            headers[KEY_HEADER] = self.key
        what = f"the request for {query.describe()}"
        why = ""
        self.seconds = 0.0
        for attempt in range(1, ATTEMPTS + 1):
            self._pace()
            self.requests += 1
            started = time.monotonic()
            try:
                resp = self.session.get(url, headers=headers, timeout=TIMEOUT)
                body = resp.content
            except requests.Timeout:
                why = f"no answer within {TIMEOUT[1]:g} s"
                wait = BACKOFF * 2 ** (attempt - 1)
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as err:  # fmt: skip
                why = f"the response was cut off before its end ({_short(err)})"
                wait = BACKOFF * 2 ** (attempt - 1)
            except requests.ConnectionError as err:
                host = urlsplit(self.base_url).netloc
                raise ApiError(f"cannot reach {host} ({_short(err)}): check the network connection (or --base-url / ${URL_ENV})") from None  # fmt: skip
            except requests.RequestException as err:
                raise ApiError(f"{what} failed: {_short(err)}") from None
            else:
                cut = _short_body(resp, body)
                status = resp.status_code
                if status == 200 and not cut:
                    return body
                if status == 200:
                    why, wait = cut, BACKOFF * 2 ** (attempt - 1)
                elif status == 429 or status >= 500 or (status == 403 and "Retry-After" in resp.headers):  # fmt: skip
                    why = f"HTTP {status}: {_reason(body, resp)}"
                    wait = _retry_after(resp, body)
                    if wait is None:
                        wait = BACKOFF * 2 ** (attempt - 1)
                    elif wait > MAX_WAIT:
                        raise ApiError(f"UN Comtrade asks to wait {wait:,.0f} s before the next request ({why}): try again later")  # fmt: skip
                else:
                    raise ApiError(self._refused(status, _reason(body, resp), what))
            finally:
                self.seconds += time.monotonic() - started
            if attempt < ATTEMPTS:
                _sleep(wait)
        raise ApiError(f"{what} failed {ATTEMPTS} times, the last: {why}; try again later")

    def _refused(self, status: int, reason: str, what: str) -> str:
        if status == 401 and self.key:
            return f"UN Comtrade refused the subscription key (HTTP 401: {reason}): check {KEY_ENV}, or unset it to use the public preview"  # fmt: skip
        if status == 401:
            return f"UN Comtrade refused the request without a key (HTTP 401: {reason}): the public preview may be closed; set {KEY_ENV} to use the data API"  # fmt: skip
        if status == 403:
            hint = f"the key in {KEY_ENV} may not include this API, or its quota is used up" if self.key else "the public preview refused this address"  # fmt: skip
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
        raise ApiError(f"'{_cut(url, 80)}' is not an API address (expected http(s)://host[/path], e.g. {DEFAULT_BASE_URL}, without ? or #)")  # fmt: skip
    return url.strip().rstrip("/")


def parse(body: bytes, query: Query, max_records: int) -> Response:
    """`body` checked as a UN Comtrade v1 response: JSON, an object, `error` empty, `data` a
    list. `cut` when it holds `max_records` records or more, or `count` says there are more."""
    what = f"the response for {query.describe()}"
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise ApiError(f"{what} is not UTF-8 text (byte {err.start:,} of {len(body):,}): the API may have changed") from None  # fmt: skip
    except json.JSONDecodeError as err:
        raise ApiError(f"{what} is not complete JSON ({err.msg} at character {err.pos:,} of {len(body):,}): it was cut off, or the API changed; try again later") from None  # fmt: skip
    except RecursionError:
        raise ApiError(f"{what} is JSON nested too deep: the API may have changed") from None
    if not isinstance(doc, dict):
        raise ApiError(f'{what} has changed shape: a JSON {type(doc).__name__} (expected an object {{"elapsedTime", "count", "data": [...], "error"}})')  # fmt: skip
    error = doc.get("error")
    if error not in (None, "", [], {}):
        raise ApiError(f"UN Comtrade answered {what} with an error: '{_cut(error, 200)}'")
    data = doc.get("data")
    if not isinstance(data, list):
        found = ", ".join(_cut(k, 30) for k in list(doc)[:8]) or "nothing"
        raise ApiError(f'{what} has changed shape: no "data" list (found {found}; expected "elapsedTime", "count", "data": [...], "error")')  # fmt: skip
    count = doc.get("count")
    more = isinstance(count, int) and not isinstance(count, bool) and count > len(data)
    return Response(body, len(data), len(data) >= max_records or more)


def _short_body(resp, body: bytes) -> str:
    """Why a 200 response's body is shorter than its Content-Length says, or ''."""
    length = resp.headers.get("Content-Length")
    if length is None or resp.headers.get("Content-Encoding") not in (None, "identity"):
        return ""
    try:
        expected = int(length)
    except ValueError:
        return ""
    if len(body) < expected:
        return f"the response was cut off: {len(body):,} of {expected:,} bytes"
    return ""


def _retry_after(resp, body: bytes) -> float | None:
    """Seconds the server asks to wait: Retry-After (seconds or a date), else the API's own
    'Try again in N seconds.'; None if it does not say."""
    value = resp.headers.get("Retry-After")
    if value:
        value = value.strip()
        if re.fullmatch(r"\d+(\.\d+)?", value):
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    found = re.search(r"try again in (\d+) second", _reason(body, resp), re.IGNORECASE)
    return float(found.group(1)) if found else None


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
