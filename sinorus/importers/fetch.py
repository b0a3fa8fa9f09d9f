"""`sinorus fetch comtrade --from Y --to Y --into DIR`: the official China–Russia series from the
UN Comtrade API, written as the same data package `sinorus import` would write.

Each response is kept in the package as `raw/comtrade-<query hash>.json`, byte for byte, with
the query it answered beside it (`raw/comtrade-<query hash>.query.json`: the address asked,
without any key, the time fetched, the record count, the response's sha256). Every response
goes through the Comtrade JSON reader and its checks (`reader.read`) and becomes one `sources`
row (kind dataset, path = the kept response, url = the query). A re-run finds the responses it
needs in DIR (or in the --data package) and makes no request unless --refresh; the package is
then rebuilt from them, offline. Nothing is written unless every response is usable and the
whole package validates; but each response is also kept, as it arrives, in the user's cache
(`resume_dir`), so a run stopped midway (an outage, a used-up quota, Ctrl-C) asks next time
only for what is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sinorus import load, paths
from sinorus.checks import DataError
from sinorus.importers import common
from sinorus.importers import comtrade_api as api
from sinorus.importers.command import write_or_say
from sinorus.importers.reader import read

RAW = "raw"
PREFIX = "comtrade-"
#: The first year of UN Comtrade data in the Harmonized System (HS 1988/92).
YEAR_FIRST = 1988

DESCRIPTION = f"""\
Fetch the official China–Russia trade series from the UN Comtrade API (v1) into a new data
package: China (156) and Russia (643) as reporters, each with the other as partner, imports (M)
and exports (X), annual, HS classification. Each response is read and checked as `sinorus
import` reads a Comtrade+ JSON file and recorded as a source: its query address (without any
key), the time fetched and the record count.

Cost: without a key, one request per year (the public preview allows one period and
{api.PREVIEW_MAX_RECORDS} records per request): 1992–2024 is 33 requests, about 3 min 20 s at
one request per {api.INTERVAL:g} s (${api.INTERVAL_ENV} sets the pace), at --hs TOTAL or 2;
--hs 4 or 6 needs a key. With a key, one request per {api.MAX_PERIODS} years: 1992–2024 is
3 requests (9 at --hs 6), about 15 s. A response at the record limit was cut: its query is
split and asked again, or the command stops and says so.

Key: none needed. Without ${api.KEY_ENV}, the public preview
({api.PREVIEW_PATH}); with it, the data API ({api.DATA_PATH}), up to
{api.KEY_MAX_RECORDS:,} records per request. The key is sent in the {api.KEY_HEADER}
header only and never written anywhere.

Cache: each response is kept in DIR/raw/ (comtrade-<query hash>.json, and .query.json beside
it). The same command again makes no request and rebuilds DIR from them, offline too;
--refresh asks again. DIR is replaced only by a package that validates; on any failure
nothing is written to it, but the responses received so far stay in the user's cache
(${{SINORUS_CACHE_DIR}}/comtrade/, else ~/.cache/sinorus/comtrade/), so the same command asks
next time only for what is missing.

Bounds: no redirect is followed (the key never leaves the address asked); an answer over
${api.MAX_MB_ENV} MB ({api.MAX_MB:g}), as sent or decompressed, or not complete within
${api.DEADLINE_ENV} seconds ({api.DEADLINE:g}) is refused; a user:password in --base-url is
sent as HTTP Basic authentication and never recorded.
"""


def register(subparsers) -> None:
    """Add `fetch` (with its source `comtrade`) to the `sinorus` command's subparsers."""
    p = subparsers.add_parser(
        "fetch",
        help="fetch official figures (UN Comtrade API) into a new data package",
        description="Fetch official trade figures from an API into a new data package.",
    )
    sources = p.add_subparsers(dest="source", required=True, metavar="SOURCE")
    cmd = sources.add_parser(
        "comtrade",
        help="China–Russia trade by year and direction from the UN Comtrade API (v1)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument(
        "--from",
        dest="year_from",
        type=int,
        required=True,
        metavar="YEAR",
        help=f"first year (from {YEAR_FIRST})",
    )
    cmd.add_argument(
        "--to", dest="year_to", type=int, required=True, metavar="YEAR", help="last year"
    )
    cmd.add_argument(
        "--hs",
        type=str.upper,
        choices=list(api.HS_CODES),
        default="TOTAL",
        help="TOTAL (default): all goods; 2, 4 or 6: also each HS chapter, heading or subheading",
    )
    cmd.add_argument(
        "--into",
        required=True,
        metavar="DIR",
        help="package directory to write (a new one, or one an earlier fetch wrote: it is rebuilt)",
    )
    cmd.add_argument(
        "--data",
        dest="data_dir",
        metavar="SRC",
        help="package to start from (default: $SINORUS_DATA or the embedded data/)",
    )
    cmd.add_argument(
        "--refresh",
        action="store_true",
        help="ask the API again even for responses kept in DIR/raw",
    )
    cmd.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API address (default: ${api.URL_ENV} or {api.DEFAULT_BASE_URL})",
    )
    cmd.set_defaults(handler=run)


@dataclass
class Entry:
    """One response, fetched now or found in a cache, with the query it answered."""

    query: api.Query
    name: str  # comtrade-<query hash>
    body_path: Path
    meta: dict
    cached: bool

    @property
    def rel(self) -> str:
        return f"{RAW}/{self.name}.json"

    @property
    def query_rel(self) -> str:
        return f"{RAW}/{self.name}{load.QUERY_SUFFIX}"


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr, flush=True)
    return 1


def _say(message: str) -> None:
    print(message, flush=True)


def bad_years(first: int, last: int, this_year: int) -> str:
    return f"error: --from {first} --to {last}: expected {YEAR_FIRST} ≤ --from ≤ --to ≤ {this_year}"


def invalid_start(where: Path, total: int) -> str:
    return f"the package to start from ({where}) is not valid ({total} problem(s); run `sinorus validate` on it); nothing fetched"


def kept_for_later(count: int, resume: Path) -> str:
    return f"  the {count} response(s) received are kept in {resume}: the same command asks only for the rest"


def no_records(years: range, responses: int, into: Path) -> str:
    return f'UN Comtrade has no records for {api.year_span(years)} ({responses} response(s), all with an empty "data" list): annual figures appear a year or more after the year ends; nothing written to {into}'


def rejected_responses(count: int, into: Path) -> str:
    return f"{count} response(s) rejected by the checks (listed above); nothing written to {into}"


def run(args) -> int:
    first, last = args.year_from, args.year_to
    this_year = date.today().year
    if not YEAR_FIRST <= first <= last <= this_year:
        print(bad_years(first, last, this_year), file=sys.stderr)
        return 2
    into = Path(args.into)
    refused = _check_into(into)
    if refused:
        return _error(refused)
    try:
        client = api.Client.from_env(args.base_url)
        queries = api.plan(first, last, args.hs, client.max_records, client.max_periods)
    except api.ApiError as err:
        return _error(str(err))
    try:
        base = load.load(args.data_dir)
    except DataError as err:
        return _error(invalid_start(load.data_dir(args.data_dir), err.total))
    resume = resume_dir(client)
    caches = [
        p.resolve() for p in (into / RAW, base.root / RAW, resume) if p is not None and p.is_dir()
    ]
    caches = list(dict.fromkeys(caches))
    _say(
        f"UN Comtrade {client.endpoint}: {len(queries)} request(s) planned for "
        f"{api.year_span(range(first, last + 1))}, {api.HS_LABELS[args.hs]} (at most "
        f"{client.max_periods} year(s) and {client.max_records:,} records per request)"
    )
    with tempfile.TemporaryDirectory(prefix=".sinorus-fetch-", dir=into.resolve().parent) as work:
        work = Path(work)
        fetched: list[Entry] = []
        try:
            entries = _collect(client, queries, caches, work, args.refresh, resume, fetched)
        except api.ApiError as err:
            if fetched and resume is not None:
                _say(kept_for_later(len(fetched), resume))
            return _error(f"{client.scrub(str(err))}; nothing written to {into}")
        if not any(e.meta["records"] for e in entries):
            return _error(no_records(range(first, last + 1), len(entries), into))
        results = [_result(e, client, work) for e in entries]
        for result in results:  # what the reader says beyond "kept every record"
            if not result.ok or result.skipped or result.notes or result.kept != result.read:
                for line in result.summary():
                    _say(line)
        rejected = [r for r in results if not r.ok]
        if rejected:
            return _error(rejected_responses(len(rejected), into))
        files = {}
        for e in entries:
            files[e.rel] = e.body_path
            files[e.query_rel] = e.body_path.with_name(e.name + load.QUERY_SUFFIX)
        ds = write_or_say(results, into, args.data_dir, files=files, replace=True)
        if ds is None:
            return 1
    kept = sum(r.kept for r in results)
    fetched = sum(not e.cached for e in entries)
    _say(
        f"wrote {ds.root}: valid data package; {kept:,} UN Comtrade row(s) from "
        f"{len(entries)} response(s): {client.requests} request(s) made, "
        f"{len(entries) - fetched} response(s) from the cache ({len(ds.trade_flows):,} "
        f"trade_flows rows, {len(ds.sources)} sources)"
    )
    return 0


def _check_into(into: Path) -> str | None:
    """Why `into` cannot be written, or None: its parent must exist; if it exists, it must be
    empty or a package an earlier fetch wrote (that one is rebuilt)."""
    parent = into.resolve().parent
    if not parent.is_dir():
        return f"{into}: its parent {parent} does not exist (create it first)"
    if not into.exists():
        return None
    if not into.is_dir():
        return f"{into} exists and is not a directory (expected a new directory)"
    if not any(into.iterdir()):
        return None
    if (into / load.DESCRIPTOR).is_file() and any(
        (into / RAW).glob(f"{PREFIX}*{load.QUERY_SUFFIX}")
    ):
        return None
    return f"{into} exists and was not written by `sinorus fetch` (expected a new directory, or a package an earlier fetch wrote; to add fetched figures to a package: --data {into} --into NEW)"


def resume_dir(client: api.Client) -> Path | None:
    """Where each response is kept as it arrives, whatever DIR: <cache>/comtrade/<16 hex of
    the API's address, without credentials>/ (see `paths.cache_dir`); None when the cache is
    off."""
    root = paths.cache_dir()
    if root is None:
        return None
    return root / "comtrade" / hashlib.sha256(client.base_url.encode()).hexdigest()[:16]


def _collect(
    client: api.Client,
    queries,
    caches,
    work: Path,
    refresh: bool,
    resume: Path | None = None,
    fetched: list | None = None,
) -> list[Entry]:
    """A usable response for each query, from a cache or the API; a response cut at the record
    limit is split and asked again. Each response fetched is kept in `resume` (and listed in
    `fetched`) at once. Raises ApiError."""
    out: list[Entry] = []
    todo = list(queries)
    while todo:
        query = todo.pop(0)
        name = cache_name(client, query)
        entry = None if refresh else _cached(client, query, name, caches)
        if entry is not None:
            where = (
                entry.body_path
                if resume is not None and entry.body_path.parent == resume.resolve()
                else entry.rel
            )
            _say(
                f"  {query.label()}: {entry.meta['records']:,} record(s) from the cache ({where}, fetched {entry.meta['fetched']})"
            )
            out.append(entry)
            continue
        response = client.get(query)
        if response.cut:
            parts = query.split()
            if not parts:
                raise api.ApiError(
                    f"the response for {query.describe()} holds {response.records:,} records, the most one request returns: data was cut, and one year, reporter and flow cannot be split further"
                    + (
                        f" (set {api.KEY_ENV} for up to {api.KEY_MAX_RECORDS:,} records per request)"
                        if not client.key
                        else ""
                    )
                )
            _say(
                f"  {query.label()}: {response.records:,} records, the most one request returns: data was cut; asking again in {len(parts)} parts"
            )
            todo[:0] = parts
            continue
        entry = _keep(client, query, name, response, work)
        _resume(entry, resume)
        if fetched is not None:
            fetched.append(entry)
        _say(
            f"  {query.label()}: {response.records:,} record(s) fetched in {client.seconds:.1f} s ({entry.rel})"
        )
        out.append(entry)
    return out


def cache_name(client: api.Client, query: api.Query) -> str:
    """comtrade-<16 hex of sha256 over the endpoint and the query string> (never the key)."""
    ask = json.dumps(
        {"path": client.path, "params": query.params(client.max_records)}, sort_keys=True
    )
    return PREFIX + hashlib.sha256(ask.encode()).hexdigest()[:16]


def _keep(client, query, name: str, response: api.Response, work: Path) -> Entry:
    raw = work / RAW
    raw.mkdir(exist_ok=True)
    body_path = raw / f"{name}.json"
    body_path.write_bytes(response.body)
    meta = {
        "note": "A UN Comtrade API v1 response kept by `sinorus fetch comtrade`, byte for byte, and the query it answered.",
        "response": body_path.name,
        "query": query.describe(),
        "url": client.url(query),
        "endpoint": client.path,
        "params": query.params(client.max_records),
        "fetched": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "records": response.records,
        "sha256": common.checksum_of(body_path),
    }
    text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    (raw / f"{name}{load.QUERY_SUFFIX}").write_text(client.scrub(text), encoding="utf-8")
    return Entry(query, name, body_path, meta, cached=False)


def _resume(entry: Entry, resume: Path | None) -> None:
    """A copy of the response and its query file in `resume`, each written whole (a temporary
    name, then renamed); a cache that cannot be written only loses the resume."""
    if resume is None:
        return
    try:
        resume.mkdir(parents=True, exist_ok=True)
        for source in (entry.body_path, entry.body_path.with_name(entry.name + load.QUERY_SUFFIX)):
            part = resume / f".{source.name}.part"
            part.write_bytes(source.read_bytes())
            os.replace(part, resume / source.name)
    except OSError as err:
        _say(
            f"  note: cannot keep the response in {resume} ({err.strerror or err}): a later run asks for it again"
        )


def _cached(client, query, name: str, caches) -> Entry | None:
    """The kept response for `query` in the first cache that has a usable one: its query file
    names the same endpoint and query, its bytes match the recorded sha256, and it reads as a
    whole response under the record limit. A damaged one is said and asked again."""
    for raw in caches:
        body_path, meta_path = raw / f"{name}.json", raw / f"{name}{load.QUERY_SUFFIX}"
        if not body_path.is_file() or not meta_path.is_file():
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            same = (
                isinstance(meta, dict)
                and meta.get("endpoint") == client.path
                and meta.get("params") == query.params(client.max_records)
                and meta.get("sha256") == common.checksum_of(body_path)
                and isinstance(meta.get("records"), int)
                and isinstance(meta.get("fetched"), str)
            )
            if same:
                response = api.parse(body_path.read_bytes(), query, client.max_records)
                if not response.cut and response.records == meta["records"]:
                    return Entry(query, name, body_path, meta, cached=True)
        except (OSError, ValueError, api.ApiError):
            pass
        _say(
            f"  note: the kept response {raw / body_path.name} does not match its query file; asking again"
        )
    return None


def _result(entry: Entry, client: api.Client, work: Path) -> common.ImportResult:
    """The response read and checked as `sinorus import` reads a Comtrade+ JSON file, with the
    source row of a fetched response. An empty `data` list is a source without rows."""
    meta, file = entry.meta, f"{entry.name}.json"
    if meta["records"]:
        result = read(entry.body_path, name=file, workdir=work / "read")
    else:
        result = common.ImportResult(
            file,
            format="comtrade_plus_json",
            checksum=meta["sha256"],
            size=entry.body_path.stat().st_size,
        )
        result.notes.append(
            "no records: UN Comtrade has none for this query (not reported yet, or no trade)"
        )
    if result.ok:
        result.source = _source_row(entry, client, result.checksum)
    return result


def _source_row(entry: Entry, client: api.Client, digest: str) -> dict:
    meta = entry.meta
    when, records, url = meta["fetched"], meta["records"], client.scrub(meta["url"])
    row = common.source_row(
        f"{entry.name}.json", "comtrade_plus_json", digest, date.fromisoformat(when[:10])
    )
    row.update(
        title=f"UN Comtrade API v1: {meta['query']}",
        publisher=f"United Nations, UN Comtrade database, API v1 ({meta['endpoint']})",
        url=url,
        path=entry.rel,
        license="UN Comtrade policy on use and re-dissemination (UN Comtrade Help Center); not checked by sinorus",
        citation=(
            f"United Nations Statistics Division, UN Comtrade database, API v1 "
            f"({meta['endpoint']}): {meta['query']}; {records:,} record(s), fetched {when} "
            f"from {url}; response {digest}."
        ),
        note=(
            f"Fetched {when} by `sinorus fetch comtrade` ({records:,} record(s)); the response "
            f"is kept as {entry.rel} and its query as {entry.query_rel}. Rows cite their record "
            "in the response."
        ),
    )
    return row
