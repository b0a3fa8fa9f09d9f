"""`sinorus fetch comtrade`: the UN Comtrade API into a data package, against a local stand-in
(tests/comtrade_server.py, SYNTHETIC responses in the v1 shape): never the network.

The plan (requests within the API's limits), the package it writes (valid, a source row per
response, the responses kept under raw/), the cache (a re-run makes no request, --refresh does,
the package rebuilds offline, a run stopped midway asks next time only for what is missing),
retries (429 with Retry-After, 5xx), every failure mode as one line and exit 1 with nothing
written, the key only ever in a header, and the app's frames. The real API's answers recorded
in ../shared/comtrade-api/ are replayed through the stand-in; the bounds (no redirect, size
caps, a deadline, no credentials recorded) are tried against hostile answers from it."""

import hashlib
import json
import os
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sinorus import flows
from sinorus.cli import main
from sinorus.importers import comtrade_api as api
from sinorus.load import load, package_files, validate
from tests.comtrade_server import PATHS, fixture, offline_client, serve, value

FIX = Path(__file__).resolve().parent / "fixtures"
SECRET = "synthetic-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def offline_api(monkeypatch, tmp_path_factory):
    """No pacing, no real waits (each wait recorded), no key or address from the environment."""
    return offline_client(monkeypatch, tmp_path_factory.mktemp("cache"))


@pytest.fixture
def server():
    state, stop = serve()
    yield state
    stop()


def fetch(capsys, server_or_url, out, *extra, years=(1992, 2024)):
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.url
    args = [
        "fetch",
        "comtrade",
        "--from",
        str(years[0]),
        "--to",
        str(years[1]),
        "--into",
        str(out),
        "--base-url",
        url,
        *extra,
    ]
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fetched_sources(ds):
    return ds.sources[ds.sources["path"].str.startswith("raw/comtrade-")]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def assert_one_line_failure(code, out, err, tmp_path, into):
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in out + err
    assert not into.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
    return lines[0]


# --- the plan: requests within the API's limits ----------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "hs", "limit", "periods", "spans", "groups"),
    [
        (1992, 2024, "TOTAL", 500, 1, [1] * 33, 1),  # the public preview: one year a request
        (1992, 2024, "2", 500, 1, [1] * 33, 1),  # 392 records a year fit in 500
        (1992, 2024, "TOTAL", 500, 12, [12, 12, 9], 1),  # 4 records a year: 12 years per request
        (2024, 2024, "TOTAL", 500, 12, [1], 1),
        (2000, 2024, "TOTAL", 100_000, 12, [12, 12, 1], 1),  # the 12-period cap, with a key too
        (
            2020,
            2024,
            "2",
            500,
            12,
            [5],
            4,
        ),  # 98 a year per reporter and flow: 4 requests of 5 years
        (1992, 2024, "2", 500, 12, [5, 5, 5, 5, 5, 5, 3], 4),  # 28 requests (one year each: 33)
        (1992, 2024, "6", 100_000, 12, [4, 4, 4, 4, 4, 4, 4, 4, 1], 1),  # 22,456 a year
    ],
)
def test_the_years_split_into_the_requests_the_limits_allow(first, last, hs, limit, periods, spans, groups):  # fmt: skip
    queries = api.plan(first, last, hs, limit, periods)
    assert len(queries) == len(spans) * groups
    assert [len(q.years) for q in queries[: len(spans)]] == spans
    assert sorted({y for q in queries for y in q.years}) == list(range(first, last + 1))
    for q in queries:
        assert len(q.years) <= periods
        assert api.HS_RECORDS[hs] * len(q.years) * len(q.reporters) * len(q.flows) <= limit
    asked = [(r, f, y) for q in queries for r in q.reporters for f in q.flows for y in q.years]
    assert len(asked) == len(set(asked)) == 2 * 2 * (last - first + 1)  # each exactly once


def test_a_level_no_request_can_hold_says_what_to_do():
    with pytest.raises(api.PlanError, match=f"set {api.KEY_ENV}"):
        api.plan(2020, 2024, "4", api.PREVIEW_MAX_RECORDS)
    assert len(api.plan(2020, 2024, "4", api.KEY_MAX_RECORDS)) == 1


def test_a_cut_query_splits_years_then_reporters_then_flows():
    q = api.Query((2020, 2021, 2022))
    assert [p.years for p in q.split()] == [(2020, 2021), (2022,)]
    one = api.Query((2020,))
    assert [p.reporters for p in one.split()] == [("156",), ("643",)]
    assert [p.flows for p in api.Query((2020,), ("156",)).split()] == [("M",), ("X",)]
    assert api.Query((2020,), ("156",), ("M",)).split() == []


# --- the package --------------------------------------------------------------------------------


def test_fetch_writes_the_package_import_would_with_a_source_per_response(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err
    assert server.count == 33  # the public preview: one year a request
    assert [r.years for r in server.requests] == [[y] for y in range(1992, 2025)]
    assert {r.path for r in server.requests} == {api.PREVIEW_PATH}
    assert all(
        api.KEY_HEADER.lower() not in {h.lower() for h in r.headers} for r in server.requests
    )
    params = server.requests[0].params
    assert params["reporterCode"] == "156,643" and params["partnerCode"] == "643,156"
    assert params["flowCode"] == "M,X" and params["cmdCode"] == "TOTAL"
    assert params["maxRecords"] == "500"
    assert "33 request(s) made" in stdout

    assert validate(out) == []
    assert main(["validate", str(out)]) == 0
    ds = load(out)
    assert len(ds.trade_flows) == 33 * 2 * 2
    rows = ds.trade_flows.rows()
    assert set(rows["family"]) == {"un-comtrade"} and set(rows["reporter"]) == {"CHN", "RUS"}
    hit = rows[(rows.year == 2010) & (rows.reporter == "RUS") & (rows.reported_flow == "M")]
    assert hit["value_usd"].tolist() == [value(2010, "643", "M")]
    assert set(rows["commodity"]) == {"SYNTHETIC All Commodities"}

    sources = fetched_sources(ds)
    assert len(sources) == 33
    raw = sorted(p.relative_to(out).as_posix() for p in (out / "raw").iterdir())
    assert len(raw) == 66 and sorted(sources["path"]) == [
        p for p in raw if not p.endswith(".query.json")
    ]
    assert set(raw) <= set(package_files(ds))
    for s in sources.itertuples():
        assert s.kind == "dataset" and s.url.startswith(server.url + api.PREVIEW_PATH + "?")
        assert s.checksum == "sha256:" + hashlib.sha256((out / s.path).read_bytes()).hexdigest()
        assert s.imported == date.today().isoformat()
        meta = json.loads(
            (out / s.path.replace(".json", ".query.json")).read_text(encoding="utf-8")
        )
        assert meta["url"] == s.url and meta["sha256"] == s.checksum
        assert meta["records"] == 4 and f"{meta['records']} record(s)" in s.citation
        assert meta["fetched"].startswith(s.imported) and meta["fetched"] in s.citation
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.full
def test_the_rows_are_those_import_reads_from_the_kept_responses(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    kept = sorted(str(p) for p in (out / "raw").glob("comtrade-*[0-9a-f].json"))
    assert main(["import", *kept, "--into", str(tmp_path / "imported")]) == 0
    fetched = load(out).trade_flows.rows()
    imported = load(tmp_path / "imported").trade_flows.rows()
    key = ["source_id", "row"]
    assert fetched.sort_values(key, ignore_index=True).equals(
        imported.sort_values(key, ignore_index=True)
    )


def test_the_app_draws_a_line_per_reporter(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    ds = load(out)
    totals = flows.totals_frame(ds, (1992, 2024))
    imported = totals[totals["kind"] == "imported"]
    assert set(imported["series"]) == {
        "UN Comtrade · reported by China (exports + imports)",
        "UN Comtrade · reported by Russia (exports + imports)",
    }
    assert imported.groupby("reporter")["year"].nunique().to_dict() == {"CHN": 33, "RUS": 33}
    china_2020 = imported[(imported.reporter == "CHN") & (imported.year == 2020)]
    assert china_2020["value_usd_bn"].iloc[0] == pytest.approx(
        (value(2020, "156", "X") + value(2020, "156", "M")) / 1e9
    )
    direction = flows.direction_frame(ds, (1992, 2024))
    assert set(direction["reporter"]) == {"CHN", "RUS"}
    assert (
        "raw/comtrade-" in direction["row_refs"].iloc[0]
        and "record" in direction["row_refs"].iloc[0]
    )


@pytest.mark.full
def test_the_trade_chart_overlays_the_fetched_series(capsys, server, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    monkeypatch.setenv("SINORUS_DATA", str(out))
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120
    )
    at.run()
    assert not at.exception
    names = {  # a long legend entry is wrapped with <br>
        str(t.get("name")).replace("<br>", " ")
        for el in at.get("plotly_chart")
        for t in json.loads(el.proto.spec)["data"]
    }
    assert "UN Comtrade · reported by China (exports + imports)" in names
    assert "UN Comtrade · reported by Russia (exports + imports)" in names


# --- the cache ----------------------------------------------------------------------------------


@pytest.mark.full
def test_a_second_run_makes_no_request_and_refresh_does(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    sources = (out / "sources.csv").read_bytes()
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err
    assert server.count == 33  # no request
    assert stdout.count("record(s) from the cache (raw/") == 33 and "0 request(s) made" in stdout
    assert (out / "sources.csv").read_bytes() == sources  # rebuilt, the same
    assert validate(out) == []
    code, stdout, err = fetch(capsys, server, out, "--refresh")
    assert code == 0, err
    assert server.count == 66 and "33 request(s) made" in stdout
    assert len(fetched_sources(load(out))) == 33  # the new responses replace the old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.mark.full
def test_a_fetched_package_rebuilds_offline(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    offline = closed_port_url()
    code, stdout, err = fetch(capsys, offline, out)
    assert code == 0, err
    assert validate(out) == [] and len(load(out).trade_flows) == 132
    code, _, err = fetch(capsys, offline, tmp_path / "copy", "--data", str(out))  # its own cache
    assert code == 0, err
    copy = load(tmp_path / "copy")
    assert len(copy.trade_flows) == 132 and len(fetched_sources(copy)) == 33
    assert (tmp_path / "copy" / fetched_sources(copy)["path"].iloc[0]).is_file()


@pytest.mark.full
def test_other_years_ask_only_for_what_the_cache_lacks(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out, years=(1992, 2015))[0] == 0
    assert server.count == 24
    assert fetch(capsys, server, out, years=(1992, 2024))[0] == 0
    assert server.count == 33  # only 2016–2024
    assert len(fetched_sources(load(out))) == 33


@pytest.mark.full
def test_a_damaged_cached_response_is_asked_again(capsys, server, tmp_path, monkeypatch):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    kept = sorted((out / "raw").glob("comtrade-*[0-9a-f].json"))[0]
    kept.write_bytes(kept.read_bytes().replace(b"SYNTHETIC", b"SYNTHETIX", 1))
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err  # the intact copy in the user's cache is used
    assert server.count == 33 and "does not match its query file; asking again" in stdout
    assert validate(out) == [] and kept.read_bytes().count(b"SYNTHETIX") == 0
    kept.write_bytes(kept.read_bytes().replace(b"SYNTHETIC", b"SYNTHETIX", 1))
    monkeypatch.setenv("SINORUS_CACHE_DIR", "off")  # no other copy: asked again
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err
    assert server.count == 34 and "does not match its query file; asking again" in stdout
    assert validate(out) == []


def test_import_from_a_fetched_package_keeps_its_responses(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    assert (
        main(
            [
                "import",
                str(FIX / "observations-synthetic.csv"),
                "--data",
                str(out),
                "--into",
                str(tmp_path / "more"),
            ]
        )
        == 0
    )
    more = load(tmp_path / "more")
    for rel in fetched_sources(more)["path"]:
        assert (tmp_path / "more" / rel).read_bytes() == (out / rel).read_bytes()
        assert (tmp_path / "more" / rel.replace(".json", ".query.json")).is_file()


# --- retries ------------------------------------------------------------------------------------


def test_429_then_success_honours_retry_after(capsys, server, tmp_path, offline_api):
    server.script = [
        {
            "status": 429,
            "headers": {"Retry-After": "7"},
            "body": fixture("comtrade-api-429-synthetic.json"),
        },
        {
            "status": 429,
            "body": fixture("comtrade-api-429-synthetic.json"),
        },  # "Try again in 2 seconds."
        {"status": 503, "body": fixture("comtrade-api-503-synthetic.html")},
    ]
    code, stdout, err = fetch(capsys, server, tmp_path / "pkg")
    assert code == 0, err
    assert server.count == 3 + 33 and "36 request(s) made" in stdout
    assert offline_api == [7.0, 2.0, api.BACKOFF * 4]  # Retry-After, the message, backoff
    assert validate(tmp_path / "pkg") == []


def test_a_run_stopped_midway_asks_next_time_only_for_what_is_missing(capsys, server, tmp_path):
    server.script = [None] * 5 + [{"cut": "connection"}]  # five answers, then a cut
    into = tmp_path / "pkg"
    code, stdout, err = fetch(capsys, server, into, years=(2013, 2024))
    line = assert_one_line_failure(code, stdout, err, tmp_path, into)
    assert "the connection was cut before the answer ended" in line
    assert "the 5 response(s) received are kept in " in stdout and server.count == 6
    code, stdout, err = fetch(capsys, server, into, years=(2013, 2024))
    assert code == 0, err
    assert server.count == 6 + 7  # the 5 kept are not asked again
    assert [r.years for r in server.requests[6:]] == [[y] for y in range(2018, 2025)]
    assert stdout.count("record(s) from the cache (") == 5 and "7 request(s) made" in stdout
    assert stdout.count("from the cache (raw/") == 0  # nothing was written to DIR
    assert stdout.count("/comtrade/") == 5  # they come from the user's cache
    assert validate(into) == [] and len(load(into).trade_flows) == 12 * 4


def test_a_response_at_the_record_limit_is_split_and_asked_again(capsys, server, tmp_path, monkeypatch):  # fmt: skip
    monkeypatch.setenv(api.KEY_ENV, SECRET)  # with a key: 12 years a request
    monkeypatch.setattr(api, "KEY_MAX_RECORDS", 500)  # a small limit: small cut answers
    server.cut_over_years = 6  # more than 6 years in one request: 500 records, cut
    code, stdout, err = fetch(capsys, server, tmp_path / "pkg")
    assert code == 0, err
    assert server.count == 3 + 6  # 12, 12 and 9 years cut, each asked again in 2 parts
    assert stdout.count("data was cut; asking again in 2 parts") == 3
    ds = load(tmp_path / "pkg")
    assert len(ds.trade_flows) == 132 and len(fetched_sources(ds)) == 6


def test_a_response_over_the_record_limit_is_cut_too(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setenv(api.KEY_ENV, SECRET)
    monkeypatch.setattr(api, "KEY_MAX_RECORDS", 500)
    server.cut_over_years, server.over_by = 6, 20
    code, _, err = fetch(capsys, server, tmp_path / "pkg", years=(2013, 2024))
    assert code == 0, err
    assert server.count == 3


def test_an_empty_response_for_some_years_is_a_source_without_rows(capsys, server, tmp_path):
    server.empty_years = set(range(1992, 2004))
    code, stdout, err = fetch(capsys, server, tmp_path / "pkg")
    assert code == 0, err
    assert stdout.count("no records: UN Comtrade has none for this query") == 12
    ds = load(tmp_path / "pkg")
    # the 12 empty answers are the same bytes, so one source (sources are named by checksum)
    assert len(fetched_sources(ds)) == 21 + 1 and len(ds.trade_flows) == 21 * 4
    assert validate(tmp_path / "pkg") == []


# --- failures: one line, exit 1, nothing written ------------------------------------------------


FAILURES = {
    "401": (
        {"status": 401, "body": fixture("comtrade-api-401-synthetic.json")},
        "asks for a subscription key (HTTP 401: SYNTHETIC: Access denied",
    ),
    "403": (
        {
            "status": 403,
            "body": b'{"statusCode": 403, "message": "SYNTHETIC: Out of call volume quota."}',
        },
        "refused access (HTTP 403: SYNTHETIC: Out of call volume quota.)",
    ),
    "400": (
        {"status": 400, "body": b"SYNTHETIC: Bad Request"},
        "rejected the request for China and Russia reporting, imports and exports, 2013, all goods (TOTAL) (HTTP 400: SYNTHETIC: Bad Request)",
    ),
    "503 every time": (
        {"status": 503, "body": fixture("comtrade-api-503-synthetic.html")},
        "failed 5 times, the last: HTTP 503: <html>",
    ),
    "too long a wait": (
        {
            "status": 429,
            "headers": {"Retry-After": "3600"},
            "body": fixture("comtrade-api-429-synthetic.json"),
        },
        "asks to wait 3,600 s before the next request",
    ),
    "connection cut": ({"cut": "connection"}, "the connection was cut before the answer ended"),
    "truncated body": ({"cut": "body"}, "is not complete JSON ("),
    "not JSON": (
        {"body": fixture("comtrade-api-503-synthetic.html")},
        "is not complete JSON (Expecting value at character 0",
    ),
    "error set": (
        {"body": fixture("comtrade-api-error-synthetic.json")},
        "with an error: 'SYNTHETIC: the period parameter is not valid",
    ),
    "no data": (
        {"body": fixture("comtrade-api-changed-synthetic.json")},
        'has changed shape: no "data" list (found elapsedTime, count, results, error',
    ),
    "a list": ({"body": b"[]"}, "has changed shape: a JSON list"),
    "empty data": (
        {"body": fixture("comtrade-api-empty-synthetic.json")},
        "UN Comtrade has no records for 2013–2024",
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_every_failure_is_one_line_exit_1_and_nothing_written(capsys, server, tmp_path, case):
    server.always, expected = FAILURES[case]
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, server, into, years=(2013, 2024)), tmp_path, into)
    assert expected in line
    assert line.endswith(f"nothing written to {into}")


def test_a_cut_response_that_cannot_be_split_is_an_error(capsys, server, tmp_path):
    server.cut_over_years = 0  # every answer holds 500 records
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, server, into, years=(2020, 2020)), tmp_path, into)
    assert "holds 500 records, the most one request returns: data was cut" in line
    assert f"set {api.KEY_ENV}" in line
    assert server.count == 3  # both reporters; China alone; China's imports alone: stop there


def test_no_network_is_one_line(capsys, tmp_path):
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, closed_port_url(), into), tmp_path, into)
    assert "cannot reach 127.0.0.1:" in line and "check the network connection" in line


def test_a_plan_that_cannot_fit_asks_nothing(capsys, server, tmp_path):
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, server, into, "--hs", "4"), tmp_path, into)
    assert "--hs 4 gives up to 1,229 records" in line and server.count == 0


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--from", "2024", "--to", "1992"], 2, "expected 1988 ≤ --from ≤ --to"),
        (["--from", "1950", "--to", "1960"], 2, "expected 1988 ≤ --from ≤ --to"),
        (
            ["--from", "2020", "--to", "2020", "--base-url", "ftp://example.org"],
            1,
            "is not an API address",
        ),
        (
            ["--from", "2020", "--to", "2020", "--base-url", "https://h/?subscription-key=x"],
            1,
            "without ? or #",
        ),
    ],
)
def test_bad_arguments_are_one_line(capsys, tmp_path, args, code, expected):
    got = main(["fetch", "comtrade", *args, "--into", str(tmp_path / "pkg")])
    err = capsys.readouterr().err
    assert got == code and len(err.strip().splitlines()) == 1 and expected in err


def test_fetch_refuses_a_directory_it_did_not_write(capsys, server, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    code, _, err = fetch(capsys, server, mine)
    assert code == 1 and "was not written by `sinorus fetch`" in err and len(err.splitlines()) == 1
    assert (mine / "notes.txt").read_text() == "mine" and server.count == 0
    imported = tmp_path / "imported"
    assert main(["import", str(FIX / "comtrade-plus-synthetic.json"), "--into", str(imported)]) == 0
    code, _, err = fetch(capsys, server, imported)
    assert code == 1 and f"--data {imported} --into NEW" in err and server.count == 0


# --- the key ------------------------------------------------------------------------------------


def test_the_key_goes_in_a_header_and_nowhere_else(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setenv(api.KEY_ENV, SECRET)
    out = tmp_path / "pkg"
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err
    assert {r.path for r in server.requests} == {api.DATA_PATH}
    assert all(r.headers.get(api.KEY_HEADER) == SECRET for r in server.requests)
    assert all(SECRET not in r.query for r in server.requests)
    assert server.requests[0].params["maxRecords"] == str(api.KEY_MAX_RECORDS)
    assert "data API (subscription key)" in stdout
    assert SECRET not in stdout + err
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_refused_key_is_one_line_that_does_not_repeat_it(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setenv(api.KEY_ENV, SECRET)
    server.always = {
        "status": 401,
        "body": json.dumps(
            {"statusCode": 401, "message": f"SYNTHETIC: invalid key {SECRET}"}
        ).encode(),
    }
    into = tmp_path / "pkg"
    code, out, err = fetch(capsys, server, into)
    line = assert_one_line_failure(code, out, err, tmp_path, into)
    assert (
        f"refused the subscription key (HTTP 401: SYNTHETIC: invalid key ***): check {api.KEY_ENV}"
        in line
    )
    assert SECRET not in out + err


# --- the command line ----------------------------------------------------------------------------


def test_help_says_what_it_costs_how_to_set_a_key_and_where_the_cache_is(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["fetch", "comtrade", "--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in (
        "1992–2024 is 33 requests",
        "1992–2024 is 3 requests",
        api.KEY_ENV,
        api.KEY_HEADER,
        "DIR/raw/",
        "--refresh",
        "--base-url",
        api.URL_ENV,
        "500 records per request",
    ):
        assert words in text, words
    with pytest.raises(SystemExit):
        main(["fetch", "--help"])
    assert "comtrade" in capsys.readouterr().out


def test_from_a_shell_a_failure_is_one_line_without_traceback(server, tmp_path):
    server.always = {"status": 401, "body": fixture("comtrade-api-401-synthetic.json")}
    env = {
        "PATH": "/usr/bin:/bin",
        api.INTERVAL_ENV: "0",
        api.URL_ENV: server.url,
        "HOME": str(tmp_path),
    }
    into = tmp_path / "pkg"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sinorus",
            "fetch",
            "comtrade",
            "--from",
            "2020",
            "--to",
            "2024",
            "--into",
            str(into),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "HTTP 401" in result.stderr and server.count == 1 and not into.exists()
    assert {r.path for r in server.requests} <= set(PATHS)


# --- the real API's answers (../shared/comtrade-api/, each with its origin in its README) -------

#: ../shared/ beside the repository (where CI clones it), or $SINORUS_SHARED_DIR
SHARED = Path(os.environ.get("SINORUS_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared") / "comtrade-api"  # fmt: skip
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="../shared/comtrade-api/ (the real API responses, beside the repository) is absent",
)


def real(name: str) -> bytes:
    """A response body recorded from the real API, byte for byte (../shared/comtrade-api/)."""
    return (SHARED / f"{name}.body.json").read_bytes()


@needs_shared
def test_a_real_preview_answer_is_read(server):
    # bruno-portfolio/agrobr, tests/golden_data/comtrade/selecao_20260906/soy_br_cn_2023_01.json
    # (commit f465802): the public preview's answer for Brazil's soya exports to China, 2023
    body = real("agrobr_preview_C_A_HS_BRA_to_CHN_1201_2023_200")
    server.always = {"body": body}
    response = api.Client(server.url).get(api.Query((2023,)))
    assert response == api.Response(body, 1, False)


@needs_shared
def test_a_real_count_only_answer_is_said_not_read_as_records(server):
    # agrobr, soy_br_omitted_count_01.json: countOnly=true, "count": 63, "data" ONE object
    server.always = {"body": real("agrobr_preview_C_A_HS_BRA_1201_2023_countOnly_200")}
    with pytest.raises(api.ApiError, match=r'holds only a count \(63 record\(s\); "data" is one object'):  # fmt: skip
        api.Client(server.url).get(api.Query((2023,)))


@needs_shared
def test_the_real_401_without_a_key_says_how_to_set_one(capsys, server, tmp_path):
    # ropensci/comtradr, a test mock (commit f1ff906): the data API asked without a key
    server.always = {"status": 401, "body": real("comtradr_get_C_A_HS_401_missing_key")}
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, server, into, years=(2020, 2020)), tmp_path, into)
    assert "HTTP 401: Access denied due to missing subscription key." in line
    assert f"export {api.KEY_ENV}=" in line and "comtradedeveloper.un.org" in line


def test_the_preview_asks_one_year_and_says_so_if_refused_more(server):
    # the real preview's 400 for two periods, "Maximum number of periods for preview is 1"
    # (agrobr's recorded oracle, ../shared/comtrade-api/README.md), as the stand-in answers it
    client = api.Client(server.url)
    assert client.max_periods == 1 and api.Client(server.url, "k").max_periods == 12
    with pytest.raises(api.ApiError) as info:
        client.get(api.Query((2022, 2023)))
    said = str(info.value)
    assert "HTTP 400: Maximum number of periods for preview is 1" in said
    assert "the public preview allows one year per request" in said
    assert client.get(api.Query((2023,))).records == 4


def test_a_429_saying_try_again_in_n_seconds_waits_that_long(server, offline_api):
    # the 429 body's words as recorded from the real API (../shared/comtrade-api/README.md)
    said = b'{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 8 seconds."}'
    server.script = [{"status": 429, "body": said}]
    client = api.Client(server.url)
    assert client.get(api.Query((2023,))).records == 4
    assert offline_api == [8.0] and client.requests == 2


def test_a_used_up_quota_is_one_line_saying_to_run_again_later(capsys, server, tmp_path):
    # the 403 message of an exhausted key, as recorded (../shared/comtrade-api/README.md)
    said = b'{"statusCode": 403, "message": "Out of call volume quota. Quota will be replenished in 03:14:17."}'  # fmt: skip
    server.script = [None, None, {"status": 403, "body": said}]
    into = tmp_path / "pkg"
    code, out, err = fetch(capsys, server, into, years=(2020, 2024))
    line = assert_one_line_failure(code, out, err, tmp_path, into)
    assert "Quota will be replenished in 03:14:17.): the call quota is used up" in line
    assert "the 2 response(s) received are kept in" in out and server.count == 3


def test_a_real_empty_answer_is_no_rows_not_an_error(capsys, server, tmp_path):
    # the empty answer as recorded (../shared/comtrade-api/README.md)
    empty = b'{"elapsedTime":"0.58 secs","count":0,"data":[],"error":""}'
    server.script = [{"body": empty}]
    code, out, err = fetch(capsys, server, tmp_path / "pkg", years=(2023, 2024))
    assert code == 0, err
    assert "  2023: 0 record(s) fetched in" in out
    assert "no records: UN Comtrade has none for this query" in out
    assert len(load(tmp_path / "pkg").trade_flows) == 4


# --- bounds: a hostile stand-in on 127.0.0.1 ----------------------------------------------------


@pytest.fixture
def elsewhere():
    """A second stand-in, asked as `localhost`: another host than 127.0.0.1 by name."""
    state, stop = serve()
    yield state
    stop()


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_to_another_host_is_not_followed_and_gets_no_key(capsys, server, elsewhere, tmp_path, monkeypatch, status):  # fmt: skip
    monkeypatch.setenv(api.KEY_ENV, SECRET)
    port = elsewhere.url.rsplit(":", 1)[1]
    there = f"http://localhost:{port}{api.DATA_PATH}?period=2020"
    server.always = {"status": status, "headers": {"Location": there}}
    into = tmp_path / "pkg"
    code, out, err = fetch(capsys, server, into, years=(2020, 2020))
    line = assert_one_line_failure(code, out, err, tmp_path, into)
    assert f"HTTP {status}, a redirect to another host, http://localhost:{port}{api.DATA_PATH}" in line  # fmt: skip
    assert "sinorus follows no redirect, so the request and any key stay with 127.0.0.1" in line
    assert elsewhere.count == 0 and server.count == 1 and SECRET not in out + err


def test_a_body_claiming_a_gibibyte_is_refused_before_it_is_read(capsys, server, tmp_path):
    server.always = {"hostile": "claim"}
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, server, into, years=(2020, 2020)), tmp_path, into)
    assert "the answer says it holds 1,073,741,824 bytes, more than the 50 MB ($SINORUS_FETCH_MAX_MB)" in line  # fmt: skip


def test_a_body_over_the_cap_is_refused_as_it_arrives(server, monkeypatch):
    monkeypatch.setenv(api.MAX_MB_ENV, "0.1")
    server.always = {"hostile": "oversize", "size": 1_000_000}
    with pytest.raises(api.ApiError, match=r"the answer says it holds 1,000,0\d\d bytes, more than the 0.1 MB"):  # fmt: skip
        api.Client(server.url).get(api.Query((2020,)))


def test_a_body_without_a_length_is_counted_as_it_arrives(server, monkeypatch):
    monkeypatch.setenv(api.MAX_MB_ENV, "0.1")
    server.always = {"hostile": "oversize stream", "size": 5_000_000}
    with pytest.raises(api.ApiError, match=r"the answer holds more than the 0.1 MB \(\$SINORUS_FETCH_MAX_MB\) sinorus accepts"):  # fmt: skip
        api.Client(server.url).get(api.Query((2020,)))


def test_a_gzip_bomb_is_refused_counting_decompressed_bytes(server, monkeypatch):
    import tracemalloc

    monkeypatch.setenv(api.MAX_MB_ENV, "1")
    server.always = {"hostile": "gzip bomb", "size": 200_000_000}  # 200 MB in about 200 kB
    tracemalloc.start()
    try:
        with pytest.raises(api.ApiError, match=r"the answer decompresses to more than the 1 MB \(\$SINORUS_FETCH_MAX_MB\) sinorus accepts"):  # fmt: skip
            api.Client(server.url).get(api.Query((2020,)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # never more than the cap and a chunk, not 200 MB


@pytest.mark.parametrize("kind", ["drip", "drip headers"])
def test_a_slow_drip_is_given_up_at_the_deadline(server, monkeypatch, kind):
    import time

    monkeypatch.setenv(api.DEADLINE_ENV, "1")
    server.always = {"hostile": kind, "size": 50, "every": 0.1}  # 5 s at one byte a tenth
    client = api.Client(server.url)
    started = time.monotonic()
    with pytest.raises(api.ApiError, match=r"no complete answer within 1 s of asking \(\$SINORUS_FETCH_DEADLINE\)"):  # fmt: skip
        client.get(api.Query((2020,)))
    assert time.monotonic() - started < 3 and client.requests == 1


def test_credentials_in_the_address_are_sent_but_never_recorded(capsys, server, tmp_path):
    host = server.url.removeprefix("http://")
    into = tmp_path / "pkg"
    code, out, err = fetch(capsys, f"http://reader:pa55-word@{host}", into, years=(2023, 2023))
    assert code == 0, err
    headers = {k.lower(): v for k, v in server.requests[0].headers.items()}
    assert headers["authorization"] == "Basic cmVhZGVyOnBhNTUtd29yZA=="  # reader:pa55-word
    assert "pa55-word" not in out + err
    for path in into.rglob("*"):
        if path.is_file():
            assert b"pa55-word" not in path.read_bytes() and b"reader:" not in path.read_bytes(), path  # fmt: skip
    assert set(fetched_sources(load(into))["url"].str[: len(server.url) + 1]) == {server.url + "/"}
