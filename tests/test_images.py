"""PNG and SVG of a chart: header, source line, licence and address inside; a reason, not a
crash, where kaleido or Chromium is missing."""

import os
import struct
import time

import pytest

from sinorus import charts, images, transform, views

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


#: Options the imported views need (the synthetic Comtrade+ fixture has 2020 and 2021).
IMPORTED_OPTIONS = {
    "commodity-treemap": dict(year=2020, flow="china_exports", reporter="CHN"),
    "commodity-area": dict(flow="china_exports", reporter="CHN"),
}


@pytest.mark.parametrize("slug", list(views.VIEWS))
def test_every_view_gets_a_picture_header(slug, ds, merged):
    """Every registered view's figure (imported views drawn on the package with the synthetic
    Comtrade+ download imported, the treemap among them) gets its title and footer drawn in."""
    v = views.VIEWS[slug]
    data = merged if v.needs == "flows" else ds
    options = IMPORTED_OPTIONS.get(slug, {})
    year_range = (2020, 2020) if "year" in options else v.years(data)
    fig = v.figure(data, year_range, v.frame(data, year_range, **options), **options)
    if fig is None:  # a table, drawn as no chart
        assert v.draw is None, f"{slug}: no figure for {year_range}"
        return
    out = images.picture(fig, PROVENANCE)
    assert out.layout.width == images.WIDTH
    title = charts.header(fig)["title"]
    assert title and out.layout.title.text.startswith(charts.esc(title)[:20])
    footer = out.layout.annotations[-1].text.replace("<br>", " ")
    assert "Source: East Asian Institute" in footer and "localhost:8501" in footer
    assert out.layout.height > (fig.layout.height or 450)  # room made for header and footer


def test_treemap_takes_no_legend_row(merged):
    """A treemap has no `showlegend` (nor a legend): its picture reserves no legend row."""
    options = IMPORTED_OPTIONS["commodity-treemap"]
    v = views.VIEWS["commodity-treemap"]
    fig = v.figure(merged, (2020, 2020), v.frame(merged, (2020, 2020), **options), **options)
    assert {t.type for t in fig.data} == {"treemap"}
    out = charts.with_header(fig, footer=["Source: x"], width=1000)
    one_line = charts.with_header(fig, footer=["Source: x", "Licence: y"], width=1000)
    assert one_line.layout.margin.b - out.layout.margin.b == 14  # only the footer line grows


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


@pytest.mark.browser
def test_treemap_png_drawn(merged):
    from tests.browser import chromium_path

    chromium_path()  # skipped without Chromium, failed in CI
    options = IMPORTED_OPTIONS["commodity-treemap"]
    v = views.VIEWS["commodity-treemap"]
    fig = v.figure(merged, (2020, 2020), v.frame(merged, (2020, 2020), **options), **options)
    png = images.render(fig, "png", PROVENANCE)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24])[0] == images.WIDTH * images.PNG_SCALE


# A Chromium that hangs on start (as one did on a loaded server): it starts a real headless
# Chromium of its own, which never answers kaleido, then waits. Every process it starts carries
# MARK in its environment, so the test can look for survivors in /proc.
HANGING_BROWSER = """#!/bin/sh
SINORUS_TEST_MARK={mark} {chromium} --headless --no-sandbox --disable-gpu --no-first-run \\
  --user-data-dir={profile} about:blank </dev/null >/dev/null 2>&1 &
SINORUS_TEST_MARK={mark} exec sleep 600
"""


def marked(mark: str) -> list[int]:
    """Processes whose environment holds SINORUS_TEST_MARK=mark (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                environ = open(f"/proc/{entry}/environ", "rb").read()
            except OSError:  # gone, or not ours to read
                continue
            if f"SINORUS_TEST_MARK={mark}".encode() in environ.split(b"\0"):
                found.append(int(entry))
    return found


def hanging_browser(tmp_path, mark: str) -> str:
    from tests.browser import chromium_path

    script = tmp_path / "chromium"
    script.write_text(
        HANGING_BROWSER.format(mark=mark, chromium=chromium_path(), profile=tmp_path / "profile")
    )
    script.chmod(0o755)
    return str(script)


@pytest.mark.browser
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="looks for survivors in /proc")
def test_timeout_kills_the_browser_and_everything_it_started(ds, tmp_path, monkeypatch):
    mark = f"timeout-{os.getpid()}-{time.time_ns()}"
    monkeypatch.setenv("BROWSER_PATH", hanging_browser(tmp_path, mark))
    monkeypatch.setattr(images, "TIMEOUT", 4.0)
    monkeypatch.setattr(images, "ATTEMPTS", 1)
    started = time.monotonic()
    with pytest.raises(images.Hung, match="took over 4 s"):
        images.render(trade_figure(ds), "png", PROVENANCE)
    assert time.monotonic() - started < 4.0 + images.GRACE + 10  # killed, not waited out
    deadline = time.monotonic() + 5
    while marked(mark) and time.monotonic() < deadline:  # SIGKILLed: gone within moments
        time.sleep(0.1)
    assert marked(mark) == []


@pytest.mark.browser
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="looks for survivors in /proc")
def test_pictures_beyond_the_queue_are_refused_at_once(ds, tmp_path, monkeypatch):
    """AT_ONCE pictures drawn, WAITING more queued, the next refused with a reason at once; a
    refused picture holds no place."""
    mark = f"queue-{os.getpid()}-{time.time_ns()}"
    monkeypatch.setenv("BROWSER_PATH", hanging_browser(tmp_path, mark))
    monkeypatch.setattr(images, "TIMEOUT", 6.0)
    monkeypatch.setattr(images, "ATTEMPTS", 1)
    monkeypatch.setattr(images, "AT_ONCE", 1)
    monkeypatch.setattr(images, "WAITING", 1)
    fig = trade_figure(ds)
    first, second = (images.draw(fig, "svg", PROVENANCE) for _ in range(2))
    assert images.under_way() == 2
    started = time.monotonic()
    with pytest.raises(images.Busy, match="drawing 1 pictures and 1 more are waiting"):
        images.draw(fig, "svg", PROVENANCE)
    assert time.monotonic() - started < 1
    assert not first.done() and not second.done()
    for drawing in (first, second):
        with pytest.raises(images.Hung):
            drawing.result()
    assert images.under_way() == 0
    deadline = time.monotonic() + 5
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marked(mark) == []


def test_a_picture_worker_loads_nothing_of_the_app(monkeypatch):
    """Pictures' workers start as the uploads' do (a fork server that runs the main script again
    first): with app.py as Streamlit leaves `__main__`, a worker holds none of the page."""
    from tests.test_uploads import app_modules_here, as_streamlit_runs_the_app

    as_streamlit_runs_the_app(monkeypatch)
    monkeypatch.setattr(images, "_POOL", None)
    monkeypatch.setattr(images, "_draw", app_modules_here)
    try:
        assert images._submit(("{}", "png", 1, 1, 1, 1.0, None)).result(timeout=120) == []
    finally:
        if images._POOL is not None:
            images._POOL.shutdown()


#: What kaleido 1.x raised for one picture of ten drawn two at a time (the crowd test, a real
#: `streamlit run`): its page was asked to draw before its script had run. The text is kaleido's.
NOT_READY = (
    "{'id': 3, 'result': {'result': {'type': 'object', 'subtype': 'error', 'className': "
    "'ReferenceError', 'description': 'ReferenceError: kaleido_scopes is not defined'}}}"
)


def flaky_kaleido(monkeypatch, failures: int) -> list:
    """plotly's to_image failing as kaleido did `failures` times, then drawing; the calls."""
    import plotly.io as pio

    calls = []

    def to_image(fig, **kwargs):
        calls.append(kwargs["format"])
        if len(calls) <= failures:
            raise RuntimeError(NOT_READY)
        return b"drawn"

    monkeypatch.setattr(pio, "to_image", to_image)
    return calls


def test_a_picture_kaleido_was_not_ready_for_is_drawn_on_a_second_try(monkeypatch, ds):
    calls = flaky_kaleido(monkeypatch, failures=1)
    fig_json = trade_figure(ds).to_json()
    assert images._draw(fig_json, "svg", 800, 500, 1, 30.0, None) == b"drawn"
    assert calls == ["svg", "svg"]


def test_a_picture_that_fails_twice_says_why(monkeypatch, ds):
    calls = flaky_kaleido(monkeypatch, failures=images.ATTEMPTS)
    with pytest.raises(images.ImageUnavailable, match="could not be drawn.*ReferenceError"):
        images._draw(trade_figure(ds).to_json(), "png", 800, 500, 1, 30.0, None)
    assert len(calls) == images.ATTEMPTS
