"""The shipped server settings are the safe ones."""

import tomllib

import pytest

from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("section, key, expected", [
    ("server", "enableXsrfProtection", True),
    ("server", "enableCORS", True),  # True = protection on, cross-origin requests refused
    ("server", "runOnSave", False),
    ("server", "headless", True),
    ("client", "showErrorDetails", "none"),
    ("browser", "gatherUsageStats", False),
])  # fmt: skip
def test_safe_setting(section, key, expected):
    assert CONFIG[section][key] == expected


def test_upload_limit_is_bounded():
    assert 0 < CONFIG["server"]["maxUploadSize"] <= 200


def test_streamlit_reads_the_file():
    import streamlit.config as config

    config.get_config_options(force_reparse=True, options_from_flags=None)
    assert config.get_option("client.showErrorDetails") in ("none", False)
