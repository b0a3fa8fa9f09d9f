"""Reusable download bundles: a ZIP of the CSV, a Frictionless `datapackage.json` and a README.

`to_bundle` packs one chart's (or table's) frame: the CSV exactly as the chart's CSV download
writes it (`export.to_csv`: UTF-8, CRLF line ends, formula-like text cells prefixed with an
apostrophe), a data package whose one resource describes exactly the frame's columns, and a
README with what the figures are, their sources with full citations and licences, the
qualifier and year-derivation caveats, doubtful flags and when the bundle was made.
`dataset_bundle` packs the whole data package. Both validate with `frictionless validate`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from sinorus import __version__, export, i18n, record, vocab
from sinorus.checks import confined
from sinorus.i18n import N_, _, ngettext
from sinorus.load import DESCRIPTOR, Dataset, data_dir, package_files
from sinorus.views import VIEWS, view

CURATION_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": N_(
        "Creative Commons Attribution 4.0 (the curation: tables, qualifiers and notes); "
        "each source keeps its own licence"
    ),
}
#: Each qualifier's meaning (an English message marked in `sinorus.vocab`; `_()` where shown).
QUALIFIERS = {q.id: q.meaning for q in vocab.QUALIFIERS.values()}
#: Descriptions of columns the chart frames add to the data package's own columns (English
#: messages: `known_fields` gives them in the page's language).
DERIVED_FIELDS = {
    "trade_usd_bn": ("number", N_("China–Russia trade, billions of current US dollars.")),
    "source_title": ("string", N_("Title of the source (sources.title).")),
    "source_publisher": ("string", N_("Publisher of the source (sources.publisher).")),
    "citation": ("string", N_("Full citation of the source (sources.citation).")),
    "from_year": ("integer", N_("First year of the period (a year with a trade figure).")),
    "to_year": ("integer", N_("Last year of the period (the next year with a trade figure).")),
    "years": ("integer", N_("Length of the period in years (to_year - from_year).")),
    "from_usd_bn": ("number", N_("Trade in from_year, US$ bn (the median if several readings).")),
    "to_usd_bn": ("number", N_("Trade in to_year, US$ bn (the median if several readings).")),
    "change_usd_bn": ("number", N_("to_usd_bn - from_usd_bn.")),
    "multiple": ("number", N_("to_usd_bn / from_usd_bn.")),
    "cagr_percent": (
        "number",
        N_("Compound annual growth rate, percent: ((to / from) ** (1 / years) - 1) * 100."),
    ),
    "from_qualifier": ("string", N_("Qualifier(s) of the from_year figure(s), ' / '-separated.")),
    "to_qualifier": ("string", N_("Qualifier(s) of the to_year figure(s), ' / '-separated.")),
    "from_reported_as": ("string", N_("The from_year figure(s) as written, '; '-separated.")),
    "to_reported_as": ("string", N_("The to_year figure(s) as written, '; '-separated.")),
    "from_ids": ("string", N_("observations.id of the from_year figure(s), '; '-separated.")),
    "to_ids": ("string", N_("observations.id of the to_year figure(s), '; '-separated.")),
    "from_year_basis": (
        "string",
        N_("How the from_year was read: stated, or derived from context."),
    ),
    "to_year_basis": ("string", N_("How the to_year was read: stated, or derived from context.")),
    "layer": (
        "string",
        N_(
            "What kind of figure the row is: documents (a 2007 document's figure), official (the "
            "IMF's record, one reporter's exports FOB + imports CIF), reports (a later report's "
            "figure), imported (an imported total) or events (a dated event the documents name)."
        ),
    ),
    "series": ("string", N_("The chart's legend entry the row is drawn under.")),
    "source_label": ("string", N_("The row's source as readers name it (publisher and date).")),
    "exports_usd_bn": ("number", N_("Official record: the reporter's exports FOB, US$ bn.")),
    "imports_usd_bn": ("number", N_("Official record: the reporter's imports CIF, US$ bn.")),
    "valuation": ("string", N_("How an official total is valued: exports FOB + imports CIF.")),
    "series_id": ("string", N_("Imported total: its dataset and reporter.")),
    "basis": ("string", N_("Imported total: what it adds up or how the file states it.")),
    "row_refs": ("string", N_("Imported total: the rows of the imported file it rests on.")),
    "ids": (
        "string",
        N_(
            "observations.id of the figures counted or combined, '; '-separated (after five, 'and N more')."
        ),
    ),
    "share_percent": ("number", N_("China–Russia trade as a percentage of China's total trade.")),
    "trade_ids": ("string", N_("observations.id of the trade figure(s) used, '; '-separated.")),
    "implied_china_total_usd_bn": (
        "number",
        N_(
            "China's total trade implied by trade_usd_bn / (share_percent / 100), US$ bn: as "
            "approximate as the share."
        ),
    ),
    "implied_qualifier": ("string", N_("Qualifier of the implied total (that of the share).")),
    "country": ("string", N_("Country name.")),
    "gdp_usd_bn": ("number", N_("GDP, billions of current US dollars (World Bank).")),
    "trade_pct_of_gdp": ("number", N_("trade_usd_bn as a percentage of gdp_usd_bn.")),
    "gdp_source_id": ("string", N_("The source of the GDP value (sources.id).")),
    "indicator_label": ("string", N_("What the indicator measures (indicators.label).")),
    "figures": (
        "integer",
        N_("Number of figures the source gives for the indicator in the range."),
    ),
    "doubtful": (
        "integer",
        N_(
            "How many of those figures are flagged doubtful (kept as reported, never added to trade)."
        ),
    ),
    "when": ("string", N_("The event's date as precisely as the text gives it.")),
    "country_code": ("string", N_("ISO 3166-1 alpha-3 code: CHN China, RUS Russia.")),
    "flow": (
        "string",
        N_(
            "china_imports: China buys from Russia; china_exports: China sells to Russia; "
            "cooperation: an area where the two sides cooperate."
        ),
    ),
    "category": ("string", N_("What kind of goods or cooperation (e.g. raw_materials, energy).")),
    "item": ("string", N_("What is traded or cooperated on, in brief.")),
    "date_precision": ("string", N_("How precise the date is: day, month or year.")),
    "title": ("string", N_("What happened, in brief.")),
    **record.FIELDS,  # claims against the record: each claim beside each official reading
}
_SLUG = re.compile(r"[^a-z0-9]+")
#: The command that checks a bundle (named in its README; never translated).
VALIDATE = "frictionless validate datapackage.json"


def now() -> datetime:
    return datetime.now(UTC)


def _iso(made: datetime) -> str:
    if made.tzinfo is None:
        made = made.replace(tzinfo=UTC)
    return made.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=8)
def _descriptor_fields(path: str, lang: str) -> dict[str, dict]:
    """name -> {type, description} from the data package descriptor (first resource wins); the
    descriptions are the package's words, in `lang` where the catalog has them (the cache is
    keyed on the language: one language's descriptions are never another's)."""
    try:
        descriptor = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    out: dict[str, dict] = {}
    for resource in descriptor.get("resources", []):
        for spec in (resource.get("schema") or {}).get("fields", []):
            known = out.setdefault(spec["name"], {"type": spec.get("type", "string")})
            if "description" not in known and spec.get("description"):
                with i18n.using(lang):
                    known["description"] = i18n.data_label(spec["description"])
    return out


def known_fields() -> dict[str, dict]:
    """Type and description of every column name a chart frame may carry, the descriptions in
    the page's language."""
    fields = dict(_descriptor_fields(str(data_dir() / DESCRIPTOR), i18n.current()))
    for name, (kind, description) in DERIVED_FIELDS.items():
        known = fields.setdefault(name, {"type": kind})
        if not known.get("description"):
            words = _(description).format(pct=f"{record.FLAG_PCT:g}")  # record.FIELDS' one field
            fields[name] = {**known, "description": words}
    return fields


def field_type(series: pd.Series, fallback: str = "string") -> str:
    """The Table Schema type of a column, as `export.to_csv` writes it."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = series.dropna()
        return "date" if (values == values.dt.normalize()).all() else "datetime"
    values = [v for v in series if v is not None and not (isinstance(v, float) and pd.isna(v))]
    values = [v for v in values if v != ""]
    if not values:
        return fallback
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"


def schema(frame: pd.DataFrame) -> dict:
    """A Table Schema describing exactly `frame`'s columns, in order."""
    known = known_fields()
    fields = []
    for name in frame.columns:
        spec = known.get(name, {})
        field = {"name": str(name), "type": field_type(frame[name], spec.get("type", "string"))}
        if field["type"] == "datetime":
            field["format"] = "any"
        if spec.get("description"):
            field["description"] = spec["description"]
        fields.append(field)
    out = {"fields": fields, "missingValues": [""]}
    if "id" in frame and len(frame) and frame["id"].notna().all() and frame["id"].is_unique:
        out["primaryKey"] = ["id"]
    return out


def licenses_for(cited: pd.DataFrame) -> list[dict]:
    """The curation licence, then each cited source's licence (Open Definition ids)."""
    out = [{**CURATION_LICENSE, "title": _(CURATION_LICENSE["title"])}]
    for row in cited.itertuples():
        text = str(getattr(row, "license", "") or "")
        if re.search(r"CC[ -]BY[ -]4\.0", text):
            lic = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
        elif text.lower().startswith("public domain"):
            lic = {"name": "other-pd"}
        else:
            lic = {"name": "other-closed"}
        lic["title"] = f"{row.title}: {text}"
        out.append(lic)
    return out


def sources_entries(cited: pd.DataFrame) -> list[dict]:
    out = []
    for row in cited.itertuples():
        entry = {"title": str(row.citation)}
        url = str(getattr(row, "url", "") or "")
        if url:
            entry["path"] = url
        out.append(entry)
    return out


def _ids_in(frame: pd.DataFrame) -> list[str]:
    ids: list[str] = []
    for column in ("id", "ids", "trade_ids", "from_ids", "to_ids"):
        if column in frame:
            for cell in frame[column]:
                if isinstance(cell, str):
                    ids.extend(p for p in cell.split("; ") if p)
    return list(dict.fromkeys(ids))


def _figures(frame: pd.DataFrame, observations: pd.DataFrame | None) -> pd.DataFrame:
    """The observations the frame rests on (its own rows if it carries their notes)."""
    if observations is not None:
        return observations[observations["id"].isin(_ids_in(frame))]
    return frame


#: Where a bundle's figures come from: the documents, later reports, or both side by side.
ORIGIN = {
    "documents": N_(
        "Every figure comes from one of two documents of August 2007 (a Voice of America "
        "article and an East Asian Institute brief) and is tied to the sentence it came from, with "
        "the sentence's own hedge kept. Nothing is rounded into certainty."
    ),
    "reports": N_(
        "Every figure is one a later report gives for a full year (a news report or a "
        "customs release), kept exactly as written with its hedge; the reports are restated "
        "in our own words and the originals remain their publishers' (see Sources). A layer beside "
        "the two 2007 documents' figures: never averaged with them or with each other."
    ),
    "both": N_(
        "Each figure of the two documents of August 2007 (a Voice of America article and an "
        "East Asian Institute brief), as its sentence states it, beside the figures later reports "
        "give for the same year (restated in our own words; see Sources). Nothing is averaged."
    ),
}


def _origin(frame: pd.DataFrame) -> str:
    reported = {"publisher", "published", "url"} <= set(frame.columns)
    if not reported:
        return "documents"
    return "both" if "source_id" in frame else "reports"


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def readme(
    frame: pd.DataFrame,
    sources: pd.DataFrame,
    title: str,
    year_range: tuple[int, int],
    *,
    csv_name: str,
    description: str = "",
    caveats: tuple[str, ...] | list[str] = (),
    made: datetime,
    observations: pd.DataFrame | None = None,
    neutralised: int = 0,
) -> str:
    """The bundle's README.md: what the rows are, their columns, how sure each figure is, the
    years and dates read from context, doubtful figures, sources, licence and citation."""
    lo, hi = year_range
    lines = [
        "# " + _("{title}, {lo}–{hi}").format(title=title, lo=lo, hi=hi),
        "",
        _("Made {when} by sinorus {version}.").format(when=_iso(made), version=__version__),
        "",
    ]
    if description:
        lines += [description, ""]
    lines += _readme_files(frame, csv_name, neutralised)
    lines += _readme_columns(frame)
    figures = _figures(frame, observations)
    lines += _readme_years(frame, figures) + _readme_doubtful(figures)
    if caveats:
        lines += ["## " + _("Caveats"), ""] + [f"- {c}" for c in caveats] + [""]
    lines += _readme_sources(export.sources_for(frame, sources))
    return "\n".join(lines)


def _readme_files(frame: pd.DataFrame, csv_name: str, neutralised: int) -> list[str]:
    return [
        _(ORIGIN[_origin(frame)]),
        "",
        "## " + _("Files"),
        "",
        "- "
        + _(
            "{file}: {rows} row(s), {columns} column(s). UTF-8, comma-separated, CRLF line "
            "ends (RFC 4180), header row; empty cell = no value."
        ).format(file=f"`{csv_name}`", rows=len(frame), columns=len(frame.columns)),
        "- "
        + _(
            "{file}: a Frictionless Data Package describing that CSV (types, descriptions, "
            "sources, licences). Check it with {command}."
        ).format(file="`datapackage.json`", command=f"`{VALIDATE}`"),
        "- " + _("{file}: this file.").format(file="`README.md`"),
        "",
        _(
            "Text cells that would start with `=`, `+`, `-`, `@`, a tab or a carriage return are "
            "prefixed with an apostrophe (`'`) so that a spreadsheet never runs them as a "
            "formula; remove one leading apostrophe to get the text as written."
        )
        + " "
        + (
            _("{count} cell(s) in this file were prefixed.").format(count=neutralised)
            if neutralised
            else _("No cell in this file needed it.")
        ),
        "",
    ]


def _meanings() -> dict[str, str]:
    """Each qualifier's meaning in the page's language."""
    return {q: _(words) for q, words in QUALIFIERS.items()}


def _readme_columns(frame: pd.DataFrame) -> list[str]:
    lines = [
        "## " + _("Columns"),
        "",
        "| " + " | ".join((_("column"), _("type"), _("description"))) + " |",
        "| --- | --- | --- |",
    ]
    for field in schema(frame)["fields"]:
        desc = field.get("description", "").replace("|", "\\|")
        lines.append(f"| `{field['name']}` | {field['type']} | {desc} |")
    lines.append("")
    if any(str(c).endswith("qualifier") for c in frame.columns):
        lines += ["## " + _("Qualifiers: how sure each figure is"), ""]
        lines += [f"- `{q}`: {words}" for q, words in _meanings().items()]
        lines += [
            "",
            _(
                "Figures derived from hedged figures (sums, ratios, growth rates) are as "
                "approximate as the figures they rest on."
            ),
            "",
        ]
    return lines


def _readme_years(frame: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    lines: list[str] = []
    if "year_basis" in figures:
        derived = figures[figures["year_basis"] == "derived"]
        lines += ["## " + _("Years read from context"), ""]
        if len(derived):
            lines += [
                _(
                    "These figures' years are not stated in the sentence but derived from its "
                    "context (the documents date from August 2007):"
                ),
                "",
            ]
            for row in derived.itertuples():
                note = _text(getattr(row, "year_note", "")) or _("derived from context")
                lines.append(f"- `{row.id}` ({row.year}): {note}")
        else:
            lines.append(_("Every figure here has its year stated in the sentence."))
        lines.append("")
    derived = frame[frame["date_basis"] == "derived"] if "date_basis" in frame else frame.iloc[0:0]
    if len(derived):
        lines += [
            "## " + _("Dates read from context"),
            "",
            _(
                "Part of these events' dates is read from context (e.g. 'last year', 'this "
                "month' in a text of August 2007):"
            ),
            "",
        ]
        for row in derived.itertuples():
            title = i18n.data_label(row.title)
            lines.append(f"- `{row.id}`: {title} ({_text(getattr(row, 'when', row.date))})")
        lines.append("")
    return lines


def _readme_doubtful(figures: pd.DataFrame) -> list[str]:
    doubtful = figures[figures["flag"] == "doubtful"] if "flag" in figures else figures.iloc[0:0]
    if not len(doubtful):
        return []
    lines = [
        "## " + _("Doubtful figures"),
        "",
        _("Kept as reported but not to be trusted; never added to trade:"),
        "",
    ]
    for row in doubtful.itertuples():
        note = _text(getattr(row, "flag_note", "")) or _("flagged doubtful")
        said = _text(getattr(row, "reported_as", ""))
        lines.append(f"- `{row.id}` ({said}): {note}")
    return lines + [""]


def _source_line(row) -> str:
    """A source as the README lists it: its citation and licence as written, its address."""
    text = _("{citation} Licence: {licence}.").format(citation=row.citation, licence=row.license)
    return f"- {text}" + (f" {row.url}" if row.url else "")


def _readme_sources(cited: pd.DataFrame) -> list[str]:
    lines = ["## " + _("Sources"), ""]
    for row in cited.itertuples():
        lines.append(_source_line(row))
    return lines + [
        "",
        "## " + _("Licence"),
        "",
        _(
            "The curation (tables, qualifiers and notes) is CC BY 4.0; quotes and figures keep "
            "their source's licence, listed above."
        ),
        "",
        "## " + _("Cite this"),
        "",
        export.dashboard_citation(),
        "",
    ]


def package(
    frame: pd.DataFrame,
    sources: pd.DataFrame,
    title: str,
    year_range: tuple[int, int],
    *,
    slug: str,
    csv_name: str,
    csv_bytes: bytes,
    description: str = "",
    made: datetime,
) -> dict:
    """The bundle's datapackage.json: one resource, exactly `frame`'s columns."""
    lo, hi = year_range
    cited = export.sources_for(frame, sources)
    name = _SLUG.sub("-", slug.lower()).strip("-") or "data"
    return {
        "name": f"sinorus-{name}-{lo}-{hi}",
        "title": f"{title}, {lo}–{hi}",
        "description": description or title,
        "version": __version__,
        "created": _iso(made),
        "keywords": ["China", "Russia", "trade", "sinorus"],
        "licenses": licenses_for(cited),
        "sources": sources_entries(cited),
        "resources": [
            {
                "name": name,
                "path": csv_name,
                "title": title,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(csv_bytes),
                "hash": "sha256:" + hashlib.sha256(csv_bytes).hexdigest(),
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": schema(frame),
            }
        ],
    }


def _zip(files: dict[str, bytes], made: datetime) -> bytes:
    stamp = made.astimezone(UTC) if made.tzinfo else made
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def _neutralised_cells(frame: pd.DataFrame) -> int:
    safe = export.neutralise(frame)
    count = 0
    for column in frame.columns:
        before, after = frame[column], safe[column]
        count += sum(1 for a, b in zip(before, after, strict=True) if isinstance(a, str) and a != b)
    return count


def to_bundle(
    frame: pd.DataFrame,
    sources: pd.DataFrame,
    title: str,
    year_range: tuple[int, int],
    *,
    slug: str,
    description: str | None = None,
    caveats: tuple[str, ...] | list[str] = (),
    made: datetime | None = None,
    observations: pd.DataFrame | None = None,
) -> bytes:
    """ZIP bytes: `sinorus-<slug>-<from>-<to>.csv`, `datapackage.json` and `README.md`.

    `description` defaults to the registered view's (sinorus.views) when `slug` names one.
    `observations` (the dataset's table) lets the README explain derived years and doubtful
    flags of the figures a derived frame (growth, share, GDP ratio, counts) rests on.
    `made` defaults to now (UTC); pass it to make the bytes reproducible.
    """
    made = made or now()
    if description is None:
        description = _(VIEWS[slug].description) if slug in VIEWS else ""  # N_ in views
    csv_name = export.filename(slug, year_range, "csv")
    csv_bytes = export.to_csv(frame)
    descriptor = package(
        frame,
        sources,
        title,
        year_range,
        slug=slug,
        csv_name=csv_name,
        csv_bytes=csv_bytes,
        description=description,
        made=made,
    )
    text = readme(
        frame,
        sources,
        title,
        year_range,
        csv_name=csv_name,
        description=description,
        caveats=caveats,
        made=made,
        observations=observations,
        neutralised=_neutralised_cells(frame),
    )
    return _zip(
        {
            csv_name: csv_bytes,
            "datapackage.json": json_bytes(descriptor),
            "README.md": text.encode("utf-8"),
        },
        made,
    )


def render(
    fmt: str,
    frame: pd.DataFrame,
    sources: pd.DataFrame,
    title: str,
    year_range,
    *,
    slug: str = "data",
    made: datetime | None = None,
    observations: pd.DataFrame | None = None,
) -> bytes:
    """Bytes of `frame` in any download format: the ZIP bundle here, the others by `export`."""
    if fmt == "zip":
        return to_bundle(
            frame, sources, title, year_range, slug=slug, made=made, observations=observations
        )
    return export.render(fmt, frame, sources, title, year_range)


def json_bytes(doc: dict) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def bundle_for(
    ds: Dataset, slug: str, year_range: tuple[int, int], *, made: datetime | None = None
) -> tuple[str, bytes]:
    """(file name, ZIP bytes) of a registered view's bundle for `year_range`.

    For "the full table" pass `transform.year_span(ds)` as the range.
    """
    v = view(slug)
    frame = v.frame(ds, year_range)
    data = to_bundle(
        frame,
        ds.sources,
        _(v.title),  # a view's title: an English message marked in sinorus.views
        year_range,
        slug=slug,
        made=made,
        observations=ds.observations,
    )
    return export.filename(slug, year_range, "zip"), data


# --- the whole data package --------------------------------------------------------------------


def dataset_descriptor(ds: Dataset) -> dict:
    """The package descriptor, restricted to the tables this dataset has."""
    descriptor = json.loads(json.dumps(ds.descriptor))
    present = set(package_files(ds))
    descriptor["resources"] = [
        r
        for r in descriptor["resources"]
        if getattr(ds, str(r.get("name")), "") is not None  # None: an optional table it lacks
        and str(r.get("path", "")) in present
    ]
    return descriptor


def package_bytes(ds: Dataset, *, include_texts: bool = True) -> dict[str, bytes]:
    """name -> bytes of the whole package (`sinorus.load.package_files`, the one list of its
    files: tables, descriptor, texts, kept responses, notes), each read through the package's
    confinement; without `include_texts`, only the descriptor and the tables."""
    descriptor = dataset_descriptor(ds)
    unchanged = len(descriptor["resources"]) == len(ds.descriptor.get("resources", []))
    tables = {str(r["path"]) for r in descriptor["resources"]}
    files = {}
    for rel in package_files(ds):
        if rel == DESCRIPTOR:
            raw = confined(ds.root, rel).read_bytes()
            files[rel] = raw if unchanged else json_bytes(descriptor)
        elif include_texts or rel in tables:
            files[rel] = confined(ds.root, rel).read_bytes()
    return files


def _file_lines(ds: Dataset, descriptor: dict, files: dict[str, bytes]) -> list[str]:
    """The README's list of the bundle's files: each table (with its rows), the descriptor, the
    documents' texts, the later reports' texts and the kept API responses."""
    lines: list[str] = []
    for resource in descriptor["resources"]:
        table = getattr(ds, resource["name"], None)
        rows = (
            " " + ngettext("({count} rows)", "({count} rows)", len(table)).format(count=len(table))
            if isinstance(table, pd.DataFrame)
            else ""
        )
        lines.append(f"- `{resource['path']}`: {resource.get('title', '')}{rows}")
    lines.append(
        "- "
        + _("{file}: the Frictionless Data Package (schemas, keys, licences)").format(
            file="`datapackage.json`"
        )
    )
    texts = [name for name in files if name.startswith("sources/")]
    if texts:
        lines.append(
            "- "
            + _(
                "{files}: the two documents' texts as captured, against which every quote is "
                "checked; each keeps its own licence (below)"
            ).format(files="`sources/*.txt`")
        )
    later = sorted(
        {
            n.split("/")[0]
            for n in files
            if n.endswith(".txt") and n.split("/")[0] != "sources" and "/" in n
        }
    )
    if later:
        folders = ", ".join(f"`{folder}/*.txt`" for folder in later)
        lines.append(
            "- "
            + _(
                "{folders}: the texts the later reports' figures were read from, against which "
                "each row of the reports table is checked"
            ).format(folders=folders)
        )
    if any(n.startswith("raw/") for n in files):
        lines.append(
            "- "
            + _(
                "{folder}: the API responses {command} kept, each with the query it answered"
            ).format(folder="`raw/`", command="`sinorus fetch`")
        )
    return lines


def dataset_readme(ds: Dataset, made: datetime, files: dict[str, bytes]) -> str:
    descriptor = dataset_descriptor(ds)
    lines = [
        f"# {descriptor.get('title', 'sinorus data')}",
        "",
        _("Made {when} by sinorus {version}; data package version {package}.").format(
            when=_iso(made), version=__version__, package=descriptor.get("version", "?")
        ),
        "",
        descriptor.get("description", ""),
        "",
        "## " + _("Files"),
        "",
    ]
    lines += _file_lines(ds, descriptor, files)
    obs = ds.observations
    lines += [
        "",
        _(
            "The tables are byte for byte those of the package (no apostrophe prefixing). Check "
            "the package with {command}."
        ).format(command=f"`{VALIDATE}`"),
        "",
        "## " + _("Qualifiers"),
        "",
    ]
    lines += [f"- `{q}`: {words}" for q, words in _meanings().items()]
    lines += ["", "## " + _("Years read from context"), ""]
    for row in obs[obs["year_basis"] == "derived"].itertuples():
        lines.append(f"- `{row.id}` ({row.year}): {row.year_note}")
    doubtful = obs[obs["flag"] == "doubtful"]
    if len(doubtful):
        lines += ["", "## " + _("Doubtful figures"), ""]
        for row in doubtful.itertuples():
            lines.append(f"- `{row.id}` ({row.reported_as}): {row.flag_note}")
    lines += ["", "## " + _("Sources"), ""]
    for row in ds.sources.itertuples():
        lines.append(_source_line(row))
    lines += [
        "",
        "## " + _("Licence"),
        "",
        _(
            "The curation (tables, qualifiers and notes) is CC BY 4.0; each source keeps its own "
            "licence, listed above."
        ),
        "",
        "## " + _("Cite this"),
        "",
        export.dashboard_citation(),
        "",
    ]
    return "\n".join(lines)


def dataset_bundle(
    ds: Dataset, *, made: datetime | None = None, include_texts: bool = True
) -> bytes:
    """ZIP bytes of the whole data package with a README."""
    made = made or now()
    files = package_bytes(ds, include_texts=include_texts)
    files["README.md"] = dataset_readme(ds, made, files).encode("utf-8")
    return _zip(files, made)


DATASET_BUNDLE_NAME = "sinorus-data.zip"
