"""Chinese and Russian in the pictures the server draws (PNG by kaleido and the system's
Chromium): no missing-glyph boxes.

A character whose font is missing is drawn as a box (or nothing), the same for every such
character. So each character of a known string is drawn alone, in the charts' own template:
with the server's fonts every one must differ from every other; drawn again with no font at all
(`FONTCONFIG_FILE` naming an empty folder) they all come out the same, which shows the test can
see a missing font. The strings are the pictures' own words in each language (their titles)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sinorus import i18n, views
from sinorus.load import load

pytestmark = pytest.mark.full
pytest.importorskip("kaleido")

ROOT = Path(__file__).resolve().parent.parent

DRAW = """
import hashlib, json, sys
import plotly.graph_objects as go
import plotly.io as pio
from sinorus import charts
out = {}
for ch in json.loads(sys.argv[1]):
    fig = go.Figure(layout=dict(template=charts.TEMPLATE, width=110, height=110,
                                margin=dict(l=0, r=0, t=0, b=0), xaxis=dict(visible=False),
                                yaxis=dict(visible=False)))
    fig.add_annotation(text=ch, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=72, color="black"))
    out[ch] = hashlib.sha256(pio.to_image(fig, format="png")).hexdigest()
print(json.dumps(out))
"""


def drawn(chars: list[str], env: dict | None = None) -> dict[str, str]:
    """Each character drawn alone as a PNG by kaleido in a process of its own: char -> hash."""
    done = subprocess.run(
        [sys.executable, "-c", DRAW, json.dumps(chars)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def title_characters(lang: str, script: str, count: int = 6) -> list[str]:
    """Distinct characters of `script` from the charts' titles in `lang` (what a picture says)."""
    ds = load()
    text = ""
    with i18n.using(lang):
        for v in views.VIEWS.values():
            if not v.available(ds):
                continue
            frame = v.frame(ds, (1992, 2007))
            fig = v.figure(ds, (1992, 2007), frame)
            if fig is not None:
                text += json.dumps(fig.layout.meta, ensure_ascii=False) if fig.layout.meta else ""
    low, high = script
    chars = sorted({c for c in text if low <= c <= high})
    assert len(chars) >= count, f"the {lang} titles have too few characters: {chars}"
    step = len(chars) // count
    return chars[::step][:count]


@pytest.fixture(scope="module")
def fontless(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("no-fonts")
    (folder / "fonts").mkdir()
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{folder / 'fonts'}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>"
    )
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.mark.parametrize(
    "lang, script", [("zh", ("\u4e00", "\u9fff")), ("ru", ("\u0400", "\u04ff"))]
)
def test_the_pictures_words_are_drawn_with_their_glyphs(lang, script, fontless):
    chars = title_characters(lang, script)
    with_fonts = drawn(chars)
    without = drawn(chars, fontless)
    assert len(set(without.values())) == 1, "the font-less drawing should be all alike"
    assert len(set(with_fonts.values())) == len(chars), (
        f"characters drawn alike (a missing font): {with_fonts}"
    )
    assert not set(with_fonts.values()) & set(without.values())


def test_the_check_sees_a_missing_font():
    """The same check on a string no font here has (Linear B): all its characters alike."""
    chars = ["\U00010000", "\U00010001", "\U00010002", "A"]
    hashes = drawn(chars)
    assert len({hashes[c] for c in chars[:3]}) == 1
    assert hashes["A"] != hashes[chars[0]]
