"""`sinorus fetch comtrade`: the UN Comtrade API into a data package, against a local stand-in
(tests/comtrade_server.py, SYNTHETIC responses in the v1 shape): never the network.

The plan (requests within the API's limits), the package it writes (valid, a source row per
response, the responses kept under raw/), the cache (a re-run makes no request, --refresh does,
the package rebuilds offline), retries (429 with Retry-After, 5xx), every failure mode as one
line and exit 1 with nothing written, the key only ever in a header, and the app's frames."""

import hashlib
import json
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
def offline_api(monkeypatch):
    """No pacing, no real waits (each wait recorded), no key or address from the environment."""
    return offline_client(monkeypatch)


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
    ("first", "last", "hs", "limit", "spans", "groups"),
    [
        (1992, 2024, "TOTAL", 500, [12, 12, 9], 1),  # 4 records a year: 12 years per request
        (2024, 2024, "TOTAL", 500, [1], 1),
        (2000, 2024, "TOTAL", 100_000, [12, 12, 1], 1),  # the 12-period cap, with a key too
        (2020, 2024, "2", 500, [5], 4),  # 98 a year per reporter and flow: 4 requests of 5 years
        (1992, 2024, "2", 500, [5, 5, 5, 5, 5, 5, 3], 4),  # 28 requests (one year each: 33)
        (1992, 2024, "6", 100_000, [4, 4, 4, 4, 4, 4, 4, 4, 1], 1),  # 22,456 a year
    ],
)
def test_the_years_split_into_the_requests_the_limits_allow(first, last, hs, limit, spans, groups):
    queries = api.plan(first, last, hs, limit)
    assert len(queries) == len(spans) * groups
    assert [len(q.years) for q in queries[: len(spans)]] == spans
    assert sorted({y for q in queries for y in q.years}) == list(range(first, last + 1))
    for q in queries:
        assert len(q.years) <= api.MAX_PERIODS
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
    assert server.count == 3
    assert [(r.years[0], r.years[-1]) for r in server.requests] == [
        (1992, 2003),
        (2004, 2015),
        (2016, 2024),
    ]
    assert {r.path for r in server.requests} == {api.PREVIEW_PATH}
    assert all(
        api.KEY_HEADER.lower() not in {h.lower() for h in r.headers} for r in server.requests
    )
    params = server.requests[0].params
    assert params["reporterCode"] == "156,643" and params["partnerCode"] == "643,156"
    assert params["flowCode"] == "M,X" and params["cmdCode"] == "TOTAL"
    assert params["maxRecords"] == "500"
    assert "3 request(s) made" in stdout

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
    assert len(sources) == 3
    raw = sorted(p.relative_to(out).as_posix() for p in (out / "raw").iterdir())
    assert len(raw) == 6 and sorted(sources["path"]) == [
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
        assert meta["records"] in (48, 36) and f"{meta['records']} record(s)" in s.citation
        assert meta["fetched"].startswith(s.imported) and meta["fetched"] in s.citation
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


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
    names = {
        t.get("name") for el in at.get("plotly_chart") for t in json.loads(el.proto.spec)["data"]
    }
    assert "UN Comtrade · reported by China (exports + imports)" in names
    assert "UN Comtrade · reported by Russia (exports + imports)" in names


# --- the cache ----------------------------------------------------------------------------------


def test_a_second_run_makes_no_request_and_refresh_does(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    sources = (out / "sources.csv").read_bytes()
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err
    assert server.count == 3  # no request
    assert stdout.count("record(s) from the cache (raw/") == 3 and "0 request(s) made" in stdout
    assert (out / "sources.csv").read_bytes() == sources  # rebuilt, the same
    assert validate(out) == []
    code, stdout, err = fetch(capsys, server, out, "--refresh")
    assert code == 0, err
    assert server.count == 6 and "3 request(s) made" in stdout
    assert len(fetched_sources(load(out))) == 3  # the new responses replace the old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


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
    assert len(copy.trade_flows) == 132 and len(fetched_sources(copy)) == 3
    assert (tmp_path / "copy" / fetched_sources(copy)["path"].iloc[0]).is_file()


def test_other_years_ask_only_for_what_the_cache_lacks(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out, years=(1992, 2015))[0] == 0
    assert server.count == 2
    assert fetch(capsys, server, out, years=(1992, 2024))[0] == 0
    assert server.count == 3  # only 2016–2024
    assert len(fetched_sources(load(out))) == 3


def test_a_damaged_cached_response_is_asked_again(capsys, server, tmp_path):
    out = tmp_path / "pkg"
    assert fetch(capsys, server, out)[0] == 0
    kept = sorted((out / "raw").glob("comtrade-*[0-9a-f].json"))[0]
    kept.write_bytes(kept.read_bytes().replace(b"SYNTHETIC", b"SYNTHETIX", 1))
    code, stdout, err = fetch(capsys, server, out)
    assert code == 0, err
    assert server.count == 4 and "does not match its query file; asking again" in stdout
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
    assert server.count == 3 + 3 and "6 request(s) made" in stdout
    assert offline_api == [7.0, 2.0, api.BACKOFF * 4]  # Retry-After, the message, backoff
    assert validate(tmp_path / "pkg") == []


def test_a_cut_off_connection_is_asked_again(capsys, server, tmp_path):
    server.script = [{"cut": "connection"}]
    code, _, err = fetch(capsys, server, tmp_path / "pkg", years=(2013, 2024))
    assert code == 0, err
    assert server.count == 2


def test_a_response_at_the_record_limit_is_split_and_asked_again(capsys, server, tmp_path):
    server.cut_over_years = 6  # more than 6 years in one request: 500 records, cut
    code, stdout, err = fetch(capsys, server, tmp_path / "pkg")
    assert code == 0, err
    assert server.count == 3 + 6  # 12, 12 and 9 years cut, each asked again in 2 parts
    assert stdout.count("data was cut; asking again in 2 parts") == 3
    ds = load(tmp_path / "pkg")
    assert len(ds.trade_flows) == 132 and len(fetched_sources(ds)) == 6


def test_a_response_over_the_record_limit_is_cut_too(capsys, server, tmp_path):
    server.cut_over_years, server.over_by = 6, 20
    code, _, err = fetch(capsys, server, tmp_path / "pkg", years=(2013, 2024))
    assert code == 0, err
    assert server.count == 3


def test_an_empty_response_for_some_years_is_a_source_without_rows(capsys, server, tmp_path):
    server.empty_years = set(range(1992, 2004))
    code, stdout, err = fetch(capsys, server, tmp_path / "pkg")
    assert code == 0, err
    assert "no records: UN Comtrade has none for this query" in stdout
    ds = load(tmp_path / "pkg")
    assert len(fetched_sources(ds)) == 3 and len(ds.trade_flows) == 21 * 4


# --- failures: one line, exit 1, nothing written ------------------------------------------------


FAILURES = {
    "401": (
        {"status": 401, "body": fixture("comtrade-api-401-synthetic.json")},
        "refused the request without a key (HTTP 401: SYNTHETIC: Access denied",
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
        "rejected the request for China and Russia reporting, imports and exports, 2013–2024, all goods (TOTAL) (HTTP 400: SYNTHETIC: Bad Request)",
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
    "connection cut every time": ({"cut": "connection"}, "the response was cut off"),
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
        "1992–2024: 3 requests",
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
