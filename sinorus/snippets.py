"""Copyable "use this data in code" snippets and "cite this" citations. Pure: no Streamlit.

`code_snippets` gives pandas, R and curl code that loads exactly what a chart shows from the
static files `sinorus.publish` writes (served at `<base_url>/app/static/sinorus/...`), with the
year range applied in code. Each chart's full-span frame is published as
`charts/<slug>.csv`; the snippet reads it and keeps the chart's years:

    trade-total, share-of-china-trade, trade-to-gdp, observations   year between the two
    growth                                                          from_year and to_year both in
    events                                                          date (ISO text) in the years
    trade-makeup                                                    not limited by year
    source-contributions    a count per source over the range: recomputed from the tables

curl cannot filter a CSV, so its line fetches the chart's file for every year.
`citations` gives the dashboard's and each source's citation in plain text and BibTeX.
"""

from __future__ import annotations

import json
import re
import shlex
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from sinorus.i18n import _
from sinorus.paths import CHARTS_DIR, DEFAULT_SLOT
from sinorus.transform import CONTRIBUTION_COLUMNS
from sinorus.views import view


def static_base(base_url: str, slot: str = DEFAULT_SLOT) -> str:
    """`http://host:8501` (the server's root, with any base path) -> its static data URL for
    the package published in `slot` (see `sinorus.paths`)."""
    return f"{base_url.rstrip('/')}/app/static/{slot}"


def base_url_from_page(page_url: str) -> str:
    """The server root from the page's URL (e.g. Streamlit's `st.context.url`): drops the
    query and fragment and any trailing slash; keeps a base path such as `/sinorus`."""
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def chart_url(slug: str, base_url: str, slot: str = DEFAULT_SLOT) -> str:
    return f"{static_base(base_url, slot)}/{CHARTS_DIR}/{slug}.csv"


def _str(text: str) -> str:
    """A double-quoted string literal valid in both Python and R."""
    return json.dumps(text)


def _pandas_filter(kind: str, lo: int, hi: int) -> str:
    if kind == "year":
        return f'.query("{lo} <= year <= {hi}")'
    if kind == "period":
        return f'.query("{lo} <= from_year and to_year <= {hi}")'
    if kind == "date":
        return f".query(\"'{lo}-01-01' <= date <= '{hi}-12-31'\")"
    return ""


def _r_filter(kind: str, lo: int, hi: int) -> str:
    if kind == "year":
        return f"df <- subset(df, year >= {lo} & year <= {hi})\n"
    if kind == "period":
        return f"df <- subset(df, from_year >= {lo} & to_year <= {hi})\n"
    if kind == "date":
        return f'df <- subset(df, date >= "{lo}-01-01" & date <= "{hi}-12-31")\n'
    return ""


def _describe(kind: str, lo: int, hi: int) -> str:
    """What the code keeps, in the page's language (a comment in the code shown to readers)."""
    if kind == "year":
        text = _("rows with year in {lo}–{hi}")
    elif kind == "period":
        text = _("periods with from_year and to_year in {lo}–{hi}")
    elif kind == "date":
        text = _("events dated {lo}–{hi}")
    elif kind == "none":
        text = _("not limited by year")
    elif kind == "computed":
        text = _("counted over {lo}–{hi}, recomputed from the published tables")
    else:
        raise KeyError(kind)
    return text.format(lo=lo, hi=hi)


def code_snippets(
    slug: str,
    year_range: tuple[int, int],
    base_url: str,
    columns: list[str] | None = None,
    slot: str = DEFAULT_SLOT,
) -> dict[str, str]:
    """{"pandas", "r", "curl"} code loading what chart `slug` shows for `year_range`.

    `base_url` is the server's root (see `base_url_from_page`), `slot` the package's static
    directory (`sinorus.paths.slot`); `columns`, if given, keeps only
    those columns (the published file has all the download's columns). The pandas and R code
    leave the result in `df`.
    """
    v = view(slug)
    lo, hi = (int(y) for y in year_range)
    title = _(v.title)  # a view's title: an English message marked in sinorus.views
    what = "# " + _("{title}: {rows}").format(title=title, rows=_describe(v.year_filter, lo, hi))
    if v.year_filter == "computed":
        pandas_code, r_code = _contributions(static_base(base_url, slot), lo, hi)
    else:
        url = chart_url(slug, base_url, slot)
        pandas_code = (
            "import pandas as pd\n\n"
            f"url = {_str(url)}\n"
            f"df = pd.read_csv(url){_pandas_filter(v.year_filter, lo, hi)}.reset_index(drop=True)\n"
        )
        r_code = (
            f"url <- {_str(url)}\n"
            'df <- read.csv(url, encoding = "UTF-8")\n'
            f"{_r_filter(v.year_filter, lo, hi)}"
        )
    if columns:
        cols = ", ".join(_str(c) for c in columns)
        pandas_code += f"df = df[[{cols}]]\n"
        r_code += f"df <- df[, c({cols})]\n"
    if v.year_filter == "none":
        heading = _("{title}, every year").format(title=title)
    elif v.year_filter == "computed":
        heading = _(
            "{title}, every year; counts for {lo}–{hi} must be recomputed (see the pandas or R "
            "code)"
        ).format(title=title, lo=lo, hi=hi)
    else:
        heading = _("{title}, every year; keep {rows} in your tool").format(
            title=title, rows=_describe(v.year_filter, lo, hi)
        )
    curl_code = (
        f"# {heading}"
        + f"\ncurl -fsSL -o {shlex.quote(slug + '.csv')} {shlex.quote(chart_url(slug, base_url, slot))}\n"
    )
    return {
        "pandas": f"{what}\n{pandas_code}",
        "r": f"{what}\n{r_code}",
        "curl": curl_code,
    }


def _contributions(base: str, lo: int, hi: int) -> tuple[str, str]:
    cols = ", ".join(_str(c) for c in CONTRIBUTION_COLUMNS)
    pandas_code = f"""import pandas as pd

base = {_str(base)}
obs = pd.read_csv(f"{{base}}/observations.csv").query("{lo} <= year <= {hi}")
obs = obs.sort_values("year", kind="stable")


def first_ids(ids, n=5):
    ids = list(ids)
    return "; ".join(ids[:n]) + (f"; and {{len(ids) - n:,}} more" if len(ids) > n else "")


sources = pd.read_csv(f"{{base}}/sources.csv").set_index("id")
labels = pd.read_csv(f"{{base}}/indicators.csv").set_index("id")["label"]
df = (
    obs.groupby(["source_id", "indicator"])
    .agg(
        figures=("id", "size"),
        doubtful=("flag", lambda f: int((f == "doubtful").sum())),
        ids=("id", first_ids),
    )
    .reset_index()
)
df["indicator_label"] = df["indicator"].map(labels)
df["source_title"] = df["source_id"].map(sources["title"])
df["source_publisher"] = df["source_id"].map(sources["publisher"])
df["citation"] = df["source_id"].map(sources["citation"])
df = df[[{cols}]]
"""
    r_code = f"""base <- {_str(base)}
obs <- read.csv(paste0(base, "/observations.csv"), encoding = "UTF-8")
obs <- subset(obs, year >= {lo} & year <= {hi})
obs <- obs[order(obs$year, method = "radix"), ]
sources <- read.csv(paste0(base, "/sources.csv"), encoding = "UTF-8")
indicators <- read.csv(paste0(base, "/indicators.csv"), encoding = "UTF-8")
first_ids <- function(x, n = 5) {{
  more <- if (length(x) > n) paste0("; and ", format(length(x) - n, big.mark = ","), " more") else ""
  paste0(paste(head(x, n), collapse = "; "), more)
}}
df <- aggregate(id ~ source_id + indicator, data = obs, FUN = first_ids)
names(df)[names(df) == "id"] <- "ids"
df$figures <- aggregate(id ~ source_id + indicator, data = obs, FUN = length)$id
obs$is_doubtful <- !is.na(obs$flag) & obs$flag == "doubtful"
flagged <- aggregate(is_doubtful ~ source_id + indicator, data = obs, FUN = sum)
df$doubtful <- flagged$is_doubtful[match(paste(df$source_id, df$indicator), paste(flagged$source_id, flagged$indicator))]
df$indicator_label <- indicators$label[match(df$indicator, indicators$id)]
df$source_title <- sources$title[match(df$source_id, sources$id)]
df$source_publisher <- sources$publisher[match(df$source_id, sources$id)]
df$citation <- sources$citation[match(df$source_id, sources$id)]
df <- df[order(df$source_id, df$indicator, method = "radix"), c({cols})]
"""
    return pandas_code, r_code


# --- citations ---------------------------------------------------------------------------------

DASHBOARD_TITLE = (
    "sinorus: China–Russia trade figures from two 2007 documents, each with its source sentence"
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SERIES = re.compile(r"([A-Z][\w.-]*(?: [A-Z][\w.-]*)*) No\.\s*(\d+)")


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: TeX's special characters escaped; UTF-8 kept."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in str(text))


def _url_field(url: str) -> str:
    # url fields are verbatim in biblatex/hyperref; only unbalanced braces could break them
    return url.replace("{", "%7B").replace("}", "%7D")


def _entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}"


def _authors(authors: str) -> str:
    # Each name braced: rendered as the source writes it (family-first or not), never re-split.
    names = [n.strip() for n in str(authors).split(";") if n.strip()]
    return "{" + " and ".join("{" + bibtex_escape(n) + "}" for n in names) + "}"


def _date_fields(published: str) -> list[tuple[str, str]]:
    parts = str(published or "").split("-")
    if not parts[0]:
        return []
    fields = [("year", "{" + parts[0] + "}")]
    if len(parts) > 1:
        fields.append(("month", _MONTHS[int(parts[1]) - 1]))
    fields.append(("date", "{" + published + "}"))
    return fields


def source_bibtex(row, accessed: str) -> str:
    """A BibTeX entry for one row of sources.csv: @techreport for a numbered report series,
    @misc for a news article or a dataset (keyed by the source's id)."""
    title = "{{" + bibtex_escape(row.title) + "}}"
    fields: list[tuple[str, str]] = [("author", _authors(row.authors)), ("title", title)]
    series = _SERIES.search(str(row.citation))
    url = str(getattr(row, "url", "") or "")
    if row.kind == "document" and series:
        kind = "techreport"
        fields += [
            ("institution", "{" + bibtex_escape(row.publisher) + "}"),
            ("type", "{" + bibtex_escape(series.group(1)) + "}"),
            ("number", "{" + series.group(2) + "}"),
        ]
    else:
        kind = "misc"
        fields.append(("howpublished", "{" + bibtex_escape(row.publisher) + "}"))
    fields += _date_fields(str(row.published or ""))
    if url:
        fields += [("url", "{" + _url_field(url) + "}"), ("urldate", "{" + accessed + "}")]
    fields.append(("note", "{Licence: " + bibtex_escape(row.license) + "}"))
    return _entry(kind, row.id, fields)


def citations(
    sources: pd.DataFrame,
    version: str,
    url: str | None = None,
    *,
    accessed: datetime | None = None,
) -> dict:
    """Plain-text and BibTeX citations of the dashboard and of each source.

    Returns {"dashboard": {"text", "bibtex"}, "sources": {id: {"text", "bibtex"}},
    "text": every plain citation, one per paragraph, "bibtex": every entry}. `accessed`
    (default today, UTC) dates the dashboard citation and the sources' URLs.
    """
    day = (accessed or datetime.now(UTC)).strftime("%Y-%m-%d")
    year = day[:4]
    text = (
        f"sinorus contributors ({year}). {DASHBOARD_TITLE} (version {version}) "
        "[dashboard and dataset]."
        + (f" {url}" if url else "")
        + f" Accessed {day}. Data curation CC BY 4.0; each source keeps its own licence."
    )
    fields = [
        ("author", "{{sinorus contributors}}"),
        ("title", "{{" + bibtex_escape(DASHBOARD_TITLE) + "}}"),
        ("version", "{" + bibtex_escape(version) + "}"),
        ("year", "{" + year + "}"),
        ("howpublished", "{Dashboard and dataset}"),
    ]
    if url:
        fields.append(("url", "{" + _url_field(url) + "}"))
    fields += [
        ("urldate", "{" + day + "}"),
        ("note", "{Data curation CC BY 4.0; each source keeps its own licence}"),
    ]
    dashboard = {"text": text, "bibtex": _entry("misc", "sinorus", fields)}
    per_source = {
        row.id: {"text": str(row.citation), "bibtex": source_bibtex(row, day)}
        for row in sources.itertuples()
    }
    return {
        "dashboard": dashboard,
        "sources": per_source,
        "text": "\n\n".join([text] + [s["text"] for s in per_source.values()]),
        "bibtex": "\n\n".join([dashboard["bibtex"]] + [s["bibtex"] for s in per_source.values()])
        + "\n",
    }
