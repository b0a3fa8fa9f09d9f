"""The official record (IMF Direction of Trade Statistics, 1992–2020) in the embedded package:
its values against an independent extract, the totals the IMF's readme states, its vocabulary,
and located errors for a broken copy."""

import csv
import json
from pathlib import Path

import pytest

from sinorus import vocab
from sinorus.load import validate
from tests.test_load import edit_csv, one

#: ../shared/official beside the repository (CI clones the repository with shared/ beside it):
#: the same 116 IMF values from rubensmoura87/MultiATSM, inst/extdata/Dataset_CM_2024.xlsx,
#: sheet TradeData, commit a36ebeb6 (see that folder's README).
OFFICIAL = Path(__file__).resolve().parents[1].parent / "shared" / "official"
SECOND_COPY = OFFICIAL / "imf-dots-china-russia-1992-2020-second-copy.csv"
FLOW_CODES = {"X": "exports_fob", "M": "imports_cif"}


def test_116_values_four_series_1992_to_2020(ds):
    official = ds.official
    assert len(official) == 116
    assert set(official["year"]) == set(range(1992, 2021))
    series = official.groupby(["reporter", "partner", "flow"]).size()
    assert series.to_dict() == {
        ("CHN", "RUS", "exports_fob"): 29,
        ("CHN", "RUS", "imports_cif"): 29,
        ("RUS", "CHN", "exports_fob"): 29,
        ("RUS", "CHN", "imports_cif"): 29,
    }
    assert set(official["source_id"]) == {"imf-dots"}


@pytest.mark.skipif(not SECOND_COPY.is_file(), reason=f"{SECOND_COPY.name} not beside the repository")  # fmt: skip
def test_every_value_agrees_with_the_second_copy_within_ten_dollars(ds):
    with SECOND_COPY.open(encoding="utf-8") as f:
        second = {
            (r["reporter"], r["partner"], FLOW_CODES[r["flow"]], int(r["year"])): int(
                r["value_usd"]
            )  # fmt: skip
            for r in csv.DictReader(f)
        }
    ours = {
        (r.reporter, r.partner, r.flow, int(r.year)): int(r.value_usd)
        for r in ds.official.itertuples()
    }
    assert ours.keys() == second.keys()
    far = {k: (ours[k], second[k]) for k in ours if abs(ours[k] - second[k]) > 10}
    assert not far, f"values more than US$10 apart: {far}"


@pytest.mark.parametrize("year, total_bn", [(1992, 5.85), (2006, 33.37), (2007, 48.11)])
def test_china_reported_totals(ds, year, total_bn):
    official = ds.official
    rows = official[(official["reporter"] == "CHN") & (official["year"] == year)]
    assert sorted(rows["flow"]) == ["exports_fob", "imports_cif"]
    assert round(rows["value_usd"].sum() / 1e9, 2) == total_bn


@pytest.mark.parametrize("year, total_bn", [(1992, 4.41), (2007, 40.31), (2020, 104.49)])
def test_russia_reported_totals(ds, year, total_bn):
    official = ds.official
    rows = official[(official["reporter"] == "RUS") & (official["year"] == year)]
    assert round(rows["value_usd"].sum() / 1e9, 2) == total_bn


def test_flow_vocabulary_is_the_schema_enum(ds):
    resource = next(r for r in ds.descriptor["resources"] if r["name"] == "official")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["flow"]["constraints"]["enum"] == list(vocab.OFFICIAL_FLOWS)
    assert "FOB" in vocab.OFFICIAL_FLOWS["exports_fob"]
    assert "CIF" in vocab.OFFICIAL_FLOWS["imports_cif"]
    assert resource["schema"]["primaryKey"] == ["reporter", "partner", "flow", "year"]


def test_source_row_cites_the_imf_and_the_extract(ds):
    source = ds.sources.set_index("id").loc["imf-dots"]
    assert source["kind"] == "dataset"
    assert "Direction of Trade Statistics" in source["citation"]
    assert "SamLeBlanc/Direction-of-Trade-Map" in source["citation"]
    assert "a769819d" in source["citation"]
    assert "attribution" in source["license"]


@pytest.mark.parametrize("row, column, value, expect", [
    (2, "flow", "X", "'X' is not allowed (expected one of: exports_fob, imports_cif)"),
    (3, "value_usd", "-5", "below"),
    (4, "value_usd", "2.5e9x", "not"),
    (5, "reporter", "USA", "'USA' is not allowed"),
    (6, "year", "", "empty"),
    (7, "source_id", "imf-dot", "is not a source"),
])  # fmt: skip
def test_bad_official_cell_is_located(pkg, row, column, value, expect):
    edit_csv(pkg / "official.csv", row, column, value)
    assert expect in one(pkg, "official.csv", row, column)


def test_duplicate_official_key_is_located(pkg):
    path = pkg / "official.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    problems = [p for p in validate(pkg) if p.file == "official.csv"]
    assert [p.row for p in problems] == [len(lines) + 1]
    assert "duplicate" in problems[0].message


def test_package_without_the_record_loads_with_a_notice(pkg):
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "official"]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert validate(pkg) == []
