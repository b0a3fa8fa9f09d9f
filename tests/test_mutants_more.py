"""Behaviour that the random sample of `make mutate` (docs/mutation.md) showed unpinned: the
package's notices kept through an import, an imported Comtrade file's licence line, and a
rejected file's error counting past the first 100 problems."""

from datetime import date
from pathlib import Path

from sinorus import load
from sinorus.importers import combine, common, read

FIX = Path(__file__).resolve().parent / "fixtures"


def test_an_import_keeps_the_package_notices(pkg, tmp_path):
    (pkg / "gdp.csv").unlink()  # a package without GDP loads with a notice
    ds = load.load(pkg)
    assert ds.notices
    merged = combine(ds, [read(FIX / "comtrade-plus-synthetic.csv")], tmp_path / "work")
    assert merged.notices == ds.notices
    assert merged.notices is not ds.notices  # its own list: adding to one leaves the other


def test_an_imported_comtrade_file_states_whose_terms_apply():
    row = common.source_row("x.csv", "comtrade_plus_csv", "ab" * 32, date(2026, 1, 2))
    assert row["license"] == "UN Comtrade terms of use (as downloaded by the user); not checked by sinorus"  # fmt: skip
    other = common.source_row("x.csv", "observations_csv", "ab" * 32, date(2026, 1, 2))
    assert other["license"] == "unknown (uploaded by the user)"


def test_a_rejected_files_error_counts_every_problem_past_the_first_hundred(tmp_path):
    from tests.pinned_inputs import plus_csv

    path = tmp_path / "bad.csv"
    path.write_bytes(plus_csv(*[{"refYear": "soon"}] * 150))
    result = read(path)
    error = result.error()
    assert (len(error.problems), error.total, result.problem_count) == (100, 150, 150)
