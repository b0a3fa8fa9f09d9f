"""Broken copies of the package each give a located, clear problem; nothing half-loads."""

import json

import pytest

from sinorus.load import DataError, Problem, load, validate


def edit_csv(path, row, column, value):
    """Set one cell (row counted as in the file: header = 1) of a CSV, keeping its quoting."""
    import csv

    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_embedded_package_is_valid(pkg):
    assert validate(pkg) == []


def test_problem_format():
    assert (
        str(Problem("observations.csv", 4, "qualifier", "bad"))
        == "observations.csv:4: qualifier: bad"
    )
    assert str(Problem("gdp.csv", message="file is empty")) == "gdp.csv: file is empty"


def one(pkg, file, row, field):
    problems = validate(pkg)
    hits = [p for p in problems if (p.file, p.row, p.field) == (file, row, field)]
    assert hits, f"expected a problem at {file}:{row}: {field}, got {[str(p) for p in problems]}"
    return " | ".join(p.message for p in hits)


@pytest.mark.parametrize(
    "column, value, expect",
    [
        ("year", "19x7", "not integer"),
        ("year", "1850", "below the minimum"),
        ("year", "2207", "above the maximum"),
        ("value", "-3", "below the minimum"),
        ("value", "six", "not number"),
        ("qualifier", "roughly", "expected one of: exact, about, nearly, at_least"),
        ("unit", "EUR bn", "expected one of"),
        ("indicator", "trade_gdp", "not an indicator"),
        ("source_id", "nyt-2007", "not a source"),
        ("quote", "Trade tripled overnight.", "not found verbatim"),
        ("id", "trade-1992-eai", "duplicate"),
        ("year_basis", "guessed", "expected one of: stated, derived"),
        ("unit", "percent", "does not match indicator"),
    ],
)
def test_bad_observation_cell(pkg, column, value, expect):
    edit_csv(pkg / "observations.csv", 3, column, value)
    assert expect in one(pkg, "observations.csv", 3, column)


def test_quote_whitespace_differences_are_fine(pkg):
    edit_csv(
        pkg / "observations.csv",
        3,
        "quote",
        "Annual trade  has grown over\nthe past ten years from about $7 billion to nearly $40 billion.",
    )
    assert validate(pkg) == []


def test_missing_column(pkg):
    path = pkg / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",qualifier,", ",qualifierx,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages = [str(p) for p in validate(pkg)]
    assert any("observations.csv" in m and "qualifier" in m for m in messages), messages


def test_extra_column(pkg):
    path = pkg / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line + ",x" for line in lines]
    lines[0] = lines[0][:-2] + ",comment"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any("unexpected column 'comment'" in str(p) for p in validate(pkg))


@pytest.mark.parametrize(
    "name", ["observations.csv", "sources.csv", "events.csv", "datapackage.json"]
)
def test_missing_file(pkg, name):
    (pkg / name).unlink()
    problems = validate(pkg)
    assert any(p.file == name and "not found" in p.message for p in problems), problems


@pytest.mark.parametrize("name", ["observations.csv", "events.csv"])
def test_empty_file(pkg, name):
    (pkg / name).write_bytes(b"")
    assert any(p.file == name and "empty" in p.message for p in validate(pkg))


def test_non_utf8_file_names_the_line(pkg):
    path = pkg / "events.csv"
    data = path.read_bytes().split(b"\n")
    data[4] = data[4] + b"\xff\xfe"
    path.write_bytes(b"\n".join(data))
    assert one(pkg, "events.csv", 5, None).startswith("not UTF-8")


def test_missing_source_text(pkg):
    (pkg / "sources" / "voa-2007-08-growing-ties-china-russia.txt").unlink()
    message = one(pkg, "sources.csv", 2, "path")
    assert "not found" in message


def test_every_problem_reported_at_once(pkg):
    edit_csv(pkg / "observations.csv", 2, "qualifier", "roughly")
    edit_csv(pkg / "events.csv", 3, "date", "June 2007")
    edit_csv(pkg / "trade_makeup.csv", 4, "source_id", "nobody")
    files = {p.file for p in validate(pkg)}
    assert files == {"observations.csv", "events.csv", "trade_makeup.csv"}


def test_invalid_package_never_half_loads(pkg):
    edit_csv(pkg / "observations.csv", 2, "value", "-1")
    with pytest.raises(DataError) as info:
        load(pkg)
    assert "observations.csv:2: value:" in str(info.value)


def test_descriptor_not_json(pkg):
    (pkg / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    assert "not valid JSON" in validate(pkg)[0].message


def test_descriptor_without_a_required_resource(pkg):
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "events"]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert "no resource named 'events'" in validate(pkg)[0].message


def test_missing_directory(tmp_path):
    assert "not found" in validate(tmp_path / "nowhere")[0].message


def test_bom_and_crlf_load(pkg):
    path = pkg / "observations.csv"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    ds = load(pkg)
    assert list(ds.observations.columns)[0] == "id"
    assert len(ds.observations) == 7


def test_gdp_missing_is_a_notice_not_an_error(pkg):
    (pkg / "gdp.csv").unlink()
    ds = load(pkg)
    assert ds.gdp is None
    assert any("gdp" in n for n in ds.notices)


def test_sinorus_data_env(pkg, monkeypatch):
    edit_csv(pkg / "observations.csv", 2, "value", "6.5")
    monkeypatch.setenv("SINORUS_DATA", str(pkg))
    assert 6.5 in set(load().observations.value)


def test_oversized_file_refused_quickly(pkg, monkeypatch):
    monkeypatch.setenv("SINORUS_MAX_FILE_MB", "1")
    path = pkg / "observations.csv"
    row = path.read_text(encoding="utf-8").splitlines()[1]
    with path.open("a", encoding="utf-8") as f:
        for i in range(4000):
            f.write(row.replace("trade-1992-eai", f"big-{i}", 1) + "\n")
    assert path.stat().st_size > 1e6
    (problem,) = validate(pkg)
    assert problem.file == "observations.csv" and "MB (expected at most 1 MB" in problem.message


def test_fifty_megabyte_file_gives_clear_error(pkg):
    path = pkg / "events.csv"
    with path.open("ab") as f:
        f.write(b"x" * 50_000_000)
    (problem,) = validate(pkg)
    assert problem.file == "events.csv" and "50.0 MB" in problem.message


def test_truncated_csv(pkg):
    path = pkg / "observations.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut mid-row, inside a quoted sentence
    problems = validate(pkg)
    assert problems and all(p.file == "observations.csv" for p in problems)
    assert any(p.row is not None for p in problems), [str(p) for p in problems]


def test_truncated_inside_a_quoted_field(pkg):
    path = pkg / "observations.csv"
    data = path.read_bytes()
    cut = data.index(b"notwithstanding")  # inside the first quoted sentence
    path.write_bytes(data[:cut])
    problems = validate(pkg)
    assert problems and all(p.file == "observations.csv" for p in problems), [
        str(p) for p in problems
    ]


@pytest.mark.parametrize(
    "quote",
    [
        "Annual trade has grown over the past ten years from about $7 billion to ne",
        "nnual trade has grown",
    ],
)
def test_quote_cut_mid_word(pkg, quote):
    edit_csv(pkg / "observations.csv", 3, "quote", quote)
    assert "not found verbatim" in one(pkg, "observations.csv", 3, "quote")
