"""A package reads and writes only inside itself: every path it names goes through one function
(`sinorus.checks.inside`), a resource sinorus does not know is a located validation error, and
one list (`sinorus.load.package_files`) says which files make a package.

The hostile descriptors are the reproductions of a security review: a resource appended to a
copy of the embedded package's datapackage.json, `{"name": "notes", "path": "/proc/self/environ"}`
(which once put the process environment, API key included, into the published ZIP) and
`{"name": "notes", "path": "../../../X.txt"}` (which once made `publish --into`, `import --data`
and the app's start-up publish write outside their folders)."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sinorus import bundle, paths, publish
from sinorus import load as L
from sinorus.checks import DataError, confined, inside
from sinorus.load import DEFAULT_DATA_DIR, load, validate
from tests.conftest import ROOT

SECRET = "sinorus-test-secret-5b1f"
PLUS_CSV = ROOT / "tests" / "fixtures" / "comtrade-plus-synthetic.csv"  # SYNTHETIC Comtrade+


def run(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(cwd or ROOT), "COMTRADE_API_KEY": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "sinorus", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=300,
    )


def edit_descriptor(pkg: Path, fn) -> None:
    path = pkg / "datapackage.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    fn(doc)
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def notes(path: str):
    return lambda doc: doc["resources"].append({"name": "notes", "path": path})


def renamed(name: str, path: str):
    def fn(doc):
        {r["name"]: r for r in doc["resources"]}[name]["path"] = path

    return fn


# (how the package is made hostile, a phrase of the located problem)
# fmt: off
HOSTILE = {
    "environ": (notes("/proc/self/environ"), 'resources[10]: name: "notes" is not a table sinorus knows'),
    "up": (notes("../../../X.txt"), 'resources[10]: name: "notes" is not a table sinorus knows'),
    "table-up": (renamed("gdp", "../../../X.txt"), "gdp: path '../../../X.txt' goes up out of the package"),
    "table-absolute": (renamed("gdp", "/proc/self/environ"), "gdp: path '/proc/self/environ' is not a relative path"),
}
# fmt: on


@pytest.fixture
def deep(tmp_path) -> Path:
    """A copy of the embedded package three folders down, so that `../../../X.txt` from it (and
    from a folder beside it) names tmp_path/X.txt: a place a test can watch."""
    import shutil

    pkg = tmp_path / "a" / "b" / "pkg"
    shutil.copytree(DEFAULT_DATA_DIR, pkg)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return pkg


def outside_untouched(tmp_path: Path, *folders: Path) -> None:
    assert not (tmp_path / "X.txt").exists()
    assert not (ROOT.parent / "X.txt").exists()
    for folder in folders:
        assert not (folder / "../../../X.txt").resolve().exists()
        assert not folder.exists() or not any(folder.iterdir()), sorted(folder.iterdir())


@pytest.mark.full
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_descriptor_is_refused_by_every_command(case, deep, tmp_path):
    hostile, phrase = HOSTILE[case]
    edit_descriptor(deep, hostile)
    assert any(phrase in str(p) for p in validate(deep)), validate(deep)

    result = run("validate", str(deep))
    assert result.returncode == 1 and phrase in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stdout + result.stderr

    into = deep.parent / "out"
    result = run("publish", "--data", str(deep), "--into", str(into))
    assert result.returncode == 1 and phrase in result.stderr, result.stderr
    static = paths.static_dir(deep)  # publish without --into: the package's own static folder
    result = run("publish", "--data", str(deep))
    assert result.returncode == 1 and phrase in result.stderr, result.stderr
    result = run("import", str(PLUS_CSV), "--data", str(deep), "--into", str(into))
    assert result.returncode == 1 and phrase in result.stderr + result.stdout, result.stderr
    assert "Traceback" not in result.stderr
    outside_untouched(tmp_path, into, static)


@pytest.mark.parametrize("case", ["environ", "up"])
def test_the_apps_start_up_publishes_nothing_of_a_hostile_package(case, deep, tmp_path, monkeypatch):  # fmt: skip
    from streamlit.testing.v1 import AppTest

    edit_descriptor(deep, HOSTILE[case][0])
    with pytest.raises(DataError):
        publish.publish(deep)  # as the app calls it at start-up
    monkeypatch.setenv("SINORUS_DATA", str(deep))
    monkeypatch.setenv("COMTRADE_API_KEY", SECRET)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and HOSTILE[case][1] in at.code[0].value
    # the served static folder (/app/static/<slot>/) has nothing of this package
    outside_untouched(tmp_path, paths.static_dir(deep))


def test_links_out_of_the_package_are_refused(pkg, tmp_path):
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (pkg / "gdp.csv").unlink()
    (pkg / "gdp.csv").symlink_to(tmp_path / "secret.txt")
    (pkg / "reports" / "link.txt").symlink_to(tmp_path / "secret.txt")
    problems = [str(p) for p in validate(pkg)]
    assert "datapackage.json: gdp: path 'gdp.csv' leads out of the package (a link; expected a file inside the package)" in problems  # fmt: skip
    assert isinstance(inside(pkg, "reports/link.txt"), str)
    assert isinstance(inside(pkg, "."), str) and isinstance(inside(pkg, ["x"]), str)
    assert inside(pkg, "reports/r01-csmonitor-1994-01-28-1993-trade.txt") == pkg / "reports" / "r01-csmonitor-1994-01-28-1993-trade.txt"  # fmt: skip
    with pytest.raises(DataError, match="leads out of the package"):
        confined(pkg, "reports/link.txt")


def test_files_that_are_not_the_packages_are_never_published(pkg, tmp_path):
    (pkg / "secret.txt").write_text(SECRET, encoding="utf-8")  # in the folder, not in the package
    (pkg / "sources" / "extra.txt").write_text(SECRET, encoding="utf-8")
    ds = load(pkg)
    written = publish.publish(ds, tmp_path / "out")
    assert all(SECRET.encode() not in p.read_bytes() for p in written)
    names = zipfile.ZipFile(io.BytesIO(bundle.dataset_bundle(ds))).namelist()
    assert "secret.txt" not in names and "sources/extra.txt" not in names
    assert all(p.resolve().is_relative_to((tmp_path / "out").resolve()) for p in written)


# fmt: off
MALFORMED = {
    "schema-text": (lambda d: d["resources"][0].update(schema="x"), 'datapackage.json: resources[0]: schema: "x" is not an object'),
    "field-number": (lambda d: d["resources"][0].update(schema={"fields": [5]}), "datapackage.json: resources[0]: schema.fields[0]: 5 is not a field"),
    "name-list": (lambda d: d["resources"][0].update(name=["x"]), 'datapackage.json: resources[0]: name: ["x"] is not a table sinorus knows'),
    "fields-object": (lambda d: d["resources"][0]["schema"].update(fields={}), "datapackage.json: resources[0]: schema.fields: {} is not a list"),
    "dialect-path": (lambda d: d["resources"][0].update(dialect="/etc/passwd"), 'datapackage.json: resources[0]: dialect: "/etc/passwd" is not an object'),
    "path-list": (lambda d: d["resources"][0].update(path=["a.csv", "b.csv"]), 'datapackage.json: resources[0]: path: ["a.csv", "b.csv"] is not text'),
    "twice": (lambda d: d["resources"].append(dict(d["resources"][0])), "datapackage.json: resources[10]: name: 'observations' appears again (first at resources[0]"),
    "not-object": (lambda d: d["resources"].append("gdp.csv"), 'datapackage.json: resources[10]: "gdp.csv" is not an object'),
    "schema-empty": (lambda d: d["resources"][0].update(schema={}), "datapackage.json: resources[0]: schema.fields: [] is not a list of fields"),
    "no-schema": (lambda d: d["resources"][0].pop("schema"), "datapackage.json: observations: unusable resource"),
    "only-id": (lambda d: d["resources"][0]["schema"].update(fields=[{"name": "id"}]), "observations.csv: unexpected column 'year' in the header"),
    "year-string": (lambda d: d["resources"][0]["schema"]["fields"][2].update(type="string"), "datapackage.json: resources[0]: schema.fields[2]: 'year' has type 'string' (expected 'integer'"),
    "foreign-key-5": (lambda d: d["resources"][0]["schema"].update(foreignKeys=[5]), "datapackage.json: resources[0]: schema.foreignKeys: [5] is of the wrong kind"),
}
# fmt: on


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_descriptor_gives_located_problems_not_tracebacks(case, pkg):
    fn, line = MALFORMED[case]
    edit_descriptor(pkg, fn)
    assert any(str(p).startswith(line) for p in validate(pkg)), [str(p) for p in validate(pkg)]
    result = run("validate", str(pkg))
    assert result.returncode == 1 and line in result.stderr and "Traceback" not in result.stderr


# --- one list of the package's files -----------------------------------------------------------


def test_the_whole_dataset_zip_unzipped_is_the_package(ds, tmp_path):
    data = bundle.dataset_bundle(ds)
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path / "unzipped")
    assert validate(tmp_path / "unzipped") == []
    result = run("validate", str(tmp_path / "unzipped"))
    assert result.returncode == 0, result.stderr
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert set(L.package_files(ds)) <= names  # report and corpus texts among them
    assert {"reports/r01-csmonitor-1994-01-28-1993-trade.txt", "corpus/README.md"} <= names
    assert names - set(L.package_files(ds)) == {"README.md"}  # the bundle's own guide


def test_the_published_zip_is_the_package(ds, tmp_path):
    publish.publish(ds, tmp_path / "out")
    zipfile.ZipFile(tmp_path / "out" / bundle.DATASET_BUNDLE_NAME).extractall(tmp_path / "z")
    assert validate(tmp_path / "z") == []


def test_the_verdict_cache_sees_an_emptied_report_text(pkg, tmp_path, monkeypatch):
    monkeypatch.setenv("SINORUS_CACHE_DIR", str(tmp_path / "cache"))
    assert validate(pkg) == [] and list((tmp_path / "cache").glob("valid-*"))  # remembered
    text = pkg / "reports" / "r01-csmonitor-1994-01-28-1993-trade.txt"
    text.write_text("", encoding="utf-8")
    problems = [str(p) for p in validate(pkg)]
    assert any(p.startswith("reports.csv:2: ") for p in problems), problems
    monkeypatch.setenv("SINORUS_CACHE_DIR", "off")
    assert [str(p) for p in validate(pkg)] == problems


def test_the_verdict_cache_sees_a_corpus_text_and_a_note(pkg, tmp_path, monkeypatch):
    monkeypatch.setenv("SINORUS_CACHE_DIR", str(tmp_path / "cache"))
    before = L._signature(pkg)
    corpus = sorted((pkg / "corpus").glob("c*.txt"))[0]
    corpus.write_text(corpus.read_text(encoding="utf-8") + " ", encoding="utf-8")
    after = L._signature(pkg)
    (pkg / "corpus" / "README.md").write_text("changed", encoding="utf-8")
    assert len({before, after, L._signature(pkg)}) == 3 and None not in {before, after}


def _imported_modules(path: Path) -> set[str]:
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "sinorus":
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sinorus."):
            out.add(node.module.split(".")[1])
    return out


def test_the_verdict_cache_is_keyed_on_every_checking_module():
    """Every sinorus module `load` reaches (what decides a verdict) is hashed into the key."""
    seen, todo = set(), ["load"]
    while todo:
        name = todo.pop()
        seen.add(name)
        found = _imported_modules(ROOT / "sinorus" / f"{name}.py")
        todo += [m for m in found if m not in seen and (ROOT / "sinorus" / f"{m}.py").is_file()]
    assert {f"{m}.py" for m in seen} <= set(L._CODE)
    assert "reports.py" in L._CODE


def test_writers_and_readers_confine_even_a_dataset_that_skipped_validation(ds, tmp_path):
    """Defence in depth: a Dataset built by hand (never validated) with hostile paths still
    reads and publishes only inside its package."""
    import dataclasses

    doc = json.loads(json.dumps(ds.descriptor))
    doc["resources"].append({"name": "notes", "path": "/proc/self/environ"})
    {r["name"]: r for r in doc["resources"]}["gdp"]["path"] = "../../../X.txt"
    hostile = dataclasses.replace(ds, descriptor=doc)
    listed = L.package_files(hostile)
    assert "/proc/self/environ" not in listed and "../../../X.txt" not in listed
    files = bundle.package_bytes(hostile)
    assert not any(SECRET.encode() in b or b"PATH=" in b for b in files.values())
    assert set(files) <= set(listed)


def test_publishs_memo_is_keyed_on_the_packages_files(pkg, tmp_path):
    publish.publish(pkg, tmp_path / "out")
    assert publish._signature(pkg) is not None
    text = pkg / "reports" / "r01-csmonitor-1994-01-28-1993-trade.txt"
    text.write_text("", encoding="utf-8")  # a file of the list changed: published again, refused
    with pytest.raises(DataError, match="reports.csv:2"):
        publish.publish(pkg, tmp_path / "out")
    edit_descriptor(pkg, notes("../../../X.txt"))
    assert publish._signature(pkg) is None  # an unusable descriptor: nothing remembered


@pytest.mark.browser
def test_a_server_on_a_hostile_package_serves_nothing_of_it(deep, tmp_path, browser):
    """A real `streamlit run` with SINORUS_DATA on the hostile package, opened in Chromium (the
    app's script, and its start-up publish, run for a reader): the page shows its error panel,
    and the static folder serves no ZIP, no descriptor, no file written outside."""
    import urllib.error
    import urllib.request

    from tests.browser import streamlit_server

    edit_descriptor(deep, notes("../secret.txt"))
    env = {"SINORUS_DATA": str(deep), "COMTRADE_API_KEY": SECRET}
    with streamlit_server(env=env) as url:
        page = browser.new_page()
        page.goto(url + "/")
        page.get_by_text("The data package cannot be shown").wait_for(timeout=60_000)
        # the problem lines are a code block, drawn after the panel's headline: wait for them too
        page.get_by_text('name: "notes" is not a table sinorus knows').wait_for(timeout=60_000)
        assert SECRET not in page.content()
        page.close()
        base = url + paths.url_path(deep)
        for path in (f"{base}/sinorus-data.zip", f"{base}/datapackage.json", f"{url}/app/static/secret.txt"):  # fmt: skip
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(path, timeout=30)
            assert err.value.code == 404, path
    outside_untouched(tmp_path, paths.static_dir(deep))
    assert not (paths.STATIC / "secret.txt").exists()


def test_a_publish_that_refuses_a_path_still_serves_the_page(pkg, monkeypatch):
    from streamlit.testing.v1 import AppTest

    def refused(*_args, **_kwargs):
        raise DataError([L.Problem("../X.txt", message="goes up out of the package")])

    monkeypatch.setattr(publish, "publish", refused)
    monkeypatch.setenv("SINORUS_DATA", str(pkg))  # a package of its own: not published before
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and not at.error
    assert at.metric  # the page is drawn; only its data URLs are missing
