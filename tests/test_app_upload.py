"""Uploading a trade table in the app: validated, shown as its own series, per session only."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def app(params=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def upload(at, *names):
    files = [(n, (FIXTURES / n).read_bytes(), "text/csv") for n in names]
    at.file_uploader[0].set_value(files).run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    "name",
    [
        "comtrade-plus-synthetic.csv",
        "comtrade-plus-synthetic.json",
        "comtrade-legacy-synthetic.csv",
    ],
)
def test_upload_shows_your_data(name):
    at = upload(app({"view": "yours"}), name)
    imported = at.dataframe[0].value
    assert list(imported["series"]) == [f"uploaded: {name}"]
    assert len(at.get("plotly_chart")) >= 2  # totals beside the documents, direction
    assert not at.sidebar.error


def test_upload_overlays_the_time_series():
    at = upload(app(), "comtrade-plus-synthetic.csv")
    assert len(at.get("plotly_chart")) == 1
    assert any("kept" in c.value for c in at.sidebar.code)


def test_broken_upload_is_reported_and_ignored():
    at = upload(app({"view": "yours"}), "comtrade-plus-synthetic-broken.csv")
    assert len(at.sidebar.error) == 1
    assert "comtrade-plus-synthetic-broken.csv:" in at.sidebar.code[0].value
    assert any("Upload a China–Russia trade table" in i.value for i in at.info)  # nothing merged


def test_foreign_file_gives_a_clear_message():
    at = upload(app(), "not-comtrade-synthetic.csv")
    assert at.sidebar.error and "not-comtrade-synthetic.csv" in at.sidebar.code[0].value


def test_two_sessions_do_not_share_uploads():
    first = upload(app({"view": "yours"}), "comtrade-plus-synthetic.csv")
    second = app({"view": "yours"})
    assert len(first.dataframe[0].value) == 1
    assert any("Upload a China–Russia trade table" in i.value for i in second.info)
    assert not second.dataframe
    first.file_uploader[0].set_value(None).run()
    assert any("Upload a China–Russia trade table" in i.value for i in first.info)


def test_upload_widens_a_full_range_and_removal_narrows_it():
    at = app()
    assert at.slider[0].value == (1992, 2007)
    upload(at, "comtrade-plus-synthetic.csv")
    lo, hi = at.slider[0].value
    assert lo == 1992 and hi >= 2020  # the fixture's years are now in view
    at.file_uploader[0].set_value(None).run()
    assert at.slider[0].value == (1992, 2007)


def test_upload_keeps_a_chosen_range():
    at = app({"from": "1995", "to": "2006"})
    upload(at, "comtrade-plus-synthetic.csv")
    assert at.slider[0].value == (1995, 2006)
