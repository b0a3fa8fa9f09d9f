"""Static data files (issue 8): produced from data/, written atomically, served by Streamlit."""

import io
import json
import urllib.request
import zipfile
from pathlib import Path

import frictionless
import pytest

from sinorus import bundle, export, publish, transform
from sinorus.cli import main
from sinorus.load import DEFAULT_DATA_DIR
from sinorus.views import VIEWS
from tests.browser import ROOT, streamlit_server

PUBLISHED = [slug for slug, v in VIEWS.items() if v.published]  # the package's own views

TABLES = [  # every table file of the package, whatever it holds (CSV, or Parquet for trade_flows)
    r["path"] for r in json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_bytes())["resources"]
]


def test_publish_writes_every_table_descriptor_bundle_and_chart(ds, tmp_path):
    paths = publish.publish(ds, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert names == {
        "datapackage.json",
        *TABLES,
        "sinorus-data.zip",
        "charts/datapackage.json",
        *(f"charts/{slug}.csv" for slug in PUBLISHED),
    }
    for name in ["datapackage.json", *TABLES]:
        assert (tmp_path / name).read_bytes() == (DEFAULT_DATA_DIR / name).read_bytes(), name
    span = transform.year_span(ds)
    for slug, view in ((s, VIEWS[s]) for s in PUBLISHED):
        assert (tmp_path / "charts" / f"{slug}.csv").read_bytes() == export.to_csv(
            view.frame(ds, span)
        ), slug
    for descriptor in (tmp_path / "datapackage.json", tmp_path / "charts" / "datapackage.json"):
        report = frictionless.validate(str(descriptor))
        assert report.valid, [e.message for t in report.tasks for e in t.errors]
    with zipfile.ZipFile(tmp_path / "sinorus-data.zip") as zf:
        assert zf.read("observations.csv") == (DEFAULT_DATA_DIR / "observations.csv").read_bytes()
        assert "README.md" in zf.namelist()


def test_publish_is_idempotent_atomic_and_repairs(ds, tmp_path):
    first = publish.publish(ds, tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in first}
    publish._MEMO.clear()  # a new process: every file is compared, none rewritten
    assert publish.publish(ds, tmp_path) == first
    assert {p: p.stat().st_mtime_ns for p in first} == stamps
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]

    damaged = tmp_path / "observations.csv"
    damaged.write_text("broken", encoding="utf-8")
    publish._MEMO.clear()
    publish.publish(ds, tmp_path)
    assert damaged.read_bytes() == (DEFAULT_DATA_DIR / "observations.csv").read_bytes()
    assert (tmp_path / "sources.csv").stat().st_mtime_ns == stamps[tmp_path / "sources.csv"]


def test_repeat_calls_are_cheap_and_bundle_is_reproducible(ds, tmp_path, monkeypatch):
    publish.publish(DEFAULT_DATA_DIR, tmp_path)
    monkeypatch.setattr(publish, "files", lambda ds: pytest.fail("recomputed"))
    publish.publish(DEFAULT_DATA_DIR, tmp_path)  # memo: data files unchanged
    monkeypatch.undo()
    assert publish.files(ds)["sinorus-data.zip"] == publish.files(ds)["sinorus-data.zip"]


def test_publish_without_gdp_skips_its_chart(pkg, tmp_path):
    (pkg / "gdp.csv").unlink()
    paths = publish.publish(pkg, tmp_path / "out")
    names = {p.name for p in paths}
    assert "gdp.csv" not in names and "trade-to-gdp.csv" not in names
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert "gdp" not in {r["name"] for r in descriptor["resources"]}


def test_cli_publish(tmp_path, capsys):
    assert main(["publish", "--into", str(tmp_path)]) == 0
    assert (tmp_path / "charts" / "trade-total.csv").is_file()
    # the descriptor, the bundle, the charts' descriptor, a file per published view, the tables
    assert f"published {3 + len(PUBLISHED) + len(TABLES)} file(s)" in capsys.readouterr().err


def test_make_run_publishes_and_static_is_ignored():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("sinorus publish") < run.index("streamlit run")
    # a failing publish stops `make run` (no leading `-`)
    assert "\t$(BIN)/python -m sinorus publish" in run
    assert "/static/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# --- a live server ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(ds):
    publish.publish(ds)  # static/sinorus beside app.py, as `make run` does
    with streamlit_server() as url:
        yield url


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read(), response.headers.get("Content-Type", "")


@pytest.mark.browser
def test_server_serves_the_tables_and_descriptor(server):
    base = f"{server}/app/static/sinorus"
    body, kind = fetch(f"{base}/observations.csv")
    assert body == (DEFAULT_DATA_DIR / "observations.csv").read_bytes()
    assert kind.startswith("text/csv")
    body, kind = fetch(f"{base}/datapackage.json")
    assert json.loads(body) == json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_bytes())
    assert kind.startswith("application/json")
    for table in TABLES:
        body, _ = fetch(f"{base}/{table}")
        assert body == (DEFAULT_DATA_DIR / table).read_bytes()


@pytest.mark.browser
def test_server_serves_the_bundle_and_chart_files(server, ds):
    base = f"{server}/app/static/sinorus"
    body, kind = fetch(f"{base}/sinorus-data.zip")
    assert kind == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(body)).read("README.md")
    body, _ = fetch(f"{base}/charts/trade-total.csv")
    trade = VIEWS["trade-total"]
    assert body == export.to_csv(trade.frame(ds, trade.years(ds)))  # its full table, every layer
    assert set(publish.urls(server, ds)) >= {f"{base}/observations.csv", f"{base}/sources.csv"}


def test_published_urls_are_listed_in_docs(ds):
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name in publish.files(ds):
        assert f"/app/static/sinorus/{name}" in doc, name
    assert bundle.DATASET_BUNDLE_NAME in doc


def test_static_dir_is_beside_app():
    assert publish.DEFAULT_DEST == Path(ROOT) / "static" / "sinorus"
