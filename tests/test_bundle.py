"""Bundles (issue 8): a ZIP of the chart's CSV, a Frictionless datapackage.json and a README."""

import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from sinorus import bundle, export, transform
from sinorus.cli import main
from sinorus.load import DEFAULT_DATA_DIR
from sinorus.views import VIEWS

PUBLISHED = [slug for slug, v in VIEWS.items() if v.published]  # the package's own views

MADE = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
RANGES = [(1995, 2006), (1992, 2007)]


def unzip(data: bytes, dest: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        zf.extractall(dest)
        return {name: zf.read(name) for name in zf.namelist()}


def errors(report) -> list[str]:
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.message}" for e in report.errors
    ]


@pytest.mark.parametrize("year_range", RANGES)
@pytest.mark.parametrize("slug", PUBLISHED)
def test_every_chart_bundle_holds_its_csv_and_validates(ds, tmp_path, slug, year_range):
    frame = VIEWS[slug].frame(ds, year_range)
    name, data = bundle.bundle_for(ds, slug, year_range, made=MADE)
    assert name == export.filename(slug, year_range, "zip")
    files = unzip(data, tmp_path)
    csv_name = export.filename(slug, year_range, "csv")
    assert set(files) == {csv_name, "datapackage.json", "README.md"}
    assert files[csv_name] == export.to_csv(frame)  # the chart's own CSV download, byte for byte

    descriptor = json.loads(files["datapackage.json"])
    (resource,) = descriptor["resources"]
    assert resource["path"] == csv_name
    assert [f["name"] for f in resource["schema"]["fields"]] == list(frame.columns)
    assert all(f.get("description") for f in resource["schema"]["fields"]), (
        "a column is undescribed"
    )
    cited = set(export.sources_for(frame, ds.sources)["citation"])
    assert {s["title"] for s in descriptor["sources"]} == cited
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert len(descriptor["licenses"]) == 1 + len(cited)
    assert descriptor["created"] == "2025-01-02T03:04:05Z"

    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, errors(report)


def test_field_types_follow_the_frame(ds):
    frame = transform.observations_view(ds, (1992, 2007))
    fields = {f["name"]: f["type"] for f in bundle.schema(frame)["fields"]}
    assert fields["year"] == fields["year_start"] == "integer"
    assert fields["value"] == "number"
    assert fields["quote"] == "string"
    events = VIEWS["events"].frame(ds, (1992, 2007))
    assert {f["name"]: f["type"] for f in bundle.schema(events)["fields"]}["date"] == "date"
    assert bundle.schema(frame)["primaryKey"] == ["id"]


def test_frictionless_cli_validates_a_bundle(ds, tmp_path):
    _, data = bundle.bundle_for(ds, "observations", (1992, 2007), made=MADE)
    unzip(data, tmp_path)
    cli = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(cli), "validate", "datapackage.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout


def test_formula_like_cells_are_prefixed_and_still_validate(ds, tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "year": pd.array([2000, 2001, None, 2003], dtype="Int64"),
            "value": [-1.5, 2.0, float("nan"), 3.25],
            "note": ["=1+1", "-minus", "@at", "line one\r\nline two"],
            "flag": ["", "", "doubtful", ""],
            "ok": [True, False, True, False],
        }
    )
    data = bundle.to_bundle(
        frame, ds.sources, "Synthetic", (2000, 2003), slug="synthetic", made=MADE
    )
    files = unzip(data, tmp_path)
    csv = files["sinorus-synthetic-2000-2003.csv"].decode()
    assert "'=1+1" in csv and "'-minus" in csv and "'@at" in csv and ",-1.5," in csv
    fields = json.loads(files["datapackage.json"])["resources"][0]["schema"]["fields"]
    assert [f["type"] for f in fields] == [
        "string",
        "integer",
        "number",
        "string",
        "string",
        "boolean",
    ]
    assert "3 cell(s) in this file were prefixed" in files["README.md"].decode()
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, errors(report)


def test_empty_frame_bundle_validates(ds, tmp_path):
    name, data = bundle.bundle_for(ds, "growth", (2006, 2006), made=MADE)
    files = unzip(data, tmp_path)
    assert files["sinorus-growth-2006-2006.csv"].count(b"\r\n") == 1  # header only
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, errors(report)


def test_readme_carries_citations_caveats_and_flags(ds):
    _, data = bundle.bundle_for(ds, "observations", (1992, 2007), made=MADE)
    text = zipfile.ZipFile(io.BytesIO(data)).read("README.md").decode()
    for citation in ds.sources.loc[ds.sources["kind"] == "document", "citation"]:
        assert citation in text
    assert "Made 2025-01-02T03:04:05Z" in text
    assert "## Qualifiers" in text and "`nearly`" in text and "`at_least`" in text
    assert "## Years read from context" in text and "`trade-1997-voa` (1997)" in text
    assert '"over the past ten years"' in text
    assert "## Doubtful figures" in text and "`arms-1992-2006-eai`" in text
    assert "Far above other published estimates" in text
    assert "Licence: Public domain" in text
    assert export.DASHBOARD_CITATION in text


def test_readme_of_derived_chart_explains_the_figures_it_rests_on(ds):
    _, data = bundle.bundle_for(ds, "growth", (1992, 2007), made=MADE)
    text = zipfile.ZipFile(io.BytesIO(data)).read("README.md").decode()
    assert "`trade-1997-voa` (1997)" in text and "`trade-2007-voa-nearly` (2007)" in text
    assert "Doubtful" not in text  # the arms figure is never part of trade


def test_trade_readme_has_no_doubtful_section_and_extra_caveats_are_listed(ds):
    frame = transform.trade_series(ds, (1995, 2006))
    data = bundle.to_bundle(
        frame,
        ds.sources,
        "Trade",
        (1995, 2006),
        slug="trade-total",
        caveats=["A caveat of the caller's."],
        made=MADE,
        observations=ds.observations,
    )
    text = zipfile.ZipFile(io.BytesIO(data)).read("README.md").decode()
    assert "Doubtful" not in text
    assert "- A caveat of the caller's." in text
    assert "World Bank" not in text  # only the sources the rows cite


def test_bundles_are_reproducible_and_render_gives_the_same(ds):
    frame = VIEWS["trade-total"].frame(ds, (1995, 2006))  # the chart's rows, every layer
    args = (frame, ds.sources, "China–Russia trade, US$ billion", (1995, 2006))
    a = bundle.to_bundle(*args, slug="trade-total", made=MADE, observations=ds.observations)
    b = bundle.render("zip", *args, slug="trade-total", made=MADE, observations=ds.observations)
    assert a == b == bundle.bundle_for(ds, "trade-total", (1995, 2006), made=MADE)[1]
    assert export.FORMATS["zip"] == "application/zip"


def test_cli_export_zip_is_the_apps_observations_bundle(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "now", lambda: MADE)
    out = tmp_path / "obs.zip"
    assert (
        main(["export", "--from", "1995", "--to", "2006", "--format", "zip", "-o", str(out)]) == 0
    )
    assert out.read_bytes() == bundle.bundle_for(ds, "observations", (1995, 2006), made=MADE)[1]


def test_whole_dataset_bundle_is_the_package_and_validates(ds, tmp_path):
    files = unzip(bundle.dataset_bundle(ds, made=MADE), tmp_path)
    for name in ("datapackage.json", "observations.csv", "sources.csv", "gdp.csv"):
        assert files[name] == (DEFAULT_DATA_DIR / name).read_bytes()
    assert any(name.startswith("sources/") for name in files)
    text = files["README.md"].decode()
    assert "`arms-1992-2006-eai`" in text and "`trade-1997-voa`" in text
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, errors(report)
