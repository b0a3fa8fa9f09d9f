"""Combining files (sinorus/importers/combine.py): what a rejected or empty
result, a package that cannot hold imports, repeats and disagreeing files give (exact lines),
which rows the merged Parquet holds, and `write_package`'s files, descriptor, appended sources,
refusals and atomic move. Inputs are SYNTHETIC, written in the test."""

import csv
import dataclasses
import hashlib
import io
import json
import os
import shutil

import pandas as pd
import pytest

from sinorus import engine
from sinorus.checks import LIMIT, DataError
from sinorus.importers import combine, read, write_package
from sinorus.importers.combine import DUPLICATE
from sinorus.importers.common import ImportResult
from sinorus.load import DEFAULT_DATA_DIR, load, package_files
from tests.trade_tables import flows_frame, plus_csv, source_id, table

OBS_HEADER = ["id", "indicator", "year", "value", "unit", "qualifier", "source_id", "quote"]
CONFLICT = "{file}:{row}: value: {value} conflicts with {other} row {other_row} ({was}) for the same year {year}, reporter {rep}, flow {way} and commodity {code} (expected one value: two downloads of the same data must agree)"  # fmt: skip


def rd(data, name, work):
    return read(data, name, workdir=work)


def obs_table(*rows) -> bytes:
    return table(OBS_HEADER, [[f"t{i}", "trade_total", y, v, "USD bn", "exact", "s", "q"] for i, (y, v) in enumerate(rows)])  # fmt: skip


def error_lines(call) -> list[str]:
    with pytest.raises(DataError) as info:
        call()
    return info.value.lines()


# --- what cannot be combined -------------------------------------------------------------------


def test_a_rejected_file_and_an_empty_result_are_one_error_with_every_line(ds, work):
    bad = rd(plus_csv({"refYear": "x"}, {"flowCode": "Z"}), "bad.csv", work)
    said = error_lines(lambda: combine(ds, [bad, ImportResult("nothing.csv")], work / "c"))
    assert (
        said
        == [
            "bad.csv:2: refYear: 'x' is not a year (expected a whole number such as 2021)",
            "bad.csv:3: flowCode: 'Z' is not a UN Comtrade flow code (expected M or X; also known: RM, RX, DX, FM, MIP, XIP, MOP, XOP, MIF, XIF, MG, XG)",  # fmt: skip
            "nothing.csv: nothing was read (expected a file in a known format)",
        ]
    )


def test_a_package_without_trade_flows_or_import_columns_cannot_hold_imports(ds, work):
    good = rd(plus_csv({}), "good.csv", work)
    old = dataclasses.replace(ds, trade_flows=None, sources=ds.sources.drop(columns=["checksum", "imported"]))  # fmt: skip
    assert (
        error_lines(lambda: combine(old, [good], work / "c"))
        == [
            "datapackage.json: resources: this data package has no trade_flows table (expected one to hold imported rows: use the embedded package or one made by `sinorus import`)",  # fmt: skip
            "sources.csv:1: no column(s) checksum, imported (expected them, to record imports)",
        ]
    )
    half = dataclasses.replace(ds, sources=ds.sources.drop(columns=["imported"]))
    assert error_lines(lambda: combine(half, [good], work / "c")) == [
        "sources.csv:1: no column(s) imported (expected them, to record imports)"
    ]


def test_a_source_row_the_sources_schema_refuses_is_an_error(ds, work):
    good = rd(plus_csv({}), "good.csv", work)
    good.source = {**good.source, "checksum": "md5:0"}
    assert (
        error_lines(lambda: combine(ds, [good], work / "c"))
        == [
            f"sources.csv:{len(ds.sources) + 2}: checksum: 'md5:0' does not match the pattern (expected ^(sha256:[0-9a-f]{{64}})?$)"  # fmt: skip
        ]
    )


# --- repeats and conflicts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def two(ds, work):
    a_data = plus_csv({"refYear": "2020"}, {"refYear": "2021"})
    b_data = plus_csv({"refYear": "2021"}, {"refYear": "2022", "primaryValue": "300"})
    a, b = rd(a_data, "a.csv", work), rd(b_data, "b.csv", work)
    merged = combine(ds, [a, b], work / "two")
    return a_data, b_data, a, b, merged


def test_a_row_another_file_holds_with_the_same_value_is_kept_once_and_counted(two):
    a_data, b_data, a, b, _ = two
    assert (a.kept, dict(a.skipped)) == (2, {})
    assert (b.read, b.kept, dict(b.skipped)) == (2, 1, {DUPLICATE: 1})
    assert b.summary()[1:3] == [f"  kept 1 row(s) as source '{source_id(b_data)}'", f"  skipped 1: {DUPLICATE}"]  # fmt: skip


def test_the_merged_rows_are_each_key_once_from_the_first_file(ds, two):
    a_data, b_data, _, _, merged = two
    a, b, fam = source_id(a_data), source_id(b_data), "un-comtrade"
    row = ("china_exports", "FOB", "H6", "TOTAL", "SYNTHETIC All")
    expected = flows_frame([
        (fam, a, 2, 2020, "CHN", "X", *row, 100.0, "exact", ""),
        (fam, a, 3, 2021, "CHN", "X", *row, 100.0, "exact", ""),
        (fam, b, 3, 2022, "CHN", "X", *row, 300.0, "exact", ""),
    ])  # fmt: skip
    pd.testing.assert_frame_equal(merged.trade_flows.rows(), expected)
    assert merged.trade_flows.parts[: len(ds.trade_flows.parts)] == ds.trade_flows.parts
    assert len(merged.trade_flows.parts) == len(ds.trade_flows.parts) + 1


def test_the_merged_part_is_named_by_the_files_checksums(two, work):
    a_data, b_data, a, b, merged = two
    digest = hashlib.sha256(f"{a.checksum}|{b.checksum}".encode()).hexdigest()[:16]
    assert merged.trade_flows.parts[-1] == str(work / "two" / f"flows-{digest}.parquet")


def test_the_new_source_rows_are_appended_in_file_order(ds, two):
    *_, a, b, merged = two
    assert len(merged.sources) == len(ds.sources) + 2
    pd.testing.assert_frame_equal(merged.sources.iloc[: len(ds.sources)], ds.sources)
    new = merged.sources.iloc[len(ds.sources) :].to_dict("records")
    assert new == [{col: r.source[col] for col in ds.sources.columns} for r in (a, b)]
    assert merged.notices == ds.notices and merged.notices is not ds.notices


def test_two_files_that_disagree_are_one_line_naming_both_files_and_rows(ds, work):
    a = rd(plus_csv({"refYear": "2019"}, {"primaryValue": "100"}), "a.csv", work)
    b = rd(plus_csv({"flowCode": "M"}, {"primaryValue": "250.5"}), "b.csv", work)
    said = error_lines(lambda: combine(ds, [a, b], work / "c"))
    assert said == [CONFLICT.format(file="b.csv", row=3, value="250.5", other="a.csv", other_row=3, was="100", year=2020, rep="CHN", way="X", code="TOTAL")]  # fmt: skip


def test_conflicts_are_listed_by_source_then_row_and_the_rest_counted(ds, work):
    years = range(2000, 2000 + LIMIT + 1)
    a = rd(plus_csv(*({"refYear": str(y), "primaryValue": "1"} for y in years)), "a.csv", work)
    b = rd(plus_csv(*({"refYear": str(y), "primaryValue": "2"} for y in years)), "b.csv", work)
    said = error_lines(lambda: combine(ds, [a, b], work / "c"))
    expected = [CONFLICT.format(file="b.csv", row=y - 1998, value=2, other="a.csv", other_row=y - 1998, was=1, year=y, rep="CHN", way="X", code="TOTAL") for y in years]  # fmt: skip
    assert said == expected[:LIMIT] + ["… and 1 more problem(s) of the same kinds"]


def test_three_files_conflicting_with_the_first_are_each_named(ds, work):
    files = [rd(plus_csv({"primaryValue": str(v)}), f"{n}.csv", work) for n, v in (("a", 1), ("b", 2), ("c", 3))]  # fmt: skip
    said = error_lines(lambda: combine(ds, files, work / "c"))
    later = sorted(files[1:], key=lambda r: r.source_id)  # listed by source id, then row
    assert said == sorted(
        CONFLICT.format(
            file=r.file,
            row=2,
            value={"b.csv": 2, "c.csv": 3}[r.file],
            other="a.csv",
            other_row=2,
            was=1,
            year=2020,
            rep="CHN",
            way="X",
            code="TOTAL",
        )  # fmt: skip
        for r in later
    )


def test_observation_tables_of_one_family_conflict_with_no_reporter_and_flow_total(ds, work):
    a = rd(obs_table(("2008", "1")), "a.csv", work)
    b = rd(obs_table(("2008", "2"), ("2009", "3")), "b.csv", work)
    # the same family (as two slices of one table would be): b's rows moved into a's
    same = work / "b-as-a.parquet"
    con = engine.connect()
    engine.write_parquet(con, f"SELECT * REPLACE ('{a.family}' AS family) FROM read_parquet('{b.parquet}')", same)  # fmt: skip
    con.close()
    b.parquet = str(same)
    said = error_lines(lambda: combine(ds, [a, b], work / "c"))
    assert said == [CONFLICT.format(file="b.csv", row=2, value="2e+09", other="a.csv", other_row=2, was="1e+09", year=2008, rep="—", way="total", code="TOTAL")]  # fmt: skip


def test_observation_tables_are_their_own_families_and_never_conflict(ds, work):
    a = rd(obs_table(("2008", "1")), "a.csv", work)
    b = rd(obs_table(("2008", "2")), "b.csv", work)
    merged = combine(ds, [a, b], work / "obs")
    rows = merged.trade_flows.rows()
    assert sorted(zip(rows["family"], rows["value_usd"], strict=True)) == sorted([(a.family, 1e9), (b.family, 2e9)])  # fmt: skip


def test_the_same_bytes_twice_are_read_once_with_a_note(ds, work):
    data = plus_csv({})
    a, b = rd(data, "a.csv", work), rd(data, "copy.csv", work)
    merged = combine(ds, [a, b], work / "same")
    assert b.notes == ["the same contents as 'a.csv' (sha256 identical): one dataset, read once"]
    assert (a.kept, b.kept, a.notes) == (1, 0, [])
    assert len(merged.sources) == len(ds.sources) + 1 and len(merged.trade_flows) == 1


# --- combining onto a package that holds imports ------------------------------------------------


@pytest.fixture(scope="module")
def held(ds, work):
    a = rd(plus_csv({"refYear": "2020"}, {"refYear": "2021"}), "a.csv", work)
    return a, combine(ds, [a], work / "held")


def test_a_file_the_package_already_holds_adds_nothing(held, work):
    a, one = held
    again = rd(plus_csv({"refYear": "2020"}, {"refYear": "2021"}), "again.csv", work)
    merged = combine(one, [again], work / "again")
    assert again.notes == ["the same contents as 'a.csv' (sha256 identical): one dataset, read once"]  # fmt: skip
    assert merged.trade_flows is one.trade_flows and merged.sources.equals(one.sources)


def test_a_row_the_package_holds_is_a_duplicate_and_another_value_a_conflict(held, work):
    a, one = held
    dup = rd(plus_csv({"refYear": "2021"}, {"refYear": "2022"}), "dup.csv", work)
    merged = combine(one, [dup], work / "dup")
    assert (dup.kept, dict(dup.skipped)) == (1, {DUPLICATE: 1})
    assert merged.trade_flows.parts[:-1] == one.trade_flows.parts
    assert engine.FlowStore.of(merged.trade_flows.parts[-1]).rows()["year"].tolist() == [2022]
    other = rd(plus_csv({"refYear": "2021", "primaryValue": "5"}), "other.csv", work)
    said = error_lines(lambda: combine(one, [other], work / "other"))
    assert said == [CONFLICT.format(file="other.csv", row=2, value=5, other="a.csv", other_row=3, was=100, year=2021, rep="CHN", way="X", code="TOTAL")]  # fmt: skip


def test_whole_writes_the_package_rows_and_the_new_ones_as_one_part(held, work):
    a, one = held
    new = rd(plus_csv({"refYear": "2021"}, {"refYear": "2023"}), "new.csv", work)
    merged = combine(one, [new], work / "whole", whole=True)
    assert len(merged.trade_flows.parts) == 1
    rows = merged.trade_flows.rows()
    assert list(zip(rows["source_id"], rows["year"], strict=True)) == [(a.source_id, 2020), (a.source_id, 2021), (new.source_id, 2023)]  # fmt: skip


def test_a_file_with_nothing_in_scope_adds_its_source_only(ds, work):
    none = rd(plus_csv({"freqCode": "M"}), "none.csv", work)
    merged = combine(ds, [none], work / "none")
    assert merged.trade_flows is ds.trade_flows
    assert merged.sources.iloc[-1]["path"] == "none.csv" and len(merged.sources) == len(ds.sources) + 1  # fmt: skip


# --- write_package -------------------------------------------------------------------------------


def sources_bytes(original: bytes, results, columns, newline=b"\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r.source[c] for c in columns] for r in results])  # fmt: skip
    return original + out.getvalue().encode().replace(b"\n", newline)


@pytest.fixture(scope="module")
def written(tmp_path_factory, work):
    root = tmp_path_factory.mktemp("written")
    a = rd(plus_csv({}, {"flowCode": "M"}), "a.csv", work)
    b = rd(obs_table(("2008", "56.8")), "b.csv", work)
    ds = write_package([a, b], root / "out")
    return root, a, b, ds


def test_write_package_writes_the_package_files_and_nothing_else(written):
    root, *_ = written
    assert sorted(p.name for p in root.iterdir()) == ["out"]
    out = root / "out"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "datapackage.json", "events.csv", "gdp.csv", "hs_sections.csv", "indicators.csv",
        "observations.csv", "official.csv", "reports.csv", "sources.csv", "trade_flows.parquet", "trade_makeup.csv",
    ]  # fmt: skip
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert names == {"datapackage.json", *package_files(load(DEFAULT_DATA_DIR))}


def test_write_package_copies_the_tables_byte_for_byte_and_appends_the_sources(written):
    root, a, b, ds = written
    out = root / "out"
    for name in ("observations.csv", "events.csv", "gdp.csv", "indicators.csv", "hs_sections.csv"):
        assert (out / name).read_bytes() == (DEFAULT_DATA_DIR / name).read_bytes(), name
    original = (DEFAULT_DATA_DIR / "sources.csv").read_bytes()
    assert (out / "sources.csv").read_bytes() == sources_bytes(original, [a, b], list(ds.sources.columns))  # fmt: skip


def test_write_package_describes_trade_flows_as_parquet(written):
    root, *_ = written
    text = (root / "out" / "datapackage.json").read_text(encoding="utf-8")
    embedded = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert text == json.dumps(embedded, indent=2, ensure_ascii=False) + "\n"


def test_write_package_holds_every_row_and_returns_the_loaded_package(written):
    root, a, b, ds = written
    assert ds.root == root / "out" and ds.trade_flows.parts == (str(root / "out" / "trade_flows.parquet"),)  # fmt: skip
    rows = ds.trade_flows.rows()  # "table-…" sorts before "un-comtrade"
    assert list(zip(rows["source_id"], rows["row"], rows["flow"], rows["value_usd"], strict=True)) == [
        (b.source_id, 2, "total", 56.8e9), (a.source_id, 2, "china_exports", 100.0),
        (a.source_id, 3, "china_imports", 100.0),
    ]  # fmt: skip


def test_the_package_directory_gets_the_umasks_permissions(written):
    root, *_ = written
    umask = os.umask(0)
    os.umask(umask)
    assert (root / "out").stat().st_mode & 0o777 == 0o777 & ~umask


def test_write_package_moves_the_trade_flows_file_and_drops_its_encoding(pkg, tmp_path, work):
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for r in descriptor["resources"]:
        if r["name"] == "trade_flows":
            r.update(path="old-flows.parquet", encoding="utf-8")
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    (pkg / "trade_flows.parquet").rename(pkg / "old-flows.parquet")
    out = write_package([rd(plus_csv({}), "a.csv", work)], tmp_path / "out", pkg)
    flows = {r["name"]: r for r in out.descriptor["resources"]}["trade_flows"]
    assert (flows["path"], flows["format"], flows["mediatype"], "encoding" in flows) == ("trade_flows.parquet", "parquet", "application/vnd.apache.parquet", False)  # fmt: skip
    assert not (tmp_path / "out" / "old-flows.parquet").exists() and len(out.trade_flows) == 1


@pytest.mark.parametrize("ending", [b"\r\n", b"\n"])
def test_appended_sources_keep_the_files_line_ending_and_a_missing_last_newline(pkg, tmp_path, work, ending):  # fmt: skip
    text = (pkg / "sources.csv").read_bytes().replace(b"\n", ending).rstrip(b"\r\n")
    (pkg / "sources.csv").write_bytes(text)  # no newline after the last row
    a = rd(plus_csv({}), "a.csv", work)
    ds = write_package([a], tmp_path / "out", pkg)
    assert (tmp_path / "out" / "sources.csv").read_bytes() == sources_bytes(text + ending, [a], list(ds.sources.columns), ending)  # fmt: skip


def test_write_package_into_an_empty_directory(tmp_path, work):
    (tmp_path / "out").mkdir()
    ds = write_package([rd(plus_csv({}), "a.csv", work)], tmp_path / "out")
    assert ds.root == tmp_path / "out" and len(ds.trade_flows) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_write_package_refusals_are_exact_and_leave_everything_as_it_was(tmp_path, work):
    good = rd(plus_csv({}), "a.csv", work)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("mine")
    (tmp_path / "file").write_text("x")
    cases = [  # where to write, how, and the one line said
        (tmp_path / "full", {}, f"{tmp_path / 'full'}: already exists and is not empty (expected a new directory, or an empty one)"),
        (tmp_path / "file", {}, f"{tmp_path / 'file'}: already exists and is not empty (expected a new directory, or an empty one)"),
        (tmp_path / "full", {"replace": True}, f"{tmp_path / 'full'}: already exists and is not a data package (no datapackage.json; expected a new directory, or a package to replace)"),
        (tmp_path / "file" / "out", {}, f"{tmp_path / 'file' / 'out'}: cannot be created: {tmp_path / 'file'} is not a directory (expected an existing parent directory)"),
        (tmp_path / "out", {"files": {"raw/x.json": tmp_path / "nope.json"}}, f"{tmp_path / 'nope.json'}: file not found (expected a file to add to the package)"),
        (tmp_path / "out", {"files": {"a/../../x.json": tmp_path / "file"}}, "a/../../x.json: is not a path inside the package (expected a relative path such as raw/file.json)"),
        (tmp_path / "out", {"files": {"": tmp_path / "file"}}, ": is not a path inside the package (expected a relative path such as raw/file.json)"),
    ]  # fmt: skip
    for out, how, said in cases:
        assert error_lines(lambda out=out, how=how: write_package([good], out, **how)) == [said]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "full"]
    assert (tmp_path / "full" / "mine.txt").read_text() == "mine"


def test_a_failed_replace_leaves_the_old_package_byte_for_byte(tmp_path, work):
    first = rd(plus_csv({}), "a.csv", work)
    write_package([first], tmp_path / "out")
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    bad = rd(plus_csv({"refYear": "x"}), "bad.csv", work)
    assert error_lines(lambda: write_package([bad], tmp_path / "out", replace=True)) == [
        "bad.csv:2: refYear: 'x' is not a year (expected a whole number such as 2021)"
    ]
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_replace_swaps_the_package_and_keeps_the_added_files(tmp_path, work):
    kept = tmp_path / "kept-synthetic.json"
    kept.write_bytes(b'{"data": []}\n')
    write_package([rd(plus_csv({}), "a.csv", work)], tmp_path / "out")
    second = rd(plus_csv({"refYear": "2021"}), "b.csv", work)
    ds = write_package([second], tmp_path / "out", replace=True, files={"raw/k.json": kept})
    assert (tmp_path / "out" / "raw" / "k.json").read_bytes() == kept.read_bytes()
    assert ds.sources["path"].tolist()[-1] == "b.csv" and "a.csv" not in ds.sources["path"].tolist()  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept-synthetic.json", "out"]
    shutil.rmtree(tmp_path / "out")


def test_the_first_file_given_keeps_a_shared_row_whatever_its_source_id(ds, work):
    second = plus_csv({"refYear": "2021"})
    for n in range(50):  # a first file whose source id sorts after the second's
        first = plus_csv({"refYear": "2021", "cmdDesc": f"SYNTHETIC {n}"})
        if source_id(first) > source_id(second):
            break
    assert source_id(first) > source_id(second)
    a, b = rd(first, "first.csv", work), rd(second, "second.csv", work)
    merged = combine(ds, [a, b], work / "order")
    assert (a.kept, b.kept, dict(b.skipped)) == (1, 0, {DUPLICATE: 1})
    assert merged.trade_flows.rows()["source_id"].tolist() == [a.source_id]


def test_a_source_cell_that_is_none_is_written_empty(tmp_path, work):
    a = rd(plus_csv({}), "a.csv", work)
    a.source = {**a.source, "note": None, "url": float("nan")}
    ds = write_package([a], tmp_path / "out")
    last = (tmp_path / "out" / "sources.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert next(csv.reader([last])) == [("" if c in ("note", "url") else a.source[c]) for c in ds.sources.columns]  # fmt: skip


def test_a_failed_swap_puts_the_old_package_back(tmp_path, work, monkeypatch):
    import importlib

    module = importlib.import_module(
        "sinorus.importers.combine"
    )  # (the package exports the function)

    write_package([rd(plus_csv({}), "a.csv", work)], tmp_path / "out")
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    real = os.replace

    def refuse_the_new(src, dst):
        if str(src).endswith(".partial"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(module.os, "replace", refuse_the_new)
    with pytest.raises(OSError, match="No space left"):
        write_package([rd(plus_csv({"refYear": "2021"}), "b.csv", work)], tmp_path / "out", replace=True)  # fmt: skip
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_package_with_no_new_rows_keeps_its_trade_flows_file(tmp_path, work):
    none = rd(plus_csv({"freqCode": "M"}), "none.csv", work)
    ds = write_package([none], tmp_path / "out")
    assert (tmp_path / "out" / "trade_flows.parquet").read_bytes() == (DEFAULT_DATA_DIR / "trade_flows.parquet").read_bytes()  # fmt: skip
    assert len(ds.trade_flows) == 0 and ds.sources["path"].tolist()[-1] == "none.csv"


def test_combine_into_a_folder_that_exists(ds, work):
    (work / "exists").mkdir(exist_ok=True)
    merged = combine(ds, [rd(plus_csv({}), "a.csv", work)], work / "exists")
    assert len(merged.trade_flows) == 1


def test_the_package_is_built_in_a_hidden_folder_beside_it(tmp_path, work, monkeypatch):
    import importlib

    module = importlib.import_module("sinorus.importers.combine")
    seen, real = [], module.load.load
    monkeypatch.setattr(module.load, "load", lambda path=None: seen.append(path) or real(path))
    write_package([rd(plus_csv({}), "a.csv", work)], tmp_path / "out")
    built = seen[1]  # the data to start from, the package being built, the package written
    assert (seen[0], seen[2]) == (None, tmp_path / "out")
    assert built.parent == tmp_path and built.name.startswith(".out.") and built.name.endswith(".partial")  # fmt: skip
    assert not built.exists()
