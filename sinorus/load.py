"""Read and validate the sinorus data package.

`load()` is the one way into the data for the app, the CLI and the tests. It validates the whole
package first (the table schemas with the `frictionless` library, then the checks a schema cannot
express: keys across tables, units per indicator, each quote found verbatim in its source text)
and either returns every table, typed, or raises `DataError` listing every problem at once. It
never returns part of a package.

Problems read `FILE:ROW: FIELD: what is wrong (what was expected)`; ROW is the row's position
in the CSV file, counting the header as row 1, as a spreadsheet shows it.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"
#: Tables the dashboard cannot work without; `gdp` is context and may be absent.
REQUIRED_RESOURCES = ("observations", "indicators", "sources", "events", "trade_makeup")
#: trade_flows (imported datasets, e.g. UN Comtrade) and hs_sections (HS chapter -> section) are
#: optional too: a package without them loads, with a notice, and has no imported trade.
OPTIONAL_RESOURCES = ("gdp", "trade_flows", "hs_sections")
TRADE_INDICATOR = "trade_total"

#: Largest table read, in MB; a bigger file is refused at once rather than validated for minutes.
#: Override with $SINORUS_MAX_FILE_MB (e.g. for benchmarks on synthetic tables).
MAX_FILE_MB = 25.0
_WS = re.compile(r"\s+")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data package, located as precisely as it can be."""

    file: str
    row: int | None = None
    field: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DataError(Exception):
    """The data package is not valid; `problems` lists everything found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.field or ""))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Dataset:
    """Every table of a valid package, as typed pandas frames."""

    root: Path
    descriptor: dict
    observations: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    events: pd.DataFrame
    trade_makeup: pd.DataFrame
    gdp: pd.DataFrame | None
    source_texts: dict[str, str]
    notices: list[str] = field(default_factory=list)
    trade_flows: pd.DataFrame | None = None
    hs_sections: pd.DataFrame | None = None
    #: Full-span frames derived once from these tables (see sinorus.transform); not copied by
    #: dataclasses.replace, so a changed dataset never sees another's.
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The package directory: `path`, else $SINORUS_DATA, else the embedded `data/`."""
    if path is not None:
        return Path(path)
    env = os.environ.get("SINORUS_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR


def normalise_text(text: str) -> str:
    """Text as quotes are compared: Markdown backslash escapes removed, whitespace collapsed."""
    return _WS.sub(" ", _MD_ESCAPE.sub(r"\1", text)).strip()


def load(path: str | os.PathLike | None = None) -> Dataset:
    """Validate and read the package at `path` (see `data_dir`); raise `DataError` if invalid."""
    root = data_dir(path)
    problems, tables, texts, descriptor, notices = _check(root)
    if problems:
        raise DataError(problems)
    return Dataset(
        root=root,
        descriptor=descriptor,
        source_texts=texts,
        notices=notices,
        gdp=tables.get("gdp"),
        trade_flows=tables.get("trade_flows"),
        hs_sections=tables.get("hs_sections"),
        **{name: tables[name] for name in REQUIRED_RESOURCES},
    )


def validate(path: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem in the package at `path`; an empty list means it is valid."""
    try:
        load(path)
    except DataError as err:
        return err.problems
    return []


# --- the checks -------------------------------------------------------------------------------


def _check(root: Path):
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    texts: dict[str, str] = {}
    notices: list[str] = []
    if not root.is_dir():
        return (
            [Problem(str(root), message="data directory not found (expected a directory)")],
            {},
            {},
            {},
            [],
        )
    descriptor = _read_descriptor(root, problems)
    if descriptor is None:
        return problems, {}, {}, {}, []

    by_name = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}
    for name in REQUIRED_RESOURCES + OPTIONAL_RESOURCES:
        resource = by_name.get(name)
        if resource is None:
            if name in REQUIRED_RESOURCES:
                problems.append(
                    Problem(
                        DESCRIPTOR,
                        field="resources",
                        message=f"no resource named '{name}' (expected one)",
                    )
                )
            else:
                notices.append(f"The {name} context table is not in this data package.")
            continue
        filename = str(resource.get("path", f"{name}.csv"))
        file = root / filename
        if name in OPTIONAL_RESOURCES and not file.exists():
            notices.append(
                f"The {name} context table ({filename}) is missing, so its charts are unavailable."
            )
            continue
        frame = _read_table(root, resource, problems)
        if frame is not None:
            tables[name] = frame

    if "sources" in tables:  # cross-table checks run on every table that did load
        _check_relations(tables, problems, by_name)
        _check_trade_flows(tables, problems, by_name)
        texts = _check_quotes(root, tables, problems, by_name)
    return problems, tables, texts, descriptor, notices


def _read_descriptor(root: Path, problems: list[Problem]) -> dict | None:
    path = root / DESCRIPTOR
    if not path.is_file():
        problems.append(
            Problem(DESCRIPTOR, message="file not found (expected the package descriptor)")
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(
                DESCRIPTOR,
                line,
                message=f"not UTF-8: byte {raw[err.start]:#04x} (expected UTF-8 text)",
            )
        )
        return None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as err:
        problems.append(
            Problem(
                DESCRIPTOR, err.lineno, message=f"not valid JSON: {err.msg} at column {err.colno}"
            )
        )
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        problems.append(
            Problem(DESCRIPTOR, field="resources", message="missing (expected a list of resources)")
        )
        return None
    return descriptor


def _read_table(root: Path, resource: dict, problems: list[Problem]) -> pd.DataFrame | None:
    """Check one CSV against its schema with frictionless, then read it with pandas."""
    from frictionless import Resource  # imported here: it is only needed while validating

    filename = str(resource.get("path"))
    path = root / filename
    if not path.is_file():
        problems.append(Problem(filename, message="file not found (expected a CSV table)"))
        return None
    size_mb = path.stat().st_size / 1e6
    limit = float(os.environ.get("SINORUS_MAX_FILE_MB", MAX_FILE_MB))
    if size_mb > limit:
        message = f"file is {size_mb:.1f} MB (expected at most {limit:g} MB; set SINORUS_MAX_FILE_MB to raise the limit)"
        problems.append(Problem(filename, message=message))
        return None
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(
            Problem(filename, message="file is empty (expected a header row and data rows)")
        )
        return None
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(
                filename,
                line,
                message=f"not UTF-8: byte {raw[err.start]:#04x} (expected UTF-8 text)",
            )
        )
        return None

    schema = dict(resource.get("schema") or {})
    schema.pop("foreignKeys", None)  # checked across tables below, once every table is known
    fields = {f["name"]: f for f in schema.get("fields", [])}
    checked = {**resource, "schema": schema, "encoding": "utf-8-sig"}
    before = len(problems)
    try:
        report = Resource(checked, basepath=str(root)).validate()
    except Exception as err:  # frictionless raises on descriptors it cannot use
        problems.append(
            Problem(DESCRIPTOR, field=resource.get("name"), message=f"unusable resource: {err}")
        )
        return None
    for task in report.tasks:
        for error in task.errors:
            problems.append(_problem_from(filename, error, fields))
    if len(problems) > before:
        return None
    try:
        return _typed_frame(path, fields)
    except pd.errors.ParserError as err:  # e.g. a file cut off inside a quoted field
        found = re.search(r"row (\d+)", str(err))
        row = int(found.group(1)) + 1 if found else None  # pandas counts the header as row 0
        problems.append(
            Problem(
                filename, row, message=f"cannot be read as CSV: {err} (the file may be truncated)"
            )
        )
        return None


def _problem_from(filename: str, error, fields: dict) -> Problem:
    kind = error.type
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    spec = fields.get(name, {})
    constraints = spec.get("constraints", {})
    if kind == "type-error":
        expected = {"integer": "a whole number", "number": "a number", "date": "a date YYYY-MM-DD"}
        msg = f"'{cell}' is not {spec.get('type')} (expected {expected.get(spec.get('type'), spec.get('type'))})"
    elif kind == "constraint-error":
        note = error.note or ""
        if "required" in note:
            msg = "is empty (expected a value)"
        elif "enum" in note:
            msg = f"'{cell}' is not allowed (expected one of: {', '.join(map(str, constraints['enum']))})"
        elif "minimum" in note:
            msg = f"{cell} is below the minimum (expected at least {constraints['minimum']})"
        elif "maximum" in note:
            msg = f"{cell} is above the maximum (expected at most {constraints['maximum']})"
        elif "pattern" in note:
            msg = f"'{cell}' does not match the pattern (expected {constraints['pattern']})"
        else:
            msg = f"'{cell}' breaks a constraint ({note})"
    elif kind in ("unique-error", "primary-key"):
        msg = (
            f"duplicate value '{cell}' (expected unique; {error.note})"
            if cell
            else f"duplicate key ({error.note})"
        )
    elif kind == "missing-label":
        msg = "column missing from the header (expected it, in schema order)"
    elif kind == "extra-label":
        msg = f"unexpected column '{getattr(error, 'label', '')}' in the header"
        name = None
    elif kind == "incorrect-label":
        msg = f"header says '{getattr(error, 'label', '')}' (expected '{name}')"
    elif kind == "duplicate-label":
        msg = f"column '{getattr(error, 'label', '')}' appears twice in the header"
    elif kind == "missing-cell":
        msg = "row ends before this column (expected a value or an empty cell)"
    elif kind == "extra-cell":
        msg = "row has more cells than the header has columns"
        name = None
    elif kind == "blank-row":
        msg = "blank row (expected data)"
    else:
        msg = f"{error.title}: {error.note or error.message}"
    return Problem(filename, row, name, msg)


def _typed_frame(path: Path, fields: dict) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for name, spec in fields.items():
        kind = spec.get("type", "string")
        if kind == "integer":
            frame[name] = pd.to_numeric(frame[name].replace("", None)).astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(frame[name].replace("", None)).astype("float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name].replace("", None), format="%Y-%m-%d")
        else:
            frame[name] = frame[name].astype(str)
    frame.attrs["file"] = path.name
    return frame


def _check_relations(
    tables: dict[str, pd.DataFrame], problems: list[Problem], by_name: dict
) -> None:
    sources = set(tables["sources"]["id"])
    for name, frame in tables.items():
        if "source_id" not in frame:
            continue
        filename = str(by_name[name]["path"])
        for pos, value in _rows(frame, ~frame["source_id"].isin(sources), "source_id"):
            problems.append(
                Problem(
                    filename,
                    pos,
                    "source_id",
                    f"'{value}' is not a source (expected an id from sources.csv)",
                )
            )
    if "observations" not in tables or "indicators" not in tables:
        return
    indicators = tables["indicators"].set_index("id")
    obs = tables["observations"]
    obs_file = str(by_name["observations"]["path"])
    for pos, value in _rows(obs, ~obs["indicator"].isin(indicators.index), "indicator"):
        known = ", ".join(indicators.index)
        problems.append(
            Problem(
                obs_file,
                pos,
                "indicator",
                f"'{value}' is not an indicator (expected one of: {known})",
            )
        )
    known_ind = obs["indicator"].isin(indicators.index)
    expected_unit = obs["indicator"].map(indicators["unit"])
    for pos, idx in _positions(obs, known_ind & (obs["unit"] != expected_unit)):
        problems.append(
            Problem(
                obs_file,
                pos,
                "unit",
                f"'{obs.at[idx, 'unit']}' does not match indicator {obs.at[idx, 'indicator']} "
                f"(expected '{expected_unit[idx]}')",
            )
        )
    for pos, idx in _positions(obs, (obs["unit"] == "percent") & (obs["value"] > 100)):
        problems.append(
            Problem(
                obs_file,
                pos,
                "value",
                f"{obs.at[idx, 'value']} is above 100 (expected a percentage)",
            )
        )
    late = obs["year_start"].notna() & (obs["year_start"] > obs["year"])
    for pos, idx in _positions(obs, late.fillna(False)):
        problems.append(
            Problem(
                obs_file,
                pos,
                "year_start",
                f"{obs.at[idx, 'year_start']} is after year {obs.at[idx, 'year']} "
                "(expected the first year of the period)",
            )
        )


def _check_quotes(
    root: Path, tables: dict, problems: list[Problem], by_name: dict
) -> dict[str, str]:
    """Read each document's text and check every quote occurs in it verbatim."""
    sources = tables["sources"]
    src_file = str(by_name["sources"]["path"])
    texts: dict[str, str] = {}
    for pos, idx in _positions(sources, sources["kind"] == "document"):
        rel = sources.at[idx, "path"]
        path = root / rel
        try:
            texts[sources.at[idx, "id"]] = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            problems.append(
                Problem(src_file, pos, "path", f"'{rel}' not found (expected the source's text)")
            )
        except (OSError, UnicodeDecodeError) as err:
            problems.append(
                Problem(src_file, pos, "path", f"'{rel}' cannot be read as UTF-8 text ({err})")
            )
    haystacks = {sid: normalise_text(text) for sid, text in texts.items()}
    kinds = dict(zip(sources["id"], sources["kind"], strict=True))
    for name, frame in tables.items():
        if "quote" not in frame:
            continue
        filename = str(by_name[name]["path"])
        for pos, idx in _positions(frame, pd.Series(True, index=frame.index)):
            sid = frame.at[idx, "source_id"]
            if sid not in haystacks:
                if kinds.get(sid) == "dataset":
                    continue  # rows from a dataset cite a row, not a sentence
                continue  # the missing text is already reported on its sources.csv row
            if not _quoted_in(frame.at[idx, "quote"], sid, haystacks):
                problems.append(
                    Problem(
                        filename,
                        pos,
                        "quote",
                        f"not found verbatim in the text of source '{sid}' "
                        "(expected the exact sentence; whitespace may differ)",
                    )
                )
    return texts


@functools.lru_cache(maxsize=4096)
def _whole_match(quote: str, haystack: str) -> bool:
    """`quote` occurs in `haystack` and starts and ends on word boundaries (not cut mid-word)."""
    return re.search(r"(?<!\w)" + re.escape(quote) + r"(?!\w)", haystack) is not None


def _quoted_in(quote: str, source_id: str, haystacks: dict[str, str]) -> bool:
    needle = normalise_text(quote)
    return bool(needle) and _whole_match(needle, haystacks[source_id])


def _positions(frame: pd.DataFrame, mask) -> list[tuple[int, object]]:
    """(file row position, index label) for each row where `mask` holds; header is row 1."""
    return [(i + 2, idx) for i, (idx, hit) in enumerate(zip(frame.index, mask, strict=True)) if hit]


def _rows(frame: pd.DataFrame, mask, column: str) -> list[tuple[int, object]]:
    return [(pos, frame.at[idx, column]) for pos, idx in _positions(frame, mask)]


#: In trade_flows, the direction seen from China follows from who reports and which way:
#: China's exports (X) and Russia's imports (M) are both China -> Russia; mirror figures.
FLOW_OF = {("CHN", "X"): "china_exports", ("RUS", "M"): "china_exports",
           ("CHN", "M"): "china_imports", ("RUS", "X"): "china_imports"}  # fmt: skip
VALUATION_OF = {"M": "CIF", "X": "FOB"}


def _check_trade_flows(tables: dict, problems: list[Problem], by_name: dict) -> None:
    """trade_flows rows: direction consistent with reporter and flow; sources are datasets."""
    if "trade_flows" not in tables:
        return
    flows = tables["trade_flows"]
    filename = str(by_name["trade_flows"]["path"])
    rep = flows["reporter"].fillna("").astype(str).replace("nan", "")
    way = flows["reported_flow"].fillna("").astype(str).replace("nan", "")
    flow = flows["flow"].astype(str)
    valuation = flows["valuation"].fillna("").astype(str).replace("nan", "")
    expected = pd.Series(
        [FLOW_OF.get(k, "") for k in zip(rep, way, strict=True)], index=flows.index
    )
    both = (rep != "") & (way != "")
    for pos, idx in _positions(flows, both & (flow != expected)):
        problems.append(
            Problem(
                filename,
                pos,
                "flow",
                f"'{flow[idx]}' does not match reporter {rep[idx]} flow {way[idx]} "
                f"(expected '{expected[idx]}')",
            )
        )
    want = way.map(VALUATION_OF).fillna("")
    for pos, idx in _positions(flows, both & (valuation != "") & (valuation != want)):
        problems.append(
            Problem(
                filename,
                pos,
                "valuation",
                f"'{valuation[idx]}' for flow {way[idx]} (expected {want[idx]} or empty)",
            )
        )
    for pos, _ in _positions(flows, (way != "") & (rep == "")):
        problems.append(
            Problem(filename, pos, "reporter", "is empty (expected CHN or RUS for a flow M/X)")
        )
    for pos, idx in _positions(flows, (flow != "total") & (way == "")):
        problems.append(
            Problem(
                filename,
                pos,
                "reported_flow",
                f"is empty for flow '{flow[idx]}' (expected M or X, with the reporter)",
            )
        )
    if "sources" in tables:
        kinds = dict(zip(tables["sources"]["id"], tables["sources"]["kind"], strict=True))
        for pos, sid in _rows(flows, flows["source_id"].map(kinds) == "document", "source_id"):
            problems.append(
                Problem(
                    filename,
                    pos,
                    "source_id",
                    f"'{sid}' is a document (expected a dataset source: trade_flows rows cite a row)",
                )
            )
