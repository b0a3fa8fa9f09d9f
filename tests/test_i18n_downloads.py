"""The downloads' human parts in the page's language (issue 27): the Excel `about` sheet, the
bundles' README, the pictures' footer and reasons, urlstate's notices and share links; the data
(CSV bytes, columns, codes, ids) the same in every language."""

import io
import re
import zipfile
from concurrent.futures import Future
from datetime import UTC, datetime

import openpyxl
import plotly.graph_objects as go
import pytest

from sinorus import bundle, export, i18n, images, share, snippets, urlstate
from sinorus.views import VIEWS

MADE = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
SPAN = (1992, 2007)
#: Three plain-ASCII words in a row: English the pseudo-locale did not reach.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'()-]+[A-Za-z]{2,}){2,}")


def english_left(text: str, data: set[str]) -> list[str]:
    """Plain English runs in `text` once the data's own words (`data`: citations, licences,
    notes, quotes), code spans and addresses are taken out."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return ENGLISH.findall(text)


def data_words(ds, frame) -> set[str]:
    """The package's own words a download carries as written (never translated)."""
    obs = ds.observations
    words = {export.DASHBOARD_CITATION}  # a citation: the dashboard's title as cited
    for column in ("citation", "license", "publisher", "title"):
        words |= {str(v) for v in ds.sources[column] if str(v)}
    for publisher in ds.sources["publisher"]:  # as a source line names it: 'VOA', 'IMF DOTS'
        words |= {export.short_name(publisher, document=True), export.short_name(publisher)}
    cited = export.sources_for(frame, ds.sources)
    for column in ("citation", "license"):
        words |= {str(v) for v in cited[column] if str(v)}
    for column in ("year_note", "flag_note", "reported_as"):
        words |= {str(v) for v in obs[column].dropna() if str(v)}
    return words


def about_sheet(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book["about"].iter_rows(values_only=True))


def test_about_sheet_in_the_pages_language_data_unchanged(ds):
    frame = VIEWS["trade-total"].frame(ds, SPAN)
    english = export.render("xlsx", frame, ds.sources, "Trade", SPAN)
    with i18n.using("xx"):
        title = i18n.pseudo("Trade")
        xlsx = export.render("xlsx", frame, ds.sources, title, SPAN)
        csv = export.render("csv", frame, ds.sources, title, SPAN)
        cited = export.dashboard_citation()
    rows = about_sheet(xlsx)
    labels = [cell for row in rows for cell in row[:1]] + list(rows[0])
    assert all(str(label).startswith("[") for label in labels), labels  # every label translated
    words = data_words(ds, frame) | {title}
    left = [english_left(str(cell), words) for row in rows for cell in row if cell is not None]
    assert not any(left), left
    assert rows[1:] != about_sheet(english)[1:]
    assert cited != export.DASHBOARD_CITATION  # how to cite it, in the reader's language
    assert [r[1] for r in rows][1:] == [title, cited, len(frame)]
    assert csv == export.to_csv(frame)  # the data: byte for byte the English download
    book, en_book = (openpyxl.load_workbook(io.BytesIO(b)) for b in (xlsx, english))
    assert book.sheetnames == en_book.sheetnames == ["data", "sources", "about"]
    for sheet in ("data", "sources"):  # columns, codes, values: the same in every language
        assert list(book[sheet].values) == list(en_book[sheet].values)


@pytest.mark.parametrize("slug", ["trade-total", "growth", "claims-and-records", "events"])
def test_bundle_readme_in_the_pages_language_csv_unchanged(ds, slug):
    if slug not in VIEWS:
        pytest.skip(f"no view {slug}")
    frame = VIEWS[slug].frame(ds, SPAN)
    kwargs = dict(slug=slug, description="", made=MADE, observations=ds.observations)
    english = zipfile.ZipFile(io.BytesIO(bundle.to_bundle(frame, ds.sources, "T", SPAN, **kwargs)))
    with i18n.using("xx"):
        data = bundle.to_bundle(frame, ds.sources, i18n.pseudo("T"), SPAN, **kwargs)
    files = zipfile.ZipFile(io.BytesIO(data))
    csv_name = export.filename(slug, SPAN, "csv")
    assert files.read(csv_name) == english.read(csv_name) == export.to_csv(frame)
    readme = files.read("README.md").decode("utf-8")
    words = data_words(ds, frame) | {str(v) for v in frame.get("when", [])}
    assert not english_left(readme, words), english_left(readme, words)
    assert "## [" in readme and "`exact`" in readme or "qualifier" not in " ".join(frame.columns)
    # the descriptor's field names, types and keys stay machine-readable
    en_schema = bundle.json.loads(english.read("datapackage.json"))["resources"][0]["schema"]
    schema = bundle.json.loads(files.read("datapackage.json"))["resources"][0]["schema"]
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        (f["name"], f["type"]) for f in en_schema["fields"]
    ]


def test_dataset_readme_in_the_pages_language(ds):
    files = bundle.package_bytes(ds)
    with i18n.using("xx"):
        readme = bundle.dataset_readme(ds, MADE, files)
    descriptor = bundle.dataset_descriptor(ds)
    words = data_words(ds, ds.observations) | {descriptor.get("description", "")}
    words |= {str(r.get("title", "")) for r in descriptor["resources"]} | {descriptor["title"]}
    assert not english_left(readme, words), english_left(readme, words)


@pytest.mark.parametrize("slug", ["trade-total", "growth"])  # the package's columns; derived
def test_a_languages_descriptions_are_never_served_to_another(ds, slug):
    """The descriptions are cached: each language's cache is its own, whichever came first."""
    frame = VIEWS[slug].frame(ds, SPAN)
    with i18n.using("xx"):
        first = bundle.schema(frame)
    english = bundle.schema(frame)
    with i18n.using("xx"):
        again = bundle.schema(frame)
    assert bundle.schema(frame) == english
    assert not any(f["description"].startswith("[") for f in english["fields"])
    assert first == again and all(f["description"].startswith("[") for f in again["fields"])
    assert [f["name"] for f in again["fields"]] == [f["name"] for f in english["fields"]]


def test_picture_source_line_and_footer_in_the_pages_language(ds):
    frame = VIEWS["trade-total"].frame(ds, SPAN)
    english = export.provenance(frame, ds.sources)
    with i18n.using("xx"):
        source, licence = export.provenance(frame, ds.sources)
        footer = images.Provenance(source, licence, "http://h/?lang=xx").footer()
    assert (source, licence) != english
    assert "VOA, EAI, 2007" in source and "IMF DOTS" in source  # names stay as written
    assert footer[0].startswith("[Šôûŕçé: ") and footer[1].startswith("[Ĺîçéñçé: ")
    assert footer[2] == "sinorus · http://h/?lang=xx"
    assert not english_left(f"{source} {licence}", data_words(ds, frame))


def test_the_pictures_language_crosses_to_the_pool(monkeypatch):
    """The picture is drawn in another process: the job carries the page's language, and the
    worker's reasons come back in it."""
    jobs = []
    monkeypatch.setattr(images, "unavailable", lambda: None)
    monkeypatch.setattr(images, "_submit", lambda job, queued=False: jobs.append(job) or Future())
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    with i18n.using("ru"):
        images.draw(fig, "svg", images.Provenance("s", "l", "a"))
    assert jobs[-1][-1] == "ru"
    with pytest.raises(images.ImageUnavailable) as err:  # not inside using(): as in a worker
        images._draw("{", "svg", 10, 10, 1, 30.0, None, "xx")
    assert str(err.value).startswith("[Ţĥé þîçţûŕé çôûĺđ ñôţ ƀé đŕàŵñ")
    with pytest.raises(images.ImageUnavailable, match="could not be drawn"):
        images._draw("{", "svg", 10, 10, 1, 30.0, None)  # English by default, as before


def test_share_links_carry_the_pages_language():
    params = {"from": "1995", "to": "2000"}
    with i18n.using("zh"):
        src = share.embed_src("http://h", params, "trade-total")
        link = share.chart_link("http://h", params, "growth")
        kept = share.embed_src("http://h", {**params, "lang": "ru"}, "trade-total")
    assert src == "http://h/?embed=trade-total&from=1995&to=2000&lang=zh"
    assert link == "http://h/?from=1995&to=2000&lang=zh&view=composition#growth"
    assert kept.count("lang=") == 1 and "lang=ru" in kept  # the page's own parameter wins
    assert "lang=" not in share.embed_src("http://h", params, "trade-total")  # English: none
    state = {"year_range": (1995, 2000), "lang": "zh"}
    assert share.embed_src("http://h", urlstate.to_params(state, SPAN), "trade-total") == src


def test_urlstate_notices_pseudo_translated_values_intact():
    params = {"from": ["abc"], "to": ["1999", "2000"], "scale": ["x"], "zz": ["1"]}
    english = urlstate.parse(params, SPAN)[1]
    with i18n.using("xx"):
        state, notices = urlstate.parse(params, SPAN)
    assert state == urlstate.parse(params, SPAN)[0]
    assert len(notices) == len(english) == 4
    assert all(n.startswith("[") and n.endswith("]") for n in notices), notices
    assert "from='abc'" in notices[0] and "1992" in notices[0] and "ñôţ à ýéàŕ" in notices[0]
    assert "'to'" in notices[1] and " 2 " in notices[1]
    assert "scale='x'" in notices[2] and "linear, log" in notices[2]
    assert "'zz'" in notices[3]
    assert english[0] == "URL parameter from='abc' is not a year; using 1992."


def test_snippet_comments_translated_code_unchanged():
    english = snippets.code_snippets("growth", (1995, 2006), "http://h")
    with i18n.using("xx"):
        pseudo = snippets.code_snippets("growth", (1995, 2006), "http://h")
    for kind in english:
        en_lines, xx_lines = english[kind].splitlines(), pseudo[kind].splitlines()
        assert [x for x in en_lines if not x.startswith("#")] == [
            x for x in xx_lines if not x.startswith("#")
        ]
        assert [x for x in en_lines if x.startswith("#")] != [
            x for x in xx_lines if x.startswith("#")
        ]


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_templates_fill_in_every_language(ds, lang):
    """No field lost (KeyError) whatever the catalog holds: every download built in `lang`."""
    frame = VIEWS["growth"].frame(ds, SPAN)
    with i18n.using(lang):
        bundle.to_bundle(frame, ds.sources, "T", SPAN, slug="growth", made=MADE)
        bundle.dataset_readme(ds, MADE, bundle.package_bytes(ds, include_texts=False))
        export.render("xlsx", frame, ds.sources, "T", SPAN)
        export.provenance(frame, ds.sources)
        urlstate.parse({"from": ["x"], "to": ["3000", "1"], "view": ["q"], "b": ["1"]}, SPAN)
        assert images._too_long(4.0)


MODULES = ["export", "bundle", "images", "share", "snippets", "urlstate"]


@pytest.mark.parametrize("module", MODULES)
def test_every_message_is_one_babel_extracts(module):
    """A `_()` inside an f-string is translated at run time but never extracted (so never
    translated): each message is called outside any f-string, on one literal or on a value
    marked N_ where it is defined."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(f"sinorus/{module}.py").read_text(encoding="utf-8"))
    hidden = [
        node.lineno
        for fstring in ast.walk(tree)
        if isinstance(fstring, ast.JoinedStr)
        for node in ast.walk(fstring)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext")
    ]
    assert hidden == [], f"sinorus/{module}.py: a message inside an f-string, line(s) {hidden}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "N_", "ngettext"):
            for arg in node.args[: 2 if node.func.id == "ngettext" else 1]:
                assert not isinstance(arg, ast.JoinedStr), f"an f-string message, line {arg.lineno}"
