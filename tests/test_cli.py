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
