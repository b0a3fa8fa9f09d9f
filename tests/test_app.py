"""The page in Streamlit's AppTest: every widget path and URL case, never an exception.

AppTest cannot draw Plotly charts (they appear as unknown elements); the figures are tested in
test_charts.py and in the browser in test_browser.py.
"""

import pytest
from streamlit.testing.v1 import AppTest

from sinorus import views
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def run(params=None, env_data=None, monkeypatch=None, opened=False):
    """The app run with these URL parameters; `opened`: every lazy part (the popovers of
    bundle, code and citation, the tables, the events) opened as a reader would."""
    if env_data is not None:
        monkeypatch.setenv("SINORUS_DATA", str(env_data))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if opened:
        open_all(at)
    return at.run()


def open_all(at):
    for slug in views.VIEWS:
        at.session_state[f"reuse-{slug}"] = True
        at.session_state[f"table-{slug}"] = True
    at.session_state["events-open"] = True
    at.session_state["later-reports-open"] = True


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def growth_caption(at) -> str:
    """The headline's growth line (one caption under the metrics)."""
    return next(c.value for c in at.caption if c.value.startswith("Growth: "))


def test_default_view():
    at = run()
    assert not at.exception
    assert at.slider[0].value == (1992, 2007)
    metrics = metric_values(at)
    # whose each figure is: the documents' (hedged: ≈, whole percent), the record's, a report's
    assert metrics == {
        "Documents, c. 2007": "US$40 bn",
        "Official record, 2007": "US$48.1 bn",
        "Latest report, 2007": "US$48.16 bn",  # as the report gives it
    }
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["Documents, c. 2007"] == "nearly · at least"
    assert deltas["Official record, 2007"] == "China-reported · Russia 40.3"
    assert growth_caption(at) == (
        "Growth: documents ≈ ×6.7, 1992–c. 2007 (≈ 13% a year); record ×8.2, 1992–2007 "
        "(15.1% a year, China-reported)."
    )
    assert len(at.get("plotly_chart")) == 1  # only the chosen section is built and sent
    assert at.button_group(key="view").value == "trade"
    assert at.button_group(key="view").options == [
        "Trade over time",
        "Composition",
        "Data",
        "Claims and records",
        "Sources",
        "Your data",
    ]
    assert not at.warning
    assert dict(at.query_params) == {}


def test_slider_changes_every_metric_and_the_url():
    at = run()
    at.slider[0].set_value((1995, 2006)).run()
    assert not at.exception
    metrics = metric_values(at)
    assert metrics["Documents, 2006"] == "US$33.4 bn"
    assert "documents ≈ ×4.8, 1997–2006" in growth_caption(at)
    assert "record ×6.1, 1995–2006" in growth_caption(at)
    assert at.query_params["from"] == "1995" and at.query_params["to"] == "2006"
    at.button_group(key="view").set_value("data").run()
    table = at.dataframe[-1].value
    assert set(table["year"]) <= set(range(1995, 2007))


def test_empty_range_shows_empty_state_and_disables_downloads():
    at = run({"record": "off", "reports": "off"})  # every year of the slider has a record
    at.slider[0].set_value((1993, 1996)).run()
    assert not at.exception
    assert any("No trade figures between 1993 and 1996" in i.value for i in at.info)
    buttons = at.get("download_button")
    trade_csv = next(b for b in buttons if b.proto.id and "dl-trade-total-csv" in b.proto.id)
    assert trade_csv.proto.disabled


def trade_traces(at) -> list[str]:
    import json

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [t.get("name", "") for t in spec["data"]]


def test_log_scale_toggle():
    at = run()
    assert at.toggle[0].label == "Log scale" and "scale" not in at.query_params
    at.toggle[0].set_value(True).run()
    assert not at.exception and at.query_params["scale"] == "log"
    import json

    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["yaxis"]["type"] == "log"


def test_events_toggle():
    at = run()
    assert at.toggle[3].label == "Show events"
    assert "events named in the texts" in trade_traces(at)
    assert any(e.label.startswith("Events named in the texts") for e in at.expander)
    at.toggle[3].set_value(False).run()
    assert not at.exception
    assert "events named in the texts" not in trade_traces(at)
    assert not any(e.label.startswith("Events named in the texts") for e in at.expander)
    assert dict(at.query_params) == {"events": "off"}


def test_record_toggle_and_url():
    record = ["China-reported total (IMF DOTS)", "Russia-reported total (IMF DOTS)"]
    at = run()
    assert at.toggle[1].label == "Official record" and at.toggle[1].value is True
    assert set(record) <= set(trade_traces(at))
    at.toggle[1].set_value(False).run()
    assert not at.exception
    assert not set(record) & set(trade_traces(at))
    assert dict(at.query_params) == {"record": "off"}
    at = run({"record": "off"})
    assert not set(record) & set(trade_traces(at)) and at.toggle[1].value is False


@pytest.mark.parametrize(
    "params, years, warned",
    [
        ({"from": "1995", "to": "2006"}, (1995, 2006), False),
        ({"from": "2006", "to": "1995"}, (1995, 2006), True),
        ({"from": "abc"}, (1992, 2007), True),
        ({"from": "-5", "to": "10" + "0" * 30}, (1992, 2007), True),
        ({"to": "1800"}, (1992, 1992), True),
        ({"from": "<script>alert(1)</script>"}, (1992, 2007), True),
        ({"scale": "log", "from": "2007"}, (2007, 2007), False),
        ({"whatever": "[x](http://evil)"}, (1992, 2007), True),
    ],
)
def test_query_params(params, years, warned):
    at = run(params)
    assert not at.exception
    assert at.slider[0].value == years
    assert bool(at.warning) is warned
    for w in at.warning:
        assert "<script>" not in w.value and "](http" not in w.value
    expected = {} if years == (1992, 2007) else {"from": str(years[0]), "to": str(years[1])}
    if params.get("scale") == "log":
        expected["scale"] = "log"
    assert dict(at.query_params) == expected  # the URL is rewritten to the view shown


def test_single_year_view():
    at = run({"from": "2006", "to": "2006"})
    assert not at.exception
    metrics = metric_values(at)  # one year: a latest figure per whose, no growth
    assert metrics == {
        "Documents, 2006": "US$33.4 bn",
        "Official record, 2006": "US$33.4 bn",
        "Latest report, 2006": "US$33.4 bn",
    }


@pytest.mark.parametrize(
    "view, charts",
    [("trade", 1), ("composition", 4), ("claims", 1), ("data", 0), ("sources", 0), ("yours", 0)],
)
def test_each_section(view, charts):
    at = run()
    at.button_group(key="view").set_value(view).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == charts
    assert dict(at.query_params) == ({} if view == "trade" else {"view": view})


def test_section_from_url_keeps_range():
    at = run({"view": "data", "from": "1995", "to": "2006"})
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["year"]) <= set(range(1995, 2007)) and len(table) > 0


def test_downloads_beside_every_chart():
    keys = set()
    for view in ("trade", "composition", "claims", "data", "sources"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["view"] = view
        open_all(at)  # built once opened (lazy popovers and expanders)
        at.run()
        keys |= {b.proto.id.split("dl-")[-1] for b in at.get("download_button")}
    for chart in (slug for slug, v in views.VIEWS.items() if v.published):
        for fmt in ("csv", "xlsx", "json", "zip"):
            assert any(k.endswith(f"{chart}-{fmt}") for k in keys), (chart, fmt)


def test_invalid_package_shows_one_error_panel(pkg, monkeypatch):
    path = pkg / "observations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",exact,", ",certain,", 1), encoding="utf-8"
    )
    at = run(env_data=pkg, monkeypatch=monkeypatch)
    assert not at.exception
    assert len(at.error) == 1
    assert "observations.csv:2: qualifier: 'certain' is not allowed" in at.code[0].value
    assert not at.get("plotly_chart") and not at.metric


def test_missing_gdp_keeps_trade_charts(pkg, monkeypatch):
    (pkg / "gdp.csv").unlink()
    at = run({"view": "composition"}, env_data=pkg, monkeypatch=monkeypatch)
    assert not at.exception
    assert any("GDP context is unavailable" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 3


def test_a_failing_part_is_contained(monkeypatch):
    import dataclasses

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    growth = dataclasses.replace(views.VIEWS["growth"], build=broken)
    monkeypatch.setitem(views.VIEWS, "growth", growth)
    at = run({"view": "composition", "from": "1993"})  # a range no other test caches
    assert not at.exception
    assert any("could not be shown" in e.value for e in at.error)
    assert len(at.get("plotly_chart")) == 3  # every other chart still drawn


def test_bundle_choice_full_table():
    at = run({"from": "1995", "to": "2006"}, opened=True)
    radio = next(r for r in at.radio if r.key == "bundle-range-trade-total")
    assert radio.value == "view"
    radio.set_value("full").run()
    assert not at.exception
    radio = next(r for r in at.radio if r.key == "bundle-range-trade-total")
    assert radio.value == "full"
    assert at.slider[0].value == (1995, 2006)  # the view itself is unchanged


def test_chart_options_only_on_trade_and_scale_kept_across_sections():
    at = run({"scale": "log"})
    assert [t.label for t in at.toggle] == ["Log scale", "Official record", "Later reports", "Show events"]  # fmt: skip
    assert at.toggle[0].value is True
    for view in ("composition", "claims", "data", "sources", "yours"):
        at.button_group(key="view").set_value(view).run()
        assert not at.exception
        assert not at.toggle  # they act on the trade chart only
        assert at.query_params["scale"] == "log"  # and the view keeps its scale
    at.button_group(key="view").set_value("trade").run()
    assert at.toggle[0].value is True
    at.toggle[0].set_value(False).run()
    assert "scale" not in at.query_params


def test_bundle_offers_no_choice_when_view_is_the_full_table():
    at = run()
    assert not [r for r in at.radio if r.key == "bundle-range-trade-total"]


def test_picture_downloads_beside_the_data_downloads():
    """Pictures are drawn only when asked for: on first view, a button to draw each; the data
    downloads beside them."""
    at = run({"from": "1995", "to": "2006"})
    ids = {b.proto.id.split("dl-")[-1] for b in at.get("download_button") if b.proto.id}
    assert {"trade-total-csv", "headline-csv"} <= ids
    assert not {"trade-total-png", "trade-total-svg"} & ids  # nothing drawn on first view
    assert {"picture-trade-total-png", "picture-trade-total-svg"} <= {b.key for b in at.button}


class FakeDrawing:
    """A picture the pool draws: done after `looks` looks, then its bytes or an error."""

    def __init__(self, outcome, looks=0):
        self.outcome, self.looks = outcome, looks

    def done(self):
        self.looks -= 1
        return self.looks < 0

    def result(self):
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def picture_app(monkeypatch, outcome, looks=0):
    from sinorus import images
    from sinorus.ui import widgets

    asked = []
    monkeypatch.setattr(widgets, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(images, "unavailable", lambda: None)
    monkeypatch.setattr(images, "draw", lambda fig, fmt, p: asked.append((fmt, p)) or FakeDrawing(outcome, looks))  # fmt: skip
    at = run({"from": "1995", "to": "2006"})
    next(b for b in at.button if b.key == "picture-trade-total-png").click().run()
    return at, asked


def picture_download(at):
    return [b for b in at.get("download_button") if b.proto.id.endswith("dl-trade-total-png")]


def test_a_picture_asked_for_is_drawn_then_offered_as_its_download(monkeypatch):
    at, asked = picture_app(monkeypatch, b"\x89PNG fake", looks=3)  # drawn while the button waits
    assert [fmt for fmt, _ in asked] == ["png"]
    assert "from=1995" in asked[0][1].address  # the view's address goes into the picture
    [png] = picture_download(at)
    assert (png.proto.label, png.proto.icon) == ("PNG", ":material/download:")
    assert "picture-trade-total-png" not in {b.key for b in at.button}  # replaced by its download
    assert "picture-trade-total-svg" in {b.key for b in at.button}  # the SVG not drawn
    at.run()  # the page again: the drawn picture is still offered, not drawn again
    assert picture_download(at) and len(asked) == 1
    assert not at.exception


def test_a_refused_picture_says_why_and_can_be_asked_again(monkeypatch):
    from sinorus import images

    busy = images.Busy("The server is drawing 2 pictures and 8 more are waiting; try again in a minute.")  # fmt: skip
    at, asked = picture_app(monkeypatch, busy)
    assert any("PNG not drawn: The server is drawing 2 pictures" in c.value for c in at.caption)
    assert not picture_download(at)
    at.run()
    again = next(b for b in at.button if b.key == "picture-trade-total-png")
    assert again.label == "PNG: try again" and "8 more are waiting" in again.help
    again.click().run()
    assert len(asked) == 2
    assert not at.exception


def test_data_table_reads_as_words_first_columns_what_the_figure_is():
    at = run({"view": "data"})
    table = at.dataframe[0].value
    order = list(at.dataframe[0].proto.column_order)
    # what a row is, pinned first at every width: the doubtful arms total never reads as trade
    assert order[:5] == ["figure", "value", "unit_shown", "years", "source"]
    assert "indicator_shown" not in order and "flag_shown" not in order  # said once, in "figure"
    assert at.dataframe[0].proto.columns  # the config is sent
    assert '"pinned": true' in at.dataframe[0].proto.columns.split('"figure"')[1].split("}")[0]
    arms = table[table["indicator"] == "arms_purchases"].iloc[0]
    assert arms["years"] == "1992–2006 (total)"
    assert arms["indicator_shown"] == "Chinese purchases of Russian arms"
    assert arms["figure"] == "⚠ doubtful · Chinese purchases of Russian arms"
    trade = table[table["indicator"] == "trade_total"].iloc[0]
    assert trade["figure"] == "China–Russia trade"
    assert "at least" in set(table["qualifier_shown"]) and "at_least" not in set(
        table["qualifier_shown"]
    )
    assert "None" not in table[["year_note", "flag_note"]].astype(str).to_numpy()


def chart_traces(at, index=0):
    import json

    return [t.get("name") for t in json.loads(at.get("plotly_chart")[index].proto.spec)["data"]]


def test_later_reports_layer_on_by_default_and_off_in_the_url():
    from sinorus.charts import REPORTS_LEGEND

    at = run()
    assert REPORTS_LEGEND in chart_traces(at)
    assert [t.value for t in at.toggle if t.label == "Later reports"] == [True]
    assert any(e.label.startswith("Later reports: the grey squares (21") for e in at.expander)
    assert not [b for b in at.get("download_button") if "later-reports" in b.proto.id]  # lazy
    open_all(at)  # the reader opens it and its popover
    at.run()
    ids = {b.proto.id.split("dl-")[-1] for b in at.get("download_button") if b.proto.id}
    assert {f"later-reports-{f}" for f in ("csv", "xlsx", "json", "zip")} <= ids
    assert list(at.dataframe[-1].value["Year"])[:2] == ["1993", "1996"]
    at = run({"reports": "off"})
    assert not at.exception and not at.warning
    assert REPORTS_LEGEND not in chart_traces(at)
    assert [t.value for t in at.toggle if t.label == "Later reports"] == [False]
    assert not any(e.label.startswith("Later reports") for e in at.expander)
    assert dict(at.query_params) == {"reports": "off"}
    metrics = metric_values(at)  # the headline says whose each figure is either way
    assert metrics["Documents, c. 2007"] == "US$40 bn"
    assert metrics["Latest report, 2007"] == "US$48.16 bn"  # as the report gives it
    next(t for t in at.toggle if t.label == "Later reports").set_value(True).run()
    assert REPORTS_LEGEND in chart_traces(at)
    assert dict(at.query_params) == {}
    next(t for t in at.toggle if t.label == "Later reports").set_value(False).run()
    assert at.query_params["reports"] == "off"
    # the switch is kept while other sections show
    at.button_group(key="view").set_value("data").run()
    assert at.query_params["reports"] == "off"


@pytest.mark.parametrize("value", ["maybe", "<script>alert(1)</script>", "OFF", ""])
def test_bad_layer_value_gives_a_notice_and_shows_the_layer(value):
    from sinorus.charts import REPORTS_LEGEND

    at = run({"reports": value})
    assert not at.exception
    assert any("is not one of on, off; showing the later reports" in w.value for w in at.warning)
    assert all("<script>" not in w.value for w in at.warning)
    assert REPORTS_LEGEND in chart_traces(at)
    assert dict(at.query_params) == {}


def test_widen_to_the_later_reports_names_whose_each_headline_figure_is():
    at = run()
    assert at.slider[0].value == (1992, 2007) and at.slider[0].max == 2024
    at.button(key="widen-to-reports").click().run()
    assert not at.exception
    assert at.slider[0].value == (1992, 2024)
    assert dict(at.query_params) == {"from": "1992", "to": "2024"}
    metrics = metric_values(at)
    assert metrics["Documents, c. 2007"] == "US$40 bn"
    assert "documents ≈ ×6.7, 1992–c. 2007" in growth_caption(at)  # their own years
    assert metrics["Official record, 2020"] == "US$107.7 bn"
    assert "record ×18.4, 1992–2020 (11.0% a year, China-reported)" in growth_caption(at)
    assert metrics["Latest report, 2024"] == "US$244.81 bn"
    assert not [b for b in at.button if b.key == "widen-to-reports"]  # nothing further to show


def test_range_after_the_documents_shows_the_record_and_the_layer():
    from sinorus.charts import REPORTS_LEGEND

    record = ["China-reported total (IMF DOTS)", "Russia-reported total (IMF DOTS)"]
    at = run({"from": "2010", "to": "2020"})
    assert not at.exception and not at.warning
    assert chart_traces(at) == record + [REPORTS_LEGEND]
    metrics = metric_values(at)
    assert metrics["Official record, 2020"] == "US$107.7 bn"
    assert not any(label.startswith("Documents") for label in metrics)
    buttons = {b.proto.id.split("dl-")[-1]: b for b in at.get("download_button") if b.proto.id}
    assert not buttons["trade-total-csv"].proto.disabled  # marks drawn: their rows download
    at = run({"from": "2010", "to": "2020", "reports": "off", "record": "off"})
    assert not at.get("plotly_chart")
    assert any("No trade figures between 2010 and 2020" in i.value for i in at.info)


def test_claims_and_records_section():
    at = run({"view": "claims"}, opened=True)
    assert not at.exception
    assert chart_traces(at)[1:3] == [
        "the 2007 documents, vs China-reported",
        "the 2007 documents, vs Russia-reported",
    ]  # after the line joining each claim's two readings
    said = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes off
    assert "nearly US$40 bn for c. 2007 is −16.9% from China's reading" in said
    ids = {b.proto.id.split("dl-")[-1] for b in at.get("download_button") if b.proto.id}
    assert {f"claims-and-records-{f}" for f in ("csv", "xlsx", "json", "zip")} <= ids
    assert "picture-claims-and-records-png" in {b.key for b in at.button}  # drawn when asked


def test_sources_list_the_later_reports_as_restated():
    at = run({"view": "sources"})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes off
    assert "## Later reports" in text and "Restated, not copied" in text
    assert "PortNews (citing RIA Novosti)**, May 2008" in text
    assert "[en.portnews.ru](https://en.portnews.ru/news/10642) · restated" in text
    assert any(e.label.startswith("The 54 reports, by date") for e in at.expander)


def test_a_built_download_stays_the_readers_through_other_readers_clean_ups(monkeypatch):
    """Streamlit's own deferred-download path (registered, built on click, then the clean-ups
    that other readers' runs make): the file `widgets.kept` built stays until this reader's
    page runs again; without it, two clean-ups delete it (HTTP 404 for the browser)."""
    from types import SimpleNamespace

    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from sinorus.ui import widgets

    storage = MemoryMediaFileStorage("/media")
    files = MediaFileManager(storage)

    def stored(file_id):  # what /media/<id> would serve (MediaFileManager.read_file from 1.67)
        try:
            return storage.get_file(file_id)
        except MediaFileStorageError:
            return None

    monkeypatch.setattr(widgets.runtime, "exists", lambda: True)
    monkeypatch.setattr(widgets.runtime, "get_instance", lambda: SimpleNamespace(media_file_mgr=files))  # fmt: skip
    monkeypatch.setattr(widgets, "get_script_run_ctx", lambda **_: SimpleNamespace(session_id="reader-a"))  # fmt: skip

    def clicked(data, name):
        deferred = files.add_deferred(data, "text/csv", f"1.{name}", file_name=name)
        url = files.execute_deferred(deferred)
        for _ in range(3):  # other readers' runs end
            files.remove_orphaned_files()
        return url.rsplit("/", 1)[1]

    build = lambda: b"year,value\n2000,1\n"  # noqa: E731
    bare = clicked(build, "bare.csv")
    assert stored(bare) is None  # Streamlit alone: gone before the browser asks
    kept = clicked(widgets.kept(build, "text/csv", "kept.csv", "trade-total-csv"), "kept.csv")
    assert stored(kept).content == b"year,value\n2000,1\n"
    files.clear_session_refs("reader-a")  # this reader's page runs again: no longer kept
    files.remove_orphaned_files()
    files.remove_orphaned_files()
    assert stored(kept) is None


def test_several_url_problems_make_one_notice_listing_each_quoted_once():
    """Five stacked notices pushed the chart a screen down: one notice lists them."""
    at = run({"from": "abc", "scale": "cubic", "view": "charts", "events": "no"})
    assert not at.exception
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert text.startswith("The address was fixed in 4 places")
    for part in (r"from\='abc'", r"scale\='cubic'", r"view\='charts'", r"events\='no'"):
        assert part in text, text
    assert "''" not in text
    assert at.warning[0].proto.icon == ":material/warning:"


def test_no_notice_or_message_icon_needs_an_emoji_font():
    """Emoji icons draw as empty boxes where no emoji font is installed: Material icons do not."""
    at = run({"from": "abc", "record": "off", "reports": "off"})
    at.slider[0].set_value((1993, 1996)).run()
    shown = [*at.warning, *at.info, *at.error]
    assert len(shown) >= 1
    for element in shown:
        assert element.proto.icon.startswith(":material/"), element.proto.icon


#: Symbols ("So" in Unicode) a page may show: each is drawn by the text fonts a bare system has
#: (DejaVu Sans) and shows as text unless asked otherwise (U+FE0F): none needs an emoji font.
#: A pictograph (U+1F000 on: 🖼 📄 🔎 🛑) draws as an empty box there; other symbols (⬇) are
#: emoji in one font and missing from another. An icon is a Material one (`icon=":material/…:"`,
#: a font Streamlit ships), never a character.
TEXT_SYMBOLS = frozenset("©↗▲▼◆○●⚠")


def needs_emoji_font(char: str) -> bool:
    import unicodedata

    if char == "\ufe0f" or ord(char) >= 0x1F000:
        return True
    return unicodedata.category(char) == "So" and char not in TEXT_SYMBOLS


def shown_strings(node):
    """Every string an element of the page carries: labels, help, options, text, the figures'
    specs (their legend and hover text), the iframes' documents."""
    import json

    from google.protobuf.message import Message

    def walk(value):
        if isinstance(value, Message):
            for _field, item in value.ListFields():
                yield from walk(item)
        elif isinstance(value, str):
            if value.startswith(("{", "[")):
                try:
                    yield from walk(json.loads(value))
                    return
                except ValueError:
                    pass
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(key)
                yield from walk(item)
        elif isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated"):
            for item in value:
                yield from walk(item)

    proto = getattr(node, "proto", None)
    if proto is not None:
        yield from walk(proto)
    for child in getattr(node, "children", {}).values():
        yield from shown_strings(child)


@pytest.mark.parametrize(
    "params",
    [
        {},  # the first view: headline, trade chart, the unread-address notice's frame
        *({"view": v, "from": "1992", "to": "2024"} for v in ("composition", "data", "claims")),
        {"view": "sources"},
        {"view": "yours"},
        {"embed": "claims-and-records"},
    ],
    ids=lambda p: p.get("view") or p.get("embed") or "first-view",
)
def test_no_label_or_text_needs_an_emoji_font(params):
    """⬇ and 🖼 once labelled every download and picture button: boxes where no emoji font is
    installed. Every string the page sends (with its lazy parts opened) is text fonts' text."""
    at = run(params, opened=True)
    assert not at.exception
    strings = list(shown_strings(at._tree))
    assert any("CSV" in s or "Claims against the record" in s for s in strings)  # it looked
    found = {(c, s[:80]) for s in strings for c in s if needs_emoji_font(c)}
    assert not found, sorted(found)[:10]


def test_download_and_picture_buttons_carry_material_icons():
    at = run({"from": "1995", "to": "2006"})
    downloads = {b.proto.label: b.proto.icon for b in at.get("download_button")}
    assert downloads["CSV"] == downloads["Headline CSV"] == ":material/download:"
    pictures = {b.key: (b.label, b.proto.icon) for b in at.button}
    assert pictures["picture-trade-total-png"] == ("PNG", ":material/image:")


def test_after_the_first_page_a_collection_looks_only_at_what_came_after():
    """Streamlit collects garbage after every run, holding the server while it looks at every
    object the process holds (80-100 ms of each range change, measured). After the first page,
    what lasts (modules, the dataset) is frozen out of the collector's sight."""
    import gc

    from sinorus.ui import page

    page._freeze_what_lasts.clear()
    gc.unfreeze()
    at = run()
    assert not at.exception
    frozen = gc.get_freeze_count()
    assert frozen > 10 * len(gc.get_objects())
    run()  # a second page freezes nothing more (once per process); frozen objects may be freed
    assert gc.get_freeze_count() <= frozen
