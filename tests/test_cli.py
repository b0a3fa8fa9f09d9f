"""`python -m sinorus validate | export`: exit codes, messages, and round-trips."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from sinorus.cli import main


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "sinorus", *args], capture_output=True, text=True, env=env
    )


def test_validate_ok():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "valid (7 observations" in result.stdout


def test_validate_broken_copy_exits_1_with_located_messages(pkg):
    path = pkg / "observations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",exact,", ",certain,", 1), encoding="utf-8"
    )
    result = run("validate", str(pkg))
    assert result.returncode == 1
    assert "observations.csv:2: qualifier: 'certain' is not allowed" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_round_trip(tmp_path, ds, fmt, capsys):
    out = tmp_path / f"obs.{fmt}"
    assert main(["export", "--from", "1995", "--to", "2006", "--format", fmt, "-o", str(out)]) == 0
    if fmt == "csv":
        frame = pd.read_csv(out)
    elif fmt == "json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        frame = pd.DataFrame(doc["data"])
        assert {s["id"] for s in doc["sources"]} == {"voa-2007-08", "eai-bb346"}
    else:
        frame = pd.read_excel(out, sheet_name="data")
        sources = pd.read_excel(out, sheet_name="sources")
        assert set(sources.id) == {"voa-2007-08", "eai-bb346"}
    obs = ds.observations
    expected = obs[(obs.year >= 1995) & (obs.year <= 2006)]
    assert sorted(frame.id) == sorted(expected.id)
    merged = frame.merge(obs, on="id", suffixes=("", "_src"))
    assert (merged.value == merged.value_src).all()
    assert (merged.quote == merged.quote_src).all()
    assert merged.citation.str.len().min() > 40


def test_export_to_stdout(capsysbinary):
    assert main(["export", "--from", "2007", "--to", "2007"]) == 0
    frame = pd.read_csv(io.BytesIO(capsysbinary.readouterr().out))
    assert set(frame.qualifier) == {"nearly", "at_least"}


def test_export_reversed_range_is_an_error(capsys):
    assert main(["export", "--from", "2007", "--to", "1992"]) == 2
    assert "after" in capsys.readouterr().err


# --- every command's plain use from a fresh clone -------------------------------------------------


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """The repository's files as a fresh clone has them (tracked and new files, nothing ignored:
    no static/, no caches), in a folder of their own."""
    import shutil

    from tests.conftest import ROOT

    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    dest = tmp_path_factory.mktemp("clone") / "sinorus"
    for rel in filter(None, listed.split("\0")):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def _plain(clone, *args):
    import os

    env = {**os.environ, "PYTHONPATH": str(clone), "SINORUS_CACHE_DIR": str(clone / ".cache")}
    env.pop("SINORUS_DATA", None)
    result = subprocess.run(
        [sys.executable, "-m", "sinorus", *args],
        capture_output=True,
        cwd=clone,
        env=env,
        timeout=300,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    return result


@pytest.mark.full
@pytest.mark.parametrize("layer", ["documents", "reports"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "zip"])
def test_export_each_format_and_layer_from_a_fresh_clone(clone, fmt, layer, tmp_path):
    out = tmp_path / f"out.{fmt}"
    _plain(clone, "export", "--format", fmt, "--layer", layer, "-o", str(out))
    assert out.stat().st_size > 100
    stdout = _plain(clone, "export", "--format", fmt, "--layer", layer).stdout
    assert stdout[:8] == out.read_bytes()[:8] and len(stdout) > 100  # the same kind of file


@pytest.mark.full
def test_every_command_from_a_fresh_clone(clone, tmp_path):
    assert "valid (7 observations" in _plain(clone, "validate").stdout.decode()
    _plain(clone, "publish")  # into the clone's own static/sinorus/, as `make run` does
    assert (clone / "static" / "sinorus" / "sinorus-data.zip").is_file()
    _plain(clone, "publish", "--into", str(tmp_path / "published"))
    assert (tmp_path / "published" / "sinorus-data.zip").is_file()
    fixture = clone / "tests" / "fixtures" / "comtrade-plus-synthetic.csv"  # SYNTHETIC
    _plain(clone, "import", str(fixture), "--into", str(tmp_path / "imported"))
    assert validate_ok(tmp_path / "imported")
    text = clone / "data" / "sources" / "voa-2007-08-growing-ties-china-russia.txt"
    assert "nearly $40 billion" in _plain(clone, "extract", str(text)).stdout.decode()
    assert "comtrade" in _plain(clone, "fetch", "--help").stdout.decode()


def validate_ok(path) -> bool:
    from sinorus.load import validate

    return validate(path) == []
