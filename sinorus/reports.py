"""Later reports: what news reports and customs releases say each year's trade was.

`data/reports.csv` holds one row per full-year China–Russia trade figure a report gives (news
agencies, customs releases), each read from a restated text in the package (`corpus/*.txt` or
`reports/*.txt`). Those figures are a cited layer *beside* the two 2007 documents' figures: they
answer "and since then?" and "were the documents right?", and are never averaged or merged with
them or with each other.

Pure functions, no Streamlit, no Plotly:

- `check_reports(root, frame)` checks what a schema cannot (the rules are listed below);
  `sinorus.load` reads the table (the `reports` resource, checked by frictionless like every
  table) and runs it;
- `reports_series(reports, year_range)` is the frame a chart draws: US$ trade totals;
- `written_dates(trade, sources)`: when each document figure was written, for "written before
  the year was over" (`sinorus.record` sets every claim against the official record).

Rules of `check_reports` (each broken rule is one `Problem`, `FILE:ROW: FIELD: message`, ROW
counted with the header as row 1):

- `url`: a plain web address: `http://` or `https://` (lower case), a host name, no user name or
  password, no spaces or control characters, at most 2,000 characters.
- `text`: a path relative to the package directory with `/` separators: not absolute, no drive
  letter, no backslash, no `..` part, ending in `.txt` or `.md`; it must resolve (symbolic links
  followed) to a file inside the package directory, of at most `MAX_TEXT_MB` MB, in UTF-8. If the
  text's header (the lines before its first blank line) has a `Source:` line, that line must
  start with `url`: the row and its text cite the same page.
- `reported_as`: occurs in the text, compared as quotes are (`sinorus.load.normalise_text`:
  whitespace collapsed, Markdown backslash escapes removed; case kept).
- `value`: is a number written in `reported_as`, read by `amounts_in`: thousands separators
  (`18,800`) and trailing zeros (`107.060`) may differ, a decimal comma is accepted (`48,2`,
  `190,27`; a comma before exactly three digits, `69,525`, may be either, so both readings are
  tried), and a scale word turns the number into billions (`1.74 trillion yuan` is 1,740 CNY bn,
  `$18,800 million` is 18.8 USD bn). A bare number (no scale word) counts only when the phrase
  has no scaled number, and never before `%` or "percent". No rounding: `48.2` does not match a
  text that says `48.17`.
- `unit`: `reported_as` names the unit's currency (`$`, `dollar`, `USD` for USD bn; `yuan`,
  `renminbi`, `RMB`, `CNY`, `¥` for CNY bn; `rouble`, `ruble`, `RUB`, `₽` for RUB bn).
- `published`: a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD), and a full-year figure is
  published after its year: the publication year is later than `year` (for `kind` estimate, not
  earlier than `year`).
- no two rows give the same figure from the same text (text, year, indicator, unit, value and
  qualifier all equal).
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

import pandas as pd

from sinorus.checks import Problem, normalise_text
from sinorus.checks import inside as confine

RESOURCE = "reports"
FILENAME = "reports.csv"
#: Largest restated text read, in MB: the texts are short news restatements.
MAX_TEXT_MB = 2.0
MAX_URL_CHARS = 2000
TRADE_TOTAL = "trade_total"
USD = "USD bn"
#: Words or signs that name each unit's currency in `reported_as` (compared in lower case).
CURRENCY_WORDS = {
    "USD bn": ("$", "dollar", "usd"),
    "CNY bn": ("yuan", "renminbi", "rmb", "cny", "¥"),
    "RUB bn": ("rouble", "ruble", "rub", "₽"),
}
#: Scale words and the factor that turns the number into billions.
SCALES = {
    "trillion": 1000.0,
    "trln": 1000.0,
    "tn": 1000.0,
    "billion": 1.0,
    "bln": 1.0,
    "bn": 1.0,
    "million": 0.001,
    "mln": 0.001,
    "mn": 0.001,
}
MONTHS = (
    "January February March April May June July August September October November December"
).split()

SERIES_COLUMNS = [
    "id",
    "year",
    "trade_usd_bn",
    "qualifier",
    "kind",
    "reported_as",
    "measured_by",
    "publisher",
    "published",
    "url",
    "text",
    "note",
    "flag",
    "flag_note",
]
_NUMBER = re.compile(
    r"(?<![\w.,])"  # not the tail of a longer number or word
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![\d])"
    r"(?:\s*-?\s*(?P<scale>" + "|".join(SCALES) + r")\b)?"  # "$100-billion" too
    r"(?P<after>\s*(?:%|per\s?cent))?",
    re.IGNORECASE,
)


# --- reading ------------------------------------------------------------------------------------


# --- checking -----------------------------------------------------------------------------------


def check_reports(root: Path, frame: pd.DataFrame, filename: str = FILENAME) -> list[Problem]:
    """Every problem a schema cannot see in a schema-valid `reports` frame (see module doc)."""
    root = Path(root)
    problems: list[Problem] = []
    texts: dict[str, tuple[str | None, str | None, str | None]] = {}  # (text, Source:, problem)
    seen: dict[tuple, int] = {}
    for i, row in enumerate(frame.to_dict("records")):
        pos = i + 2
        for field, message in _row_problems(root, row, texts, seen, pos):
            problems.append(Problem(filename, pos, field, message))
    return problems


def _row_problems(root: Path, row: dict, texts: dict, seen: dict, pos: int):
    """(field, message) of each rule one row breaks: its address, text, words, date, repeats."""
    url = _text_cell(row.get("url"))
    if (msg := url_problem(url)) is not None:
        yield "url", msg
    rel = _text_cell(row.get("text"))
    if rel not in texts:
        raw, msg = _read_text(root, rel)
        texts[rel] = (
            (None, None, msg) if raw is None else (normalise_text(raw), _source_line(raw), None)
        )
    body, source, msg = texts[rel]
    if msg is not None:
        yield "text", msg
    reported = _text_cell(row.get("reported_as"))
    if body is not None:
        yield from _text_problems(url, rel, body, source, reported)
    yield from _figure_problems(row, reported)
    yield from _date_problems(row)
    key = (
        rel,
        _int_cell(row.get("year")),
        _text_cell(row.get("indicator")),
        _text_cell(row.get("unit")),
        _number_cell(row.get("value")),
        _text_cell(row.get("qualifier")),
    )
    if key in seen:
        yield (
            "id",
            f"the same figure from {rel} is already row {seen[key]} (expected one row per figure a report gives)",
        )
    else:
        seen[key] = pos


def _text_problems(url: str, rel: str, body: str, source: str | None, reported: str):
    if source is not None and url and url_problem(url) is None and not source.startswith(url):
        yield (
            "url",
            f"'{url}' is not the address in the header of {rel} ('{source}') "
            "(expected the address of the text the figure was read from)",
        )
    if reported and normalise_text(reported) not in body:
        yield (
            "reported_as",
            f"'{reported}' not found in {rel} (expected the figure's words as the text "
            "writes them; whitespace may differ)",
        )


def _figure_problems(row: dict, reported: str):
    value = _number_cell(row.get("value"))
    unit = _text_cell(row.get("unit"))
    if value is not None and reported and not value_written_in(value, reported):
        yield (
            "value",
            f"{value:g} is not written in reported_as '{reported}' (expected the number as "
            "stated: separators and trailing zeros may differ, scale words such as "
            "'trillion' count, no rounding)",
        )
    words = CURRENCY_WORDS.get(unit)
    if words and reported and not any(w in reported.lower() for w in words):
        yield (
            "unit",
            f"'{unit}' but reported_as '{reported}' names no such currency "
            f"(expected one of: {', '.join(words)})",
        )


def _date_problems(row: dict):
    year = _int_cell(row.get("year"))
    published = _text_cell(row.get("published"))
    kind = _text_cell(row.get("kind"))
    day = parse_published(published)
    if published and day is None:
        yield (
            "published",
            f"'{published}' is not a real date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        )
    elif day is not None and year is not None:
        earliest = year if kind == "estimate" else year + 1
        if day.year < earliest:
            yield (
                "published",
                f"{published} is before the end of {year} (expected a full-year figure to be "
                f"published in {earliest} or later"
                + ("" if kind == "estimate" else "; kind 'estimate' allows the same year")
                + ")",
            )


def url_problem(url: str) -> str | None:
    """Why `url` is not a plain http(s) address, or None if it is."""
    expected = "(expected http:// or https://, a host name, no spaces or credentials)"
    if not url:
        return f"is empty {expected}"
    shown = url if len(url) <= 80 else url[:77] + "..."
    if len(url) > MAX_URL_CHARS:
        return f"'{shown}' is {len(url):,} characters long (expected at most {MAX_URL_CHARS:,})"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return f"'{shown}' contains a space or control character {expected}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        return f"'{shown}' cannot be read as an address {expected}"
    if parts.scheme not in ("http", "https") or not url.startswith(parts.scheme + "://"):
        return f"'{shown}' is not a plain http(s) address {expected}"
    if "@" in parts.netloc:
        return f"'{shown}' carries a user name or password {expected}"
    if not parts.hostname:
        return f"'{shown}' has no host name {expected}"
    return None


def text_path_problem(root: Path, rel: str) -> str | None:
    """Why `rel` is not a readable text inside the package at `root`, or None if it is."""
    return _read_text(Path(root), rel)[1]


def _read_text(root: Path, rel: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, why it cannot be used)."""
    inside = "(expected a path inside the package directory, e.g. reports/r01-….txt)"
    if not rel:
        return None, "is empty (expected the path of the text the figure was read from)"
    if (
        "\\" in rel
        or PureWindowsPath(rel).drive
        or PurePosixPath(rel).is_absolute()
        or rel.startswith("~")
    ):
        return None, f"'{rel}' is not a relative path with / separators {inside}"
    if ".." in PurePosixPath(rel).parts:
        return None, f"'{rel}' goes up with '..' {inside}"
    if PurePosixPath(rel).suffix.lower() not in (".txt", ".md"):
        return None, f"'{rel}' is not a .txt or .md file (expected a restated text)"
    path = confine(root, rel)  # the one confinement every reader of package files goes through
    if isinstance(path, str):
        why = (
            "cannot be resolved"
            if "cannot be resolved" in path
            else "resolves outside the package directory (a symbolic link?)"
        )
        return None, f"'{rel}' {why} {inside}"
    if not path.exists():
        return None, f"'{rel}' not found (expected the restated text in the package)"
    if not path.is_file():
        return None, f"'{rel}' is not a file (expected a restated text)"
    size_mb = path.stat().st_size / 1e6
    if size_mb > MAX_TEXT_MB:
        return None, f"'{rel}' is {size_mb:.1f} MB (expected at most {MAX_TEXT_MB:g} MB)"
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, f"'{rel}' is not UTF-8: byte {raw[err.start]:#04x} (expected UTF-8 text)"
    return text, None


def _source_line(text: str) -> str | None:
    """What the header's `Source:` line says (the header ends at the first blank line)."""
    for line in text.splitlines():
        if not line.strip():
            return None
        if line.startswith("Source:"):
            return line[len("Source:") :].strip()
    return None


def parse_published(published: str) -> date | None:
    """The first day `published` (YYYY, YYYY-MM or YYYY-MM-DD) can mean; None if not a date."""
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published or "")
    if not found:
        return None
    year, month, day = (int(g) if g else 1 for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def amounts_in(phrase: str) -> set[float]:
    """Every amount, in billions, that `phrase` can be read to state (see module doc)."""
    scaled: set[float] = set()
    bare: set[float] = set()
    for found in _NUMBER.finditer(phrase or ""):
        if found.group("after"):
            continue  # a percentage
        scale = found.group("scale")
        factor = SCALES[scale.lower()] if scale else 1.0
        for number in _readings(found.group("num")):
            (scaled if scale else bare).add(number * factor)
    return scaled or bare


def value_written_in(value: float, phrase: str) -> bool:
    """`value` (in billions) is one of the amounts `phrase` states."""
    return any(
        math.isclose(value, amount, rel_tol=1e-9, abs_tol=1e-12) for amount in amounts_in(phrase)
    )


def _readings(num: str) -> list[float]:
    """The values a written number can have: 18,800 -> 18800 or 18.8; 48,2 -> 48.2."""
    if "," not in num:
        return [float(num)]
    if "." in num or num.count(",") > 1:  # 1,234.5 or 1,234,567: thousands separators
        return [float(num.replace(",", ""))]
    whole, frac = num.split(",")
    decimal = float(f"{whole}.{frac}")
    return [float(whole + frac), decimal] if len(frac) == 3 else [decimal]


def _text_cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number_cell(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _int_cell(value) -> int | None:
    number = _number_cell(value)
    return None if number is None else int(number)


# --- frames -------------------------------------------------------------------------------------


def reports_series(reports: pd.DataFrame | None, year_range) -> pd.DataFrame:
    """The rows a chart draws: US$ trade totals in `year_range`, one row per report figure,
    sorted by year, then publication date and id. Never averaged: a year can have many rows."""
    if reports is None or reports.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    lo, hi = year_range
    rows = reports[
        (reports["unit"] == USD)
        & (reports["indicator"] == TRADE_TOTAL)
        & (reports["year"] >= lo)
        & (reports["year"] <= hi)
    ]
    out = rows.rename(columns={"value": "trade_usd_bn"})
    for column in SERIES_COLUMNS:
        if column not in out:
            out[column] = ""
    out = out[SERIES_COLUMNS].copy()
    out["year"] = out["year"].astype("int64")
    out["trade_usd_bn"] = out["trade_usd_bn"].astype("float64")
    out["note"] = out["note"].fillna("").astype(str).replace("nan", "")
    return out.sort_values(["year", "published", "id"], ignore_index=True)


def written_dates(trade: pd.DataFrame, sources: pd.DataFrame | None) -> dict[str, tuple]:
    """Document figure id -> (year written, 'August 2007'), where the date is known."""
    published: dict[str, str] = {}
    if sources is not None and {"id", "published"} <= set(sources.columns):
        by_source = dict(zip(sources["id"], sources["published"].map(_text_cell), strict=True))
        published = {
            fid: by_source.get(sid, "")
            for fid, sid in zip(trade["id"], trade["source_id"], strict=True)
        }
    elif "published" in trade:
        published = dict(zip(trade["id"], trade["published"].map(_text_cell), strict=True))
    out: dict[str, tuple] = {}
    for row in trade.to_dict("records"):
        when = _when(published.get(row["id"], "")) or _when_cited(_text_cell(row.get("citation")))
        if when is not None:
            out[row["id"]] = when
    return out


def _when(published: str) -> tuple | None:
    found = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-\d{2})?", published or "")
    if not found:
        return None
    year, month = int(found.group(1)), found.group(2)
    if month and 1 <= int(month) <= 12:
        return year, f"{MONTHS[int(month) - 1]} {year}"
    return year, str(year)


def _when_cited(citation: str) -> tuple | None:
    found = re.findall(r"\b(" + "|".join(MONTHS) + r") (\d{4})\b", citation or "")
    if not found:
        return None
    month, year = found[-1]
    return int(year), f"{month} {year}"


# --- the reports as sources ---------------------------------------------------------------------

#: Columns of `report_sources`: those of a sources table a download lists (`export.sources_for`).
SOURCE_COLUMNS = ["id", "title", "authors", "publisher", "published", "license", "url", "citation"]
RESTATED = (
    "restated in our own words for reference, each figure kept as written (the restatement: "
    "sinorus curation, CC BY 4.0); the original and its wording remain © {publisher}"
)


def report_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per report a frame cites (its `publisher`, `published` and `url` columns, with
    `text` where the frame has it), shaped like the sources table: what a download lists as
    its sources and licences for later reports' figures. Rows without a publisher (a document
    figure no report covers, an official total) cite no report."""
    columns = [c for c in ("publisher", "published", "url", "text", "report_id") if c in frame]
    if not {"publisher", "published", "url"} <= set(columns) or frame.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    cited = frame[columns].fillna("").astype(str)
    cited = cited[(cited["publisher"] != "") & (cited["url"] != "")]
    rows = []
    for (publisher, published, url), group in cited.groupby(
        ["publisher", "published", "url"], sort=False
    ):
        text = group["text"].iloc[0] if "text" in group else ""
        first = group["report_id"].iloc[0] if "report_id" in group else url
        rows.append(
            {
                "id": PurePosixPath(text).stem if text else first,
                "title": f"{publisher}, {published}",
                "authors": "",
                "publisher": publisher,
                "published": published,
                "license": RESTATED.format(publisher=publisher),
                "url": url,
                "citation": f"{publisher}, {published}. {url}"
                + (f" (restated in sinorus: {text})." if text else "."),
            }
        )
    out = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    return out.sort_values(["published", "publisher"], ignore_index=True)
