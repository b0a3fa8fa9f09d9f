"""`sinorus fetch comtrade`: the UN Comtrade API into a data package, against a local stand-in
(tests/comtrade_server.py, SYNTHETIC responses in the v1 shape): never the network.

The plan (requests within the API's limits), the package it writes (valid, a source row per
response, the responses kept under raw/), the cache (a re-run makes no request, --refresh does,
the package rebuilds offline, a run stopped midway asks next time only for what is missing),
retries (429 with Retry-After, 5xx), every failure mode as one line and exit 1 with nothing
written, the key only ever in a header, and the app's frames. The real API's answers recorded
in ../shared/comtrade-api/ are replayed through the stand-in; the bounds (no redirect, size
caps, a deadline, no credentials recorded) are tried against hostile answers from it."""

import email.utils
import hashlib
import json
import os
import socket
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from sinorus import flows
from sinorus.cli import main
from sinorus.importers import comtrade_api as api
from sinorus.importers import fetch as fetch_module
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
    args = ["fetch", "comtrade", "--from", str(years[0]), "--to", str(years[1]), "--into", str(out), "--base-url", url, *extra]  # fmt: skip
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


@pytest.mark.parametrize(("first", "last", "hs", "limit", "periods", "spans", "groups"), [
    (1992, 2024, "TOTAL", 500, 1, [1] * 33, 1),  # the public preview: one year a request
    (1992, 2024, "2", 500, 1, [1] * 33, 1),  # 392 records a year fit in 500
    (1992, 2024, "TOTAL", 500, 12, [12, 12, 9], 1),  # 4 records a year: 12 years per request
    (2024, 2024, "TOTAL", 500, 12, [1], 1),
    (2000, 2024, "TOTAL", 100_000, 12, [12, 12, 1], 1),  # the 12-period cap, with a key too
    (2020, 2024, "2", 500, 12, [5], 4),  # 98 a year per reporter and flow: 4 requests of 5 years
    (1992, 2024, "2", 500, 12, [5, 5, 5, 5, 5, 5, 3], 4),  # 28 requests (one year each: 33)
    (1992, 2024, "6", 100_000, 12, [4, 4, 4, 4, 4, 4, 4, 4, 1], 1),  # 22,456 a year
])  # fmt: skip
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
    "401": ({"status": 401, "body": fixture("comtrade-api-401-synthetic.json")}, "asks for a subscription key (HTTP 401: SYNTHETIC: Access denied"),
    "403": ({"status": 403, "body": b'{"statusCode": 403, "message": "SYNTHETIC: Out of call volume quota."}'}, "refused access (HTTP 403: SYNTHETIC: Out of call volume quota.)"),
    "400": ({"status": 400, "body": b"SYNTHETIC: Bad Request"}, "rejected the request for China and Russia reporting, imports and exports, 2013, all goods (TOTAL) (HTTP 400: SYNTHETIC: Bad Request)"),
    "503 every time": ({"status": 503, "body": fixture("comtrade-api-503-synthetic.html")}, "failed 5 times, the last: HTTP 503: <html>"),
    "too long a wait": ({"status": 429, "headers": {"Retry-After": "3600"}, "body": fixture("comtrade-api-429-synthetic.json")}, "asks to wait 3,600 s before the next request"),
    "connection cut": ({"cut": "connection"}, "the connection was cut before the answer ended"),
    "truncated body": ({"cut": "body"}, "is not complete JSON ("),
    "not JSON": ({"body": fixture("comtrade-api-503-synthetic.html")}, "is not complete JSON ("),  # then the JSON reader's reason
    "error set": ({"body": fixture("comtrade-api-error-synthetic.json")}, "with an error: 'SYNTHETIC: the period parameter is not valid"),
    "no data": ({"body": fixture("comtrade-api-changed-synthetic.json")}, 'has changed shape: no "data" list (found elapsedTime, count, results, error'),
    "a list": ({"body": b"[]"}, "has changed shape: a JSON list"),
    "empty data": ({"body": fixture("comtrade-api-empty-synthetic.json")}, "UN Comtrade has no records for 2013–2024"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(FAILURES))
def test_every_failure_is_one_line_exit_1_and_nothing_written(capsys, server, tmp_path, case):
    server.always, expected = FAILURES[case]
    into = tmp_path / "pkg"
    line = assert_one_line_failure(*fetch(capsys, server, into, years=(2013, 2024)), tmp_path, into)
    assert expected in line
    assert line.endswith(f"nothing written to {into}")


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
        (["--from", "2020", "--to", "2020", "--base-url", "ftp://example.org"], 1, "is not an API address"),
        (["--from", "2020", "--to", "2020", "--base-url", "https://h/?subscription-key=x"], 1, "without ? or #"),
    ],
)  # fmt: skip
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


@pytest.mark.parametrize("hostile, size, match", [  # a body over the cap, with a length or without
    ("oversize", 1_000_000, r"the answer says it holds 1,000,0\d\d bytes, more than the 0.1 MB"),
    ("oversize stream", 5_000_000, r"the answer holds more than the 0.1 MB \(\$SINORUS_FETCH_MAX_MB\) sinorus accepts"),
])  # fmt: skip
def test_a_body_over_the_cap_is_refused_as_it_arrives(server, monkeypatch, hostile, size, match):
    monkeypatch.setenv(api.MAX_MB_ENV, "0.1")
    server.always = {"hostile": hostile, "size": size}
    with pytest.raises(api.ApiError, match=match):
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


# --- How long the API asks to wait, what an error response says, how a query splits --------------


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


# --- Queries, refusals, retries and waits, response checks, the kept response and the command's lines ---


DESCRIBE = "China and Russia reporting, imports and exports, 2020, all goods (TOTAL)"


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
PARSE_ERRORS = [  # (the body, a key phrase of what is said of it, beside naming the query)
    (b'{"data": [\xff]}', "is not UTF-8 text (byte 10 of 13)"),
    (b'{"data": [', "is not complete JSON"),
    (b"[" * 100_000, "is JSON nested too deep"),
    (b"[]", "has changed shape: a JSON list"),
    (b'"x"', "has changed shape: a JSON str"),
    (b'{"error": "bad  period\\n", "data": []}', "with an error: 'bad period'"),
    (b'{"error": ["x"], "data": []}', "with an error: '['x']'"),
    (b'{"data": {}}', 'no "data" list (found data;'),
    (b"{}", 'no "data" list (found nothing;'),
    (("{" + ", ".join(f'"k{i}": 0' for i in range(9)) + "}").encode(), "(found k0, k1, k2, k3, k4, k5, k6, k7;"),
    (('{"' + "k" * 31 + '": 0}').encode(), f"(found {'k' * 29}…;"),
]  # fmt: skip


@pytest.mark.parametrize("body, said", PARSE_ERRORS, ids=[str(i) for i in range(len(PARSE_ERRORS))])
def test_each_unusable_response_is_one_line_naming_the_query(body, said):
    """The whole lines are in tests/golden/problems/fetch-responses.txt."""
    line = parse_error(body)
    assert WHAT in line and said in line and "\n" not in line


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
    for name, setting in env.items():
        monkeypatch.setenv(name, setting)
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


def client_with(server, *answers, key=None):
    """A client of the stand-in, which gives `answers` (its script) to the next requests."""
    server.script = list(answers)
    return api.Client(server.url, key)


def get_error(client) -> str:
    with pytest.raises(api.ApiError) as info:
        client.get(api.Query((2020,)))
    return str(info.value)


OK = {"body": ok_body()}


def test_a_good_answer_is_one_request_with_these_headers(server, offline_api):
    client = client_with(server, OK, key="k1")
    assert client.get(api.Query((2020,))) == api.Response(ok_body(), 2, False)
    [request] = server.requests
    assert request.path + "?" + request.query == client.url(api.Query((2020,))).removeprefix(server.url)  # fmt: skip
    headers = {k: v for k, v in request.headers.items() if k not in ("Host", "Connection")}
    assert headers == {"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "User-Agent": "sinorus (UN Comtrade fetch)", "Ocp-Apim-Subscription-Key": "k1"}  # fmt: skip
    assert (client.requests, offline_api) == (1, [])
    assert client_with(server, OK).get(api.Query((2020,))).records == 2


def test_five_failures_wait_as_urllib3_backs_off_and_say_the_last(server, offline_api):
    client = client_with(server, *[{"status": 503, "body": b"down"}] * 4 + [{"status": 502}])
    assert get_error(client) == f"the request for {DESCRIBE} failed 5 times, the last: HTTP 502: Bad Gateway; try again later"  # fmt: skip
    assert (offline_api, client.requests, server.count) == ([2.0, 4.0, 8.0], 5, 5)  # none before the first retry  # fmt: skip


@pytest.mark.parametrize(
    "failure, why",
    [({"status": 429, "body": b'{"message": "slow down"}'}, "HTTP 429: slow down"),
     ({"status": 500, "body": b"oops"}, "HTTP 500: oops"),
     ({"status": 504, "body": b""}, "HTTP 504: Gateway Timeout")],
)  # fmt: skip
def test_each_passing_failure_is_retried_then_said(server, offline_api, failure, why):
    client = client_with(server, *[failure] * api.ATTEMPTS)
    assert get_error(client) == f"the request for {DESCRIBE} failed 5 times, the last: {why}; try again later"  # fmt: skip
    assert offline_api == [2.0, 4.0, 8.0] and client.requests == 5


def test_an_answer_slower_than_the_read_timeout_is_asked_again(server, offline_api, monkeypatch):
    monkeypatch.setattr(api, "TIMEOUT", api.Timeout(connect=5.0, read=0.2))
    client = client_with(server, *[{"delay": 0.6}] * api.ATTEMPTS)
    assert get_error(client) == f"the request for {DESCRIBE} failed 5 times, the last: no answer within 0.2 s; try again later"  # fmt: skip
    assert server.count == 5
    assert client_with(server, {"delay": 0.6}, OK).get(api.Query((2020,))).records == 2


def test_a_passing_failure_then_success_returns_the_answer(server, offline_api):
    client = client_with(server, {"status": 503}, {"status": 429, "headers": {"Retry-After": "3"}}, OK)  # fmt: skip
    assert client.get(api.Query((2020,))).records == 2
    assert (offline_api, client.requests) == ([3.0], 3)


@pytest.mark.parametrize("seconds, waited", [("120", True), ("121", False)])
def test_a_retry_after_up_to_two_minutes_is_waited_and_a_longer_one_refused(server, offline_api, seconds, waited):  # fmt: skip
    client = client_with(server, {"status": 429, "body": b"busy", "headers": {"Retry-After": seconds}}, OK)  # fmt: skip
    if waited:
        assert client.get(api.Query((2020,))).records == 2 and offline_api == [120.0]
    else:
        assert get_error(client) == f"the request for {DESCRIBE}: UN Comtrade asks to wait 121 s before the next request (HTTP 429: busy): try again later"  # fmt: skip
        assert offline_api == [] and client.requests == 1


@pytest.mark.parametrize(
    "header, body, waits",
    [("1.5", b'{"message": "Rate limit is exceeded. Try again in 4 seconds."}', [4.0]),
     (None, b'{"message": "rate limit exceeded; TRY AGAIN IN 30 SECONDS"}', [30.0]),
     (None, b'{"message": "quota"}', []), ("soon", b"", [])],
)  # fmt: skip
def test_a_429_waits_retry_after_else_the_apis_sentence_else_the_backoff(server, offline_api, header, body, waits):  # fmt: skip
    headers = {} if header is None else {"Retry-After": header}
    client = client_with(server, {"status": 429, "body": body, "headers": headers}, OK)
    assert client.get(api.Query((2020,))).records == 2 and offline_api == waits


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
def test_a_refusal_is_said_at_once_without_retrying(server, offline_api, answer, said):
    client = client_with(server, answer)
    assert get_error(client) == said.replace("PORT", server.url.rsplit(":", 1)[1])
    assert (offline_api, client.requests) == ([], 1)


def test_the_proxy_the_environment_names_is_used(server, offline_api, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url)  # the stand-in, asked as a proxy
    client = api.Client("http://comtrade.example.invalid", "k1")
    assert client.get(api.Query((2020,))).records == 4
    [request] = server.requests
    assert request.headers["Host"] == "comtrade.example.invalid" and request.path == api.DATA_PATH
    monkeypatch.setenv("no_proxy", "comtrade.example.invalid")
    assert get_error(api.Client("http://comtrade.example.invalid")).startswith("cannot reach comtrade.example.invalid (")  # fmt: skip


def test_a_host_that_cannot_be_reached_is_said_at_once(offline_api):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = api.Client(f"http://127.0.0.1:{port}")
    said = get_error(client)
    assert said.startswith(f"cannot reach 127.0.0.1:{port} (") and said.endswith("): check the network connection (or --base-url / $SINORUS_COMTRADE_URL)")  # fmt: skip
    assert (offline_api, client.requests) == ([], 1)


def test_the_key_never_appears_in_an_error(server, offline_api):
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


def test_the_second_request_waits_out_the_interval(server, monkeypatch, offline_api):
    monkeypatch.setenv(api.INTERVAL_ENV, "50")
    client = client_with(server, OK, OK)
    client.get(api.Query((2020,)))
    assert offline_api == []  # the first request does not wait
    client.get(api.Query((2020,)))
    assert len(offline_api) == 1 and 49 < offline_api[0] <= 50


# --- fetch: the kept response, its query file, its source row ------------------------------------


class FixedTime(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_kept_response_and_its_query_file(monkeypatch, tmp_path):
    monkeypatch.setattr(fetch_module, "datetime", FixedTime)
    client, query = api.Client("http://h", "k-9"), api.Query((2020,))
    name = fetch_module.cache_name(client, query)
    ask = json.dumps({"path": "/data/v1/get/C/A/HS", "params": query.params(100_000)}, sort_keys=True)  # fmt: skip
    assert name == "comtrade-" + hashlib.sha256(ask.encode()).hexdigest()[:16]
    body = ok_body(3)
    entry = fetch_module._keep(client, query, name, api.Response(body, 3, False), tmp_path)
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
    entry = fetch_module.Entry(query, "comtrade-abc", tmp_path / "x.json", meta, cached=True)
    row = fetch_module._source_row(entry, client, "sha256:" + "0" * 64)
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
    names = [fetch_module.cache_name(api.Client(server.url), api.Query((y,))) for y in (2023, 2024)]
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
    assert not into.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


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
    name = fetch_module.cache_name(api.Client(server.url), api.Query((2023,)))
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
        (tmp_path / "no" / "pkg", f"{tmp_path / 'no' / 'pkg'}: its parent {tmp_path / 'no'} does not exist (create it first)"),
        (tmp_path / "file", f"{tmp_path / 'file'} exists and is not a directory (expected a new directory)"),
        (tmp_path / "mine", f"{tmp_path / 'mine'} exists and was not written by `sinorus fetch` (expected a new directory, or a package an earlier fetch wrote; to add fetched figures to a package: --data {tmp_path / 'mine'} --into NEW)"),
    ]  # fmt: skip
    for into, said in cases:
        assert run(capsys, "--from", 2020, "--to", 2020, "--into", into) == (1, "", f"error: {said}\n")  # fmt: skip
    (tmp_path / "empty").mkdir()
    assert fetch_module._check_into(tmp_path / "empty") is None and fetch_module._check_into(tmp_path / "new") is None  # fmt: skip


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
    monkeypatch.setattr(fetch_module, "datetime", FixedTime)
    client, query = api.Client("http://h"), api.Query((2020,))
    name = fetch_module.cache_name(client, query)
    fetch_module._keep(client, query, name, api.Response(ok_body(2), 2, False), tmp_path)
    return client, query, name, tmp_path / "raw"


def test_a_kept_response_that_matches_its_query_file_is_used(kept, capsys):
    client, query, name, raw = kept
    entry = fetch_module._cached(client, query, name, [raw])
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
    assert fetch_module._cached(client, query, name, [raw]) is None
    assert capsys.readouterr().out == f"  note: the kept response {raw / name}.json does not match its query file; asking again\n"  # fmt: skip


def test_a_kept_response_at_the_record_limit_is_asked_again(kept, capsys, monkeypatch):
    client, query, name, raw = kept
    monkeypatch.setattr(api, "PREVIEW_MAX_RECORDS", 2)  # the kept 2 records are now a cut answer
    assert fetch_module._cached(client, query, name, [raw]) is None
    assert capsys.readouterr().out.startswith("  note: the kept response ")


def test_a_missing_file_is_no_cache_and_nothing_said(kept, capsys, tmp_path):
    client, query, name, raw = kept
    (raw / f"{name}.query.json").unlink()
    assert fetch_module._cached(client, query, name, [raw, tmp_path / "nowhere"]) is None
    assert capsys.readouterr().out == ""


def test_the_first_cache_with_a_usable_response_wins(kept, capsys, tmp_path):
    client, query, name, raw = kept
    other = tmp_path / "other"
    other.mkdir()
    for suffix in (".json", ".query.json"):
        (other / f"{name}{suffix}").write_bytes((raw / f"{name}{suffix}").read_bytes())
    assert (
        fetch_module._cached(client, query, name, [other, raw]).body_path == other / f"{name}.json"
    )
    edit_meta(other, name, records=9)
    assert fetch_module._cached(client, query, name, [other, raw]).body_path == raw / f"{name}.json"
    assert capsys.readouterr().out == f"  note: the kept response {other / name}.json does not match its query file; asking again\n"  # fmt: skip


def test_an_empty_response_is_a_source_without_rows(kept, tmp_path):
    client, query, name, raw = kept
    (raw / f"{name}.json").write_bytes(b'{"count": 0, "data": [], "error": ""}')
    meta = {"query": DESCRIBE, "url": client.url(query), "endpoint": client.path, "fetched": "2026-01-02T03:04:05Z", "records": 0, "sha256": "sha256:" + "1" * 64}  # fmt: skip
    result = fetch_module._result(fetch_module.Entry(query, name, raw / f"{name}.json", meta, cached=True), client, tmp_path)  # fmt: skip
    assert (result.file, result.format, result.checksum, result.kept, result.read) == (f"{name}.json", "comtrade_plus_json", "sha256:" + "1" * 64, 0, 0)  # fmt: skip
    assert result.size == len(b'{"count": 0, "data": [], "error": ""}')
    assert result.notes == ["no records: UN Comtrade has none for this query (not reported yet, or no trade)"]  # fmt: skip
    assert result.source["path"] == f"raw/{name}.json" and result.source["citation"].count("0 record(s)") == 1  # fmt: skip


def test_a_response_with_rows_left_out_prints_its_summary(capsys, server, tmp_path):
    from tests.trade_tables import source_id

    rec = {"typeCode": "C", "freqCode": "A", "refYear": 2023, "reporterCode": 156, "partnerCode": 643, "flowCode": "X", "cmdCode": "TOTAL", "primaryValue": 5}  # fmt: skip
    body = json.dumps({"count": 2, "data": [rec, {**rec, "freqCode": "M"}], "error": ""}).encode()
    server.always = {"body": body}
    into = tmp_path / "pkg"
    code, out, err = run(capsys, "--from", 2023, "--to", 2023, "--into", into, "--base-url", server.url)  # fmt: skip
    name = fetch_module.cache_name(api.Client(server.url), api.Query((2023,)))
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


def test_the_pace_waits_exactly_what_is_left_of_the_interval(server, monkeypatch, offline_api):
    monkeypatch.setattr(api.time, "monotonic", Clock(100.0))
    monkeypatch.setenv(api.INTERVAL_ENV, "50")
    client = client_with(server, OK, OK, OK, OK)
    for _ in range(3):
        client.get(api.Query((2020,)))
    assert offline_api == [50.0, 50.0]
    monkeypatch.setenv(api.INTERVAL_ENV, "0")
    client.get(api.Query((2020,)))
    assert offline_api == [50.0, 50.0]


def test_the_plan_asks_for_all_goods_from_the_preview_by_default():
    assert api.plan(2020, 2032) == [api.Query(tuple(range(2020, 2032))), api.Query((2032,))]
    assert api.Query((2020,)).hs == "TOTAL"


def test_a_pace_under_a_second_is_waited_too(server, monkeypatch, offline_api):
    monkeypatch.setattr(api.time, "monotonic", Clock(7.0))
    monkeypatch.setenv(api.INTERVAL_ENV, "0.5")
    client = client_with(server, OK, OK)
    client.get(api.Query((2020,)))
    client.get(api.Query((2020,)))
    assert offline_api == [0.5]


@pytest.mark.parametrize("missing", ["--from", "--to", "--into"])
def test_years_and_the_folder_are_required(capsys, tmp_path, missing):
    args = {"--from": "2020", "--to": "2020", "--into": str(tmp_path / "p")}
    del args[missing]
    with pytest.raises(SystemExit) as info:
        main(["fetch", "comtrade", *[x for kv in args.items() for x in kv]])
    assert info.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]  # argparse's words: only the option is ours
    assert "error: " in last and last.endswith(missing)


@pytest.mark.parametrize(
    "argv, phrases",
    [(["comtrade"], ["1992–2024 is 33 requests", "1992–2024 is 3 requests", api.KEY_ENV, api.KEY_HEADER, "DIR/raw/", "--refresh", "--base-url", api.URL_ENV, "500 records per request"]),
     (["comtrade"], ["--from YEAR first year (from 1988)", "--to YEAR last year", "--hs {TOTAL,2,4,6}",
                     "Cost: without a key, one request per year (the public preview allows one period and 500 records per request): 1992–2024 is 33 requests, about 3 min 20 s at one request per 6 s ($SINORUS_COMTRADE_INTERVAL sets the pace), at --hs TOTAL or 2; --hs 4 or 6 needs a key. With a key, one request per 12 years: 1992–2024 is 3 requests (9 at --hs 6), about 15 s.",
                     "Bounds: no redirect is followed (the key never leaves the address asked); an answer over $SINORUS_FETCH_MAX_MB MB (50), as sent or decompressed, or not complete within $SINORUS_FETCH_DEADLINE seconds (120) is refused; a user:password in --base-url is sent as HTTP Basic authentication and never recorded.",
                     "up to 100,000 records per request. The key is sent in the Ocp-Apim-Subscription-Key header only and never written anywhere."]),
     (["comtrade"], ["--into DIR package directory to write (a new one, or one an earlier fetch wrote: it is rebuilt)",
                     "--data SRC package to start from (default: $SINORUS_DATA or the embedded data/)",
                     "--refresh ask the API again even for responses kept in DIR/raw",
                     f"--base-url URL API address (default: ${api.URL_ENV} or {api.DEFAULT_BASE_URL})",
                     "--hs {TOTAL,2,4,6} TOTAL (default): all goods; 2, 4 or 6: also each HS chapter, heading or subheading"]),
     ([], ["comtrade", "Fetch official trade figures from an API into a new data package."])],
    ids=["key and cache", "cost and bounds", "options", "fetch"],
)  # fmt: skip
def test_the_help_says_what_it_does_costs_and_takes(capsys, argv, phrases):
    with pytest.raises(SystemExit) as exit_:
        main(["fetch", *argv, "--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in phrases:
        assert words in text, words


def test_without_hs_the_command_asks_for_all_goods(monkeypatch, tmp_path):
    """The default is the API's own code, TOTAL, as a query sends it."""
    seen = []
    monkeypatch.setattr(fetch_module, "run", lambda args: seen.append(args) or 0)
    import argparse

    parser = argparse.ArgumentParser()
    fetch_module.register(parser.add_subparsers())
    args = parser.parse_args(["fetch", "comtrade", "--from", "2020", "--to", "2021", "--into", str(tmp_path)])  # fmt: skip
    assert args.hs == "TOTAL" and args.refresh is False and args.data_dir is None


@pytest.mark.parametrize(
    "key, status, hint",
    [(None, 403, "UN Comtrade refused access (HTTP 403: why): the public preview refused this address"),
     ("k", 403, "UN Comtrade refused access (HTTP 403: why): the key in COMTRADE_API_KEY may not include this API, or its quota is used up"),
     ("k", 401, "UN Comtrade refused the subscription key (HTTP 401: why): check COMTRADE_API_KEY, or unset it to use the public preview"),
     (None, 401, "UN Comtrade asks for a subscription key (HTTP 401: why): get a free one at comtradedeveloper.un.org and set it, e.g. `export COMTRADE_API_KEY=...`"),
     (None, 400, "UN Comtrade rejected the query (HTTP 400: why)")],
)  # fmt: skip
def test_a_refusal_says_what_to_do_with_or_without_a_key(key, status, hint):
    client = api.Client("http://127.0.0.1:9", key=key)
    assert api.KEY_ENV == "COMTRADE_API_KEY"
    assert client._refused(status, "why", "the query") == hint
