"""PNG and SVG of a chart: header, source line, licence and address inside; a reason, not a
crash, where kaleido or Chromium is missing."""

import struct

import pytest

from sinorus import charts, images, transform

FULL = (1992, 2007)
PROVENANCE = images.Provenance(
    source="East Asian Institute, 8 Aug 2007; Voice of America (VOA News), Aug 2007",
    licence="curation CC BY 4.0; VOA: public domain",
    address="http://localhost:8501/?scale=log",
)


def trade_figure(ds):
    return charts.trade_timeseries(
        transform.trade_series(ds, FULL),
        transform.trade_by_year(ds, FULL),
        transform.events_in_range(ds, FULL),
        log=True,
    )


def test_picture_figure_carries_header_and_footer(ds):
    fig = images.picture(trade_figure(ds), PROVENANCE)
    assert fig.layout.width == images.WIDTH
    assert fig.layout.title.text.startswith("China–Russia trade")
    footer = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "Source: East Asian Institute" in footer
    assert "Licence: curation CC BY 4.0" in footer
    assert "http://localhost:8501/?scale=log" in footer


def test_missing_browser_gives_a_reason(monkeypatch, ds):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert "Chromium" in images.unavailable()
    with pytest.raises(images.ImageUnavailable, match="Chromium"):
        images.render(trade_figure(ds), "png", PROVENANCE)


def test_unknown_format(ds):
    with pytest.raises(ValueError):
        images.render(trade_figure(ds), "gif", PROVENANCE)


@pytest.mark.browser
def test_svg_and_png_drawn(ds):
    from tests.browser import chromium_path

    chromium_path()  # skipped without Chromium, failed in CI
    fig = trade_figure(ds)
    svg = images.render(fig, "svg", PROVENANCE).decode()
    assert svg.lstrip().startswith("<svg")
    assert "Source: East Asian Institute, 8 Aug 2007" in svg
    assert "China–Russia trade, US$ billion" in svg
    assert ">50<" in svg and ">20<" in svg  # the log axis's whole-value ticks
    png = images.render(fig, "png", PROVENANCE)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    assert width == images.WIDTH * images.PNG_SCALE
    assert 800 < height < 2000


LONG = images.Provenance(
    source="Daily " + "Very Long Publisher Name " * 120 + "(a 3,000-character publisher)",
    licence="© " + "x" * 3000,
    address="http://localhost:8501/?scale=log",
)


def test_a_very_long_publisher_is_cut_in_the_source_line(ds):
    source, licence, address = LONG.footer()
    assert len(source) <= len("Source: ") + images.FOOTER_CHARS and source.endswith("…")
    assert len(licence) <= len("Licence: ") + images.FOOTER_CHARS and licence.endswith("…")
    assert address == "sinorus · http://localhost:8501/?scale=log"  # the address is never cut
    assert PROVENANCE.footer()[0] == f"Source: {PROVENANCE.source}"  # short lines are kept whole
    fig = images.picture(trade_figure(ds), LONG)
    assert fig.layout.annotations[-1].text.count("<br>") <= 6  # seven lines at most, not 50


@pytest.mark.browser
def test_a_very_long_publisher_still_draws(ds):
    if images.unavailable():
        pytest.skip(images.unavailable())
    assert images.render(trade_figure(ds), "png", LONG).startswith(b"\x89PNG")
