"""Tests that kill mutants `make mutate` found alive in sinorus/importers/session.py
(docs/mutation.md): one reader's uploads read once, cached per dataset and file list, refused
with the limit's name, merged or refused together, and cleaned up. Fixtures are SYNTHETIC."""

import shutil
from pathlib import Path

from sinorus.importers import session
from sinorus.load import load
from tests import pinned_inputs

PLUS_CSV = Path(__file__).resolve().parent / "fixtures" / "comtrade-plus-synthetic.csv"
DATA = PLUS_CSV.read_bytes()
MB = 1 << 20


def upload(file_id, data=DATA, name="plus-synthetic.csv"):
    return pinned_inputs.upload(file_id, data, name)


def test_the_same_files_and_dataset_give_the_same_outcome_without_reading_again(ds, pkg, uploads):
    first = uploads.update(ds, [upload("a")], 10 * MB, "limit")
    assert uploads.update(ds, [upload("a")], 10 * MB, "limit") is first
    # another dataset (a reloaded package): combined anew, with the file not read again
    other = load(pkg)
    again = uploads.update(other, [upload("a")], 10 * MB, "limit")
    assert again is not first and again.dataset is not first.dataset
    assert len(again.dataset.trade_flows) == len(first.dataset.trade_flows) == 26
    assert uploads.update(other, [upload("a")], 10 * MB, "limit") is again


def test_an_upload_over_the_limit_is_refused_naming_the_setting(ds, uploads):
    outcome = uploads.update(ds, [upload("big")], len(DATA) - 1, "SINORUS_MAX_FILE_MB (test)")
    [(file, error)] = outcome.refused
    assert file == "plus-synthetic.csv" and outcome.dataset is ds
    assert "SINORUS_MAX_FILE_MB (test)" in error.problems[0].message


def test_files_that_disagree_are_refused_together_by_name(ds, uploads):
    lines = DATA.decode().splitlines()
    revised = (lines[0] + "\n" + lines[1].replace("50000000000.0", "50500000000.0") + "\n").encode()
    outcome = uploads.update(
        ds, [upload("a"), upload("b", revised, "revised-synthetic.csv")], 10 * MB, "limit"
    )
    assert [file for file, _ in outcome.refused] == ["plus-synthetic.csv, revised-synthetic.csv"]
    assert outcome.dataset is ds


def test_a_new_file_list_is_combined_afresh(ds, uploads):
    obs = (PLUS_CSV.parent / "observations-synthetic.csv").read_bytes()
    alone = uploads.update(ds, [upload("o", obs, "obs-synthetic.csv")], 10 * MB, "l")
    n = len(alone.dataset.trade_flows)
    assert not alone.refused and 0 < n
    both = uploads.update(ds, [upload("o", obs, "obs-synthetic.csv"), upload("a")], 10 * MB, "l")
    assert not both.refused and len(both.dataset.trade_flows) == n + 26
    plus = uploads.update(ds, [upload("a")], 10 * MB, "l")
    assert not plus.refused and len(plus.dataset.trade_flows) == 26


def test_closing_removes_the_folder_even_if_it_is_already_gone():
    u = session.Uploads()
    assert u.dir.name.startswith("sinorus-session-") and u.dir.is_dir()
    shutil.rmtree(u.dir)  # a temporary-file cleaner got there first
    u.close()
    assert u.closed and not u.dir.exists()
