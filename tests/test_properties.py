"""Property-based: random bad rows and random URLs never crash and are always reported."""

import csv
import shutil
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinorus.load import DEFAULT_DATA_DIR, validate
from sinorus.urlstate import parse

# Hundreds of random packages validated: the long runs are for make test-all, not the fast loop.
pytestmark = pytest.mark.full

COLUMNS = [
    "id", "indicator", "year", "year_start", "value", "unit", "qualifier", "reported_as",
    "year_basis", "year_note", "flag", "flag_note", "source_id", "quote",
]  # fmt: skip

ENUMS = {
    "qualifier": {"exact", "about", "nearly", "at_least"},
    "unit": {"USD bn", "percent"},
    "year_basis": {"stated", "derived"},
    "flag": {"", "doubtful"},
    "indicator": {"trade_total", "share_of_china_total_trade", "arms_purchases"},
    "source_id": {"voa-2007-08", "eai-bb346", "worldbank-gdp"},
}
printable = st.text(
    alphabet=string.ascii_letters + string.digits + " -_.,$%<>[]()'\"", min_size=1, max_size=30
)


def bad_value(column):
    if column in ("year", "year_start"):
        return st.one_of(
            st.integers(max_value=1899).map(str),
            st.integers(min_value=2101, max_value=10**12).map(str),
            printable.filter(lambda s: not s.strip().lstrip("+-").isdigit()),
        )
    if column == "value":
        return st.one_of(
            st.floats(max_value=-0.001, allow_nan=False, allow_infinity=False).map(repr),
            st.text(alphabet=string.ascii_letters, min_size=1, max_size=10).filter(
                lambda s: s.lower() not in {"nan", "inf", "infinity"}
            ),
        )
    if column in ENUMS:
        return printable.filter(lambda s, c=column: s not in ENUMS[c])
    if column == "id":
        return st.sampled_from(["trade-1992-eai", "Has Spaces", "UPPER", "-lead", "a/b"])
    if column == "quote":
        return st.text(alphabet=string.ascii_lowercase + " ", min_size=12, max_size=40).map(
            lambda s: "zq " + s
        )
    raise AssertionError(column)


BAD_COLUMNS = [
    "year",
    "year_start",
    "value",
    "qualifier",
    "unit",
    "year_basis",
    "flag",
    "indicator",
    "source_id",
    "id",
    "quote",
]


@st.composite
def bad_cell(draw):
    column = draw(st.sampled_from(BAD_COLUMNS))
    return draw(st.integers(min_value=3, max_value=8)), column, draw(bad_value(column))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad_cell())
def test_any_bad_cell_is_reported_at_its_row_and_field(case):
    row, column, value = case
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "data"
        shutil.copytree(DEFAULT_DATA_DIR, pkg)
        path = pkg / "observations.csv"
        rows = list(csv.reader(path.open(encoding="utf-8")))
        rows[row - 1][COLUMNS.index(column)] = value
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        problems = validate(pkg)
    located = [p for p in problems if p.file == "observations.csv" and p.row == row]
    assert located, (row, column, value, [str(p) for p in problems])
    assert any(p.field == column for p in located)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=40), min_size=1, max_size=16))
def test_any_garbage_row_is_reported_never_raised(cells):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "data"
        shutil.copytree(DEFAULT_DATA_DIR, pkg)
        with (pkg / "observations.csv").open("a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(cells)
        problems = validate(pkg)
    assert problems, cells
    assert all(p.file == "observations.csv" for p in problems)


url_text = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "1995", "2007", "1992", "１９９５", "1e3", "0x7d0", "--1", "+1995"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["from", "to", "scale", "x", "ｆｒｏｍ"]),
        st.lists(url_text, min_size=1, max_size=3),
    )
)
def test_any_url_gives_a_valid_view(params):
    state, notices = parse(params, (1992, 2007))
    lo, hi = state["year_range"]
    assert 1992 <= lo <= hi <= 2007
    assert state["scale"] in ("linear", "log")
    assert all(isinstance(n, str) and len(n) < 300 for n in notices)
