"""Read and validate the sinorus data package.

`load()` is the one way into the data for the app, the CLI and the tests. It validates the whole
package first and either returns every table, typed, or raises `DataError` listing the problems
(the first `checks.LIMIT`, and how many more). It never returns part of a package.

- The curated tables are small CSV files, checked against their schema with `frictionless`.
- Imported trade (`trade_flows`) is a Parquet file, checked by the engine against the same
  schema (`engine.check_flows`, SQL over the whole file), never read into memory whole.
- Then what a schema cannot say: keys across tables, units per indicator, each quote found
  verbatim in its source text, imported flows consistent with their reporter. These run on the
  rows that parsed even where a schema check failed, so one `validate` reports every problem.
- The descriptor names only the tables sinorus knows (`descriptor_problems`): any other resource
  is a located problem, never read, published or copied.
- Every path the package names (tables, source texts, report texts) must lie inside the package
  directory: no absolute path, no `..`, no link pointing out (`checks.inside`, the one function
  every reader and writer of package files goes through). Tables and texts have size limits.

`package_files` (from `listed_files`) is the one list of the files a package consists of.
Validation results are remembered by the checksums of every file of that list and the code of
every checking module (`_CODE`): a package that did not change is not checked again on the next
start (`SINORUS_CACHE_DIR`, default `~/.cache/sinorus`; `SINORUS_CACHE_DIR=off` turns it off).

Problems read `FILE:ROW: FIELD: what is wrong (what was expected)`; ROW is the row's position
in the file, counting the header as row 1, as a spreadsheet shows it.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.metadata
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from sinorus import checks, engine, paths, reports
from sinorus.checks import DataError, Problem, Problems, inside, normalise_text

__all__ = ["DataError", "Dataset", "Problem", "load", "normalise_text", "validate"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"
#: Tables the dashboard cannot work without; `gdp` is context and may be absent.
REQUIRED_RESOURCES = ("observations", "indicators", "sources", "events", "trade_makeup")
#: trade_flows (imported datasets, e.g. UN Comtrade) and hs_sections (HS chapter -> section) are
#: optional too: a package without them loads, with a notice, and has no imported trade.
#: reports (what later reports say each year's trade was) is a cited layer beside the documents;
#: official (the IMF's record, each country's exports and imports as it reports them) is another.
OPTIONAL_RESOURCES = ("gdp", "trade_flows", "hs_sections", "reports", "official")
TRADE_INDICATOR = "trade_total"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

#: Largest CSV table read, in MB ($SINORUS_MAX_FILE_MB); a bigger file is refused at once.
MAX_FILE_MB = 25.0
#: Largest source text read, in MB ($SINORUS_MAX_TEXT_MB).
MAX_TEXT_MB = 5.0
#: The modules whose code decides a package's verdict (the validation cache is keyed on them).
_CODE = ("load.py", "checks.py", "engine.py", "reports.py", "vocab.py", "paths.py")


@dataclass(frozen=True)
class Dataset:
    """Every table of a valid package: typed pandas frames, and imported trade as a FlowStore
    (Parquet files queried by `sinorus.engine`)."""

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
    trade_flows: engine.FlowStore | None = None
    hs_sections: pd.DataFrame | None = None
    reports: pd.DataFrame | None = None
    #: The official record (IMF DOTS): reporter, partner, flow, year, value_usd, source_id.
    official: pd.DataFrame | None = None
    #: A reader's own dataset (the shared package plus their uploads): it names their files, so
    #: nothing made from it goes into a cache or a file other readers share.
    private: bool = False
    #: Full-span frames derived once from these tables (see sinorus.transform); not copied by
    #: dataclasses.replace, so a changed dataset never sees another's.
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The package directory: `path`, else $SINORUS_DATA, else the embedded `data/`."""
    if path is not None:
        return Path(path)
    env = os.environ.get("SINORUS_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR


def resources(descriptor: dict) -> dict[str, dict]:
    """The descriptor's resources by name."""
    return {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}


def load(path: str | os.PathLike | None = None) -> Dataset:
    """Validate and read the package at `path` (see `data_dir`); raise `DataError` if invalid."""
    root = data_dir(path)
    signature = _signature(root)
    state = _State(root, trusted=signature is not None and _cache_has(signature))
    _check(state)
    state.problems.raise_if_any()
    if signature and not state.trusted:
        _cache_add(signature)
    tables = state.tables
    return Dataset(
        root=root,
        descriptor=state.descriptor,
        source_texts=state.texts,
        notices=state.notices,
        gdp=tables.get("gdp"),
        trade_flows=state.flows,
        hs_sections=tables.get("hs_sections"),
        reports=tables.get("reports"),
        official=tables.get("official"),
        **{name: tables[name] for name in REQUIRED_RESOURCES},
    )


def validate(path: str | os.PathLike | None = None) -> list[Problem]:
    """The problems of the package at `path` (the first `checks.LIMIT`); empty means valid."""
    try:
        load(path)
    except DataError as err:
        return err.problems
    return []


def package_files(ds: Dataset) -> list[str]:
    """Every file the (valid) package at `ds.root` consists of, relative to its root: see
    `listed_files`. Validation's cache, the bundle, the whole-dataset ZIP and `import` all use
    this one list; nothing else belongs to a package."""
    reports = [] if ds.reports is None else list(ds.reports["text"])
    listed = listed_files(
        ds.root, ds.descriptor, ds.sources[["kind", "path"]].to_dict("records"), reports
    )
    return [rel for rel, file in listed.items() if isinstance(file, Path) and file.is_file()]


#: Beside a dataset file kept in the package, the query it answered (`sinorus fetch`).
QUERY_SUFFIX = ".query.json"
#: Notes kept beside the package's texts and tables, by these names, belong to it too.
NOTES = (
    "README.md",
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "LICENCE.md",
    "LICENCE.txt",
)


def listed_files(
    root: Path, descriptor: dict, sources: list[dict], report_texts: list[str]
) -> dict[str, Path | str]:
    """The one list of a package's files: relative path -> the file (`inside` the root), or why
    it is refused. In order: the descriptor; each known table's path; the documents' texts
    (`sources` rows of kind document); the dataset sources' files kept in the package (e.g. the
    API responses `sinorus fetch` keeps) with the query beside each; the later reports' texts
    (`corpus/*.txt`, `reports/*.txt`); and README/licence notes at the root and beside those
    texts. Files may be missing (validation says so); a path that is refused is never read."""
    known = REQUIRED_RESOURCES + OPTIONAL_RESOURCES
    tables = [
        r.get("path", f"{r.get('name')}.csv")
        for r in descriptor.get("resources", [])
        if isinstance(r, dict) and r.get("name") in known
    ]
    rels = [DESCRIPTOR, *tables]
    rels += [str(row.get("path", "")) for row in sources if row.get("kind") == "document"]
    for row in sources:
        rel = str(row.get("path", ""))
        if row.get("kind") != "dataset" or not rel.strip() or rel in tables:
            continue  # a dataset named by a table (gdp.csv) is that table
        if isinstance(file := inside(root, rel), Path) and file.is_file():
            rels += [rel, str(PurePosixPath(rel).with_name(PurePosixPath(rel).stem + QUERY_SUFFIX))]
    rels += [str(rel) for rel in report_texts]
    folders = dict.fromkeys(str(PurePosixPath(r).parent) for r in rels if isinstance(r, str))
    rels += [note if folder == "." else f"{folder}/{note}" for folder in folders for note in NOTES]
    out: dict[str, Path | str] = {}
    for rel in dict.fromkeys(r if isinstance(r, str) else json.dumps(r) for r in rels):
        out[rel] = inside(root, rel)
    return out


def named_dataset_files(ds: Dataset) -> list[str]:
    """The dataset sources' files that lie inside the package (e.g. the API responses `sinorus
    fetch` keeps as raw/comtrade-<query hash>.json), each with its query file beside it
    (raw/comtrade-<query hash>.query.json) when there is one: the part of `package_files` that
    `sources.csv`'s dataset rows name (tables among them). An imported file's name that is not
    a file in the package (the user's own download) names nothing here."""
    datasets = ds.sources.loc[ds.sources["kind"] == "dataset", "path"].astype(str)
    named = set(datasets) | {
        str(PurePosixPath(r).with_name(PurePosixPath(r).stem + QUERY_SUFFIX))
        for r in datasets
        if r.strip()
    }
    return [rel for rel in package_files(ds) if rel in named]


# --- the checks -------------------------------------------------------------------------------


class _State:
    def __init__(self, root: Path, trusted: bool):
        self.root, self.trusted = root, trusted
        self.problems = Problems()
        self.tables: dict[str, pd.DataFrame] = {}
        self.texts: dict[str, str] = {}
        self.notices: list[str] = []
        self.descriptor: dict = {}
        self.by_name: dict[str, dict] = {}
        self.flows: engine.FlowStore | None = None

    def add(self, problem: Problem) -> None:
        self.problems.add(problem)


def _check(state: _State) -> None:
    root = state.root
    if not root.is_dir():
        state.add(Problem(str(root), message="data directory not found (expected a directory)"))
        return
    descriptor = _read_descriptor(root, state)
    if descriptor is None:
        return
    broken = descriptor_problems(descriptor)
    if broken:  # a resource sinorus does not know is never read, published or copied
        for problem in broken:
            state.add(problem)
        return
    state.descriptor, state.by_name = descriptor, resources(descriptor)
    for name in REQUIRED_RESOURCES + OPTIONAL_RESOURCES:
        _read_resource(state, name)
    if "sources" in state.tables:  # cross-table checks run on every table that did load
        _check_relations(state)
        if state.flows is not None and not state.trusted:
            sources = state.tables["sources"]
            found = engine.check_flows(state.flows, state.by_name["trade_flows"], sources)
            state.problems.extend(found.kept, found.total)
        if "reports" in state.tables and not state.trusted:
            rel = str(state.by_name["reports"]["path"])
            for problem in reports.check_reports(state.root, state.tables["reports"], rel):
                state.add(problem)
        state.texts = _check_quotes(state)


def descriptor_problems(descriptor: dict) -> list[Problem]:
    """What makes the descriptor's resources unusable, each located as `datapackage.json:
    resources[N]: ...`: a resource that is not an object, a name that is not one of the tables
    sinorus knows (nothing else may be in a package) or appears twice, a path that is not text,
    a schema or dialect that is not an object, a schema field without a name."""
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for n, resource in enumerate(descriptor.get("resources", [])):
        messages = _resource_problems(resource, n, seen)
        if isinstance(resource, dict) and isinstance(resource.get("schema"), dict):
            messages += _schema_problems(resource["schema"], str(resource.get("name")))
        out += [Problem(DESCRIPTOR, field=f"resources[{n}]", message=m) for m in messages]
    return out


def _resource_problems(resource, n: int, seen: dict[str, int]) -> list[str]:
    known = REQUIRED_RESOURCES + OPTIONAL_RESOURCES
    if not isinstance(resource, dict):
        return [
            f"{checks.shown(json.dumps(resource))} is not an object (expected a resource with a name, a path and a schema)"
        ]
    out = []
    name = resource.get("name")
    if not isinstance(name, str) or name not in known:
        out.append(
            f"name: {checks.shown(json.dumps(name))} is not a table sinorus knows (expected one of: {', '.join(known)}; a package holds nothing else)"
        )
    elif name in seen:
        out.append(
            f"name: '{name}' appears again (first at resources[{seen[name]}]; expected each table once)"
        )
    else:
        seen[name] = n
    if "path" in resource and not isinstance(resource["path"], str):
        out.append(
            f"path: {checks.shown(json.dumps(resource['path']))} is not text (expected a path inside the package)"
        )
    for key, what in (("schema", "a Table Schema"), ("dialect", "a CSV dialect")):
        if key in resource and not isinstance(resource[key], dict):
            out.append(
                f"{key}: {checks.shown(json.dumps(resource[key]))} is not an object (expected {what} written inline)"
            )
    return out


def _schema_problems(schema: dict, name) -> list[str]:
    fields = schema.get("fields", [])
    if not isinstance(fields, list) or not fields:
        return [
            f"schema.fields: {checks.shown(json.dumps(fields))} is not a list of fields (expected the table's fields)"
        ]
    types = _known_types().get(name, {})
    out = []
    for i, spec in enumerate(fields):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            out.append(
                f'schema.fields[{i}]: {checks.shown(json.dumps(spec))} is not a field (expected an object with a name, e.g. {{"name": "year"}})'
            )
        elif not isinstance(spec.get("constraints", {}), dict) or not isinstance(
            spec.get("type", ""), str
        ):
            out.append(
                f"schema.fields[{i}]: '{checks.shown(spec['name'])}' has a type or constraints of the wrong kind (expected a type name and an object of constraints)"
            )
        elif spec["name"] in types and spec.get("type", "string") != types[spec["name"]]:
            out.append(
                f"schema.fields[{i}]: '{spec['name']}' has type '{checks.shown(spec.get('type', 'string'))}' (expected '{types[spec['name']]}', as sinorus reads this table)"
            )
    for key in ("primaryKey", "foreignKeys", "missingValues"):
        if key in schema and not isinstance(schema[key], (list, str)):
            out.append(
                f"schema.{key}: {checks.shown(json.dumps(schema[key]))} is of the wrong kind (expected a list)"
            )
    keys = schema.get("foreignKeys", [])
    if isinstance(keys, list) and not all(
        isinstance(k, dict) and isinstance(k.get("reference"), dict) for k in keys
    ):
        out.append(
            f"schema.foreignKeys: {checks.shown(json.dumps(keys))} is of the wrong kind (expected objects with fields and a reference)"
        )
    return out


@functools.lru_cache(maxsize=1)
def _known_types() -> dict[str, dict[str, str]]:
    """Each table's field types as sinorus reads them (the embedded package's descriptor)."""
    try:
        doc = json.loads((DEFAULT_DATA_DIR / DESCRIPTOR).read_bytes())
        return {
            r["name"]: {f["name"]: f.get("type", "string") for f in r["schema"]["fields"]}
            for r in doc["resources"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _read_resource(state: _State, name: str) -> None:
    resource = state.by_name.get(name)
    if resource is None:
        if name in REQUIRED_RESOURCES:
            state.add(
                Problem(
                    DESCRIPTOR,
                    field="resources",
                    message=f"no resource named '{name}' (expected one)",
                )
            )
        else:
            state.notices.append(f"The {name} context table is not in this data package.")
        return
    rel = str(resource.get("path", f"{name}.csv"))
    file = inside(state.root, rel)
    if isinstance(file, str):
        state.add(Problem(DESCRIPTOR, field=name, message=f"path {file}"))
        return
    if name in OPTIONAL_RESOURCES and not file.exists():
        state.notices.append(
            f"The {name} context table ({rel}) is missing, so its charts are unavailable."
        )
        return
    if name == "trade_flows":
        _read_flows(state, resource, file)
        return
    frame = _read_table(state, resource, file)
    if frame is not None:
        state.tables[name] = frame


def _read_flows(state: _State, resource: dict, file: Path) -> None:
    rel = str(resource.get("path"))
    if not rel.endswith(".parquet"):
        state.add(
            Problem(
                rel,
                message="imported trade is a CSV table, the layout of sinorus before 0.2 "
                "(expected trade_flows.parquet: import the files again with `sinorus import`)",
            )
        )
        return
    if not file.is_file():
        state.add(Problem(rel, message="file not found (expected the imported trade as Parquet)"))
        return
    state.flows = engine.FlowStore.of(file)


def _read_descriptor(root: Path, state: _State) -> dict | None:
    path = inside(root, DESCRIPTOR)
    if isinstance(path, str):
        state.add(Problem(DESCRIPTOR, message=path))
        return None
    if not path.is_file():
        state.add(Problem(DESCRIPTOR, message="file not found (expected the package descriptor)"))
        return None
    raw = path.read_bytes()
    text = _utf8(raw, DESCRIPTOR, state)
    if text is None:
        return None
    try:
        descriptor = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as err:
        line = getattr(err, "lineno", None)
        why = (
            f"{err.msg} at column {err.colno}"
            if isinstance(err, json.JSONDecodeError)
            else "nested too deep or a number too long"
        )
        state.add(Problem(DESCRIPTOR, line, message=f"not valid JSON: {why}"))
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        state.add(
            Problem(DESCRIPTOR, field="resources", message="missing (expected a list of resources)")
        )
        return None
    return descriptor


def _utf8(raw: bytes, filename: str, state: _State) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        state.add(
            Problem(
                filename,
                line,
                message=f"not UTF-8: byte {raw[err.start]:#04x} (expected UTF-8 text)",
            )
        )
        return None


def _limit(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _read_table(state: _State, resource: dict, path: Path) -> pd.DataFrame | None:
    """Check one CSV against its schema with frictionless, then read it with pandas (leniently
    where a cell is bad, so that the cross-table checks still see the rows that parsed)."""
    filename = str(resource.get("path"))
    if not path.is_file():
        state.add(Problem(filename, message="file not found (expected a CSV table)"))
        return None
    size_mb = path.stat().st_size / 1e6
    limit = _limit("SINORUS_MAX_FILE_MB", MAX_FILE_MB)
    if size_mb > limit:
        message = f"file is {size_mb:.1f} MB (expected at most {limit:g} MB; set SINORUS_MAX_FILE_MB to raise the limit)"
        state.add(Problem(filename, message=message))
        return None
    raw = path.read_bytes()
    if not raw.strip():
        state.add(Problem(filename, message="file is empty (expected a header row and data rows)"))
        return None
    if _utf8(raw, filename, state) is None:
        return None
    schema = dict(resource.get("schema") or {})
    # the columns sinorus reads are typed as it reads them, even where this schema leaves them
    # out (frictionless has said so), so that the checks across tables see typed values
    known = {
        name: {"type": kind}
        for name, kind in _known_types().get(str(resource.get("name")), {}).items()
    }
    fields = {**known, **{f["name"]: f for f in schema.get("fields", [])}}
    said = 0  # problems the schema check found in this file
    if not state.trusted:
        found = check_csv(state.root, resource)
        state.problems.extend(found.kept, found.total)
        said = found.total
    try:
        return typed_frame(path, fields)
    except (
        pd.errors.ParserError,
        ValueError,
        TypeError,
        OverflowError,
    ) as err:  # e.g. a file cut inside a quoted field
        if isinstance(err, pd.errors.ParserError) and not said:  # else already said, located
            text = " ".join(str(err).split())
            found = re.search(r"\b(row|line) (\d+)", text)
            # pandas counts the header as row 0, and lines from 1 (the header's)
            row = int(found.group(2)) + (found.group(1) == "row") if found else None
            state.add(
                Problem(
                    filename,
                    row,
                    message=f"cannot be read as CSV: {checks.shown(text, 200)} (the file may be truncated)",
                )
            )
        return None


_FRICTIONLESS_KEYS = (
    "name",
    "path",
    "format",
    "mediatype",
    "dialect",
    "bytes",
    "hash",
    "title",
    "description",
)


def check_csv(root: Path, resource: dict) -> Problems:
    """One CSV table against its Table Schema, with frictionless (foreign keys are checked
    across tables by `load`)."""
    from frictionless import Resource  # imported here: it is only needed while validating

    found = Problems()
    filename = str(resource.get("path"))
    schema = dict(resource.get("schema") or {})
    schema.pop("foreignKeys", None)
    fields = {f["name"]: f for f in schema.get("fields", [])}
    # only what a CSV table's check needs: a key frictionless would follow elsewhere (a profile
    # or `$schema` address, a scheme) never reaches it
    kept = {k: v for k, v in resource.items() if k in _FRICTIONLESS_KEYS}
    checked = {**kept, "schema": schema, "encoding": "utf-8-sig"}
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))  # frictionless reads big cells
    try:
        report = Resource(checked, basepath=str(root)).validate(limit_errors=checks.LIMIT)
    except Exception as err:  # frictionless raises on descriptors it cannot use
        found.add(
            Problem(
                DESCRIPTOR,
                field=resource.get("name"),
                message=f"unusable resource: {checks.shown(err, 200)}",
            )
        )
        return found
    for task in report.tasks:
        for error in task.errors:
            found.add(_problem_from(filename, error, fields))
        stats = getattr(task, "stats", None) or {}
        errors = stats.get("errors") if isinstance(stats, dict) else None
        if errors and errors > found.total:
            found.total = errors
    return found


def check_frame(name: str, frame: pd.DataFrame, descriptor: dict) -> Problems:
    """An in-memory table checked exactly as `load` checks its CSV file (written to a
    temporary directory and read back with frictionless)."""
    resource = resources(descriptor)[name]
    with tempfile.TemporaryDirectory(prefix="sinorus-check-") as tmp:
        path = Path(tmp) / Path(str(resource["path"])).name
        columns = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
        frame.reindex(columns=columns).to_csv(path, index=False, lineterminator="\n")
        return check_csv(Path(tmp), {**resource, "path": path.name})


def _problem_from(filename: str, error, fields: dict) -> Problem:
    kind = error.type
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    spec = fields.get(name, {})
    constraints = spec.get("constraints", {})
    label = checks.shown(getattr(error, "label", ""))
    if kind == "type-error":
        msg = checks.not_type(cell, spec.get("type"))
    elif kind == "constraint-error":
        msg = _constraint_message(error.note or "", cell, constraints)
    elif kind in ("unique-error", "primary-key"):
        msg = checks.duplicate(cell) if cell else f"duplicate key ({error.note})"
    elif kind == "missing-label":
        msg = checks.missing_column()
    elif kind == "extra-label":
        msg, name = f"unexpected column '{label}' in the header", None
    elif kind == "incorrect-label":
        msg = f"header says '{label}' (expected '{name}')"
    elif kind == "duplicate-label":
        msg = f"column '{label}' appears twice in the header"
    elif kind == "missing-cell":
        msg = "row ends before this column (expected a value or an empty cell)"
    elif kind == "extra-cell":
        msg, name = "row has more cells than the header has columns", None
    elif kind == "blank-row":
        msg = "blank row (expected data)"
    else:
        msg = f"{error.title}: {checks.shown(error.note or error.message, 200)}"
    return Problem(filename, row, name, msg)


def _constraint_message(note: str, cell, constraints: dict) -> str:
    if "required" in note:
        return checks.is_empty()
    if "enum" in note:
        return checks.not_allowed(cell, constraints["enum"])
    if "minimum" in note:
        return checks.below(cell, constraints["minimum"])
    if "maximum" in note:
        return checks.above(cell, constraints["maximum"])
    if "pattern" in note:
        return checks.no_match(cell, constraints["pattern"])
    return f"'{checks.shown(cell)}' breaks a constraint ({note})"


def typed_frame(path: Path, fields: dict) -> pd.DataFrame:
    """A CSV table as typed pandas columns; a cell that does not parse becomes missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for name, spec in fields.items():
        if name not in frame:
            continue
        kind = spec.get("type", "string")
        column = frame[name].replace("", None)
        if kind == "integer":
            numbers = pd.to_numeric(column, errors="coerce")
            whole = (numbers % 1 == 0) & (numbers.abs() < 2**53)  # else frictionless says why
            frame[name] = numbers.where(whole).astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce")
        else:
            frame[name] = frame[name].astype(str)
    frame.attrs["file"] = path.name
    return frame


def not_a_source(value) -> str:
    return f"'{checks.shown(value)}' is not a source (expected an id from sources.csv)"


def not_an_indicator(value, known: str) -> str:
    return f"'{checks.shown(value)}' is not an indicator (expected one of: {known})"


def wrong_unit(unit, indicator, expected) -> str:
    return f"'{checks.shown(unit)}' does not match indicator {indicator} (expected '{expected}')"


def above_100(value) -> str:
    return f"{value} is above 100 (expected a percentage)"


def starts_after(year_start, year) -> str:
    return f"{year_start} is after year {year} (expected the first year of the period)"


def not_verbatim(source_id) -> str:
    return f"not found verbatim in the text of source '{source_id}' (expected the exact sentence; whitespace may differ)"


def _check_relations(state: _State) -> None:
    tables, by_name = state.tables, state.by_name
    if state.trusted:
        return
    sources = set(tables["sources"]["id"])
    for name, frame in tables.items():
        if "source_id" not in frame:
            continue
        filename = str(by_name[name]["path"])
        for pos, value in _rows(frame, ~frame["source_id"].isin(sources), "source_id"):
            state.add(Problem(filename, pos, "source_id", not_a_source(value)))
    if "observations" in tables and "indicators" in tables:
        _check_observations(state, tables["observations"], tables["indicators"])


def _check_observations(state: _State, obs: pd.DataFrame, indicators: pd.DataFrame) -> None:
    indicators = indicators.drop_duplicates("id").set_index("id")
    obs_file = str(state.by_name["observations"]["path"])
    needed = {"indicator", "unit", "value", "year", "year_start"}
    if not needed <= set(obs.columns):
        return
    known = ", ".join(indicators.index)
    for pos, value in _rows(obs, ~obs["indicator"].isin(indicators.index), "indicator"):
        state.add(Problem(obs_file, pos, "indicator", not_an_indicator(value, known)))
    known_ind = obs["indicator"].isin(indicators.index)
    expected_unit = obs["indicator"].map(indicators["unit"])
    for pos, idx in _positions(obs, known_ind & (obs["unit"] != expected_unit)):
        state.add(
            Problem(
                obs_file,
                pos,
                "unit",
                wrong_unit(obs.at[idx, "unit"], obs.at[idx, "indicator"], expected_unit[idx]),
            )
        )
    for pos, idx in _positions(
        obs, ((obs["unit"] == "percent") & (obs["value"] > 100)).fillna(False)
    ):
        state.add(Problem(obs_file, pos, "value", above_100(obs.at[idx, "value"])))
    late = (obs["year_start"].notna() & (obs["year_start"] > obs["year"])).fillna(False)
    for pos, idx in _positions(obs, late):
        state.add(
            Problem(
                obs_file,
                pos,
                "year_start",
                starts_after(obs.at[idx, "year_start"], obs.at[idx, "year"]),
            )
        )


def check_sources(sources: pd.DataFrame, descriptor: dict) -> Problems:
    """A sources table (e.g. with rows added for imports) checked as `load` checks sources.csv."""
    return check_frame("sources", sources, descriptor)


def _check_quotes(state: _State) -> dict[str, str]:
    """Read each document's text (inside the package, within the size limit) and check every
    quote occurs in it verbatim."""
    sources = state.tables["sources"]
    src_file = str(state.by_name["sources"]["path"])
    texts: dict[str, str] = {}
    limit = _limit("SINORUS_MAX_TEXT_MB", MAX_TEXT_MB)
    for pos, idx in _positions(sources, sources["kind"] == "document"):
        text = _read_text(state, sources.at[idx, "path"], limit)
        if isinstance(text, str) and text.startswith("\0"):
            state.add(Problem(src_file, pos, "path", text[1:]))
        elif text is not None:
            texts[sources.at[idx, "id"]] = text
    if state.trusted:
        return texts
    haystacks = {sid: normalise_text(text) for sid, text in texts.items()}
    for name, frame in state.tables.items():
        if "quote" not in frame or "source_id" not in frame:
            continue
        filename = str(state.by_name[name]["path"])
        for pos, idx in _positions(frame, frame["source_id"].isin(list(haystacks))):
            if not _quoted_in(frame.at[idx, "quote"], frame.at[idx, "source_id"], haystacks):
                state.add(Problem(filename, pos, "quote", not_verbatim(frame.at[idx, "source_id"])))
    return texts


def _read_text(state: _State, rel: str, limit_mb: float) -> str | None:
    """The text at `rel`, or '\\0' + why it cannot be used."""
    path = inside(state.root, rel)
    if isinstance(path, str):
        return "\0" + path
    try:
        size = path.stat().st_size
        if size > limit_mb * 1e6:
            return f"\0'{checks.shown(rel)}' is {size / 1e6:,.1f} MB (expected a text of at most {limit_mb:g} MB; set SINORUS_MAX_TEXT_MB to raise the limit)"
        if not path.is_file():
            return f"\0'{checks.shown(rel)}' is not a file (expected the source's text)"
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return f"\0'{checks.shown(rel)}' not found (expected the source's text)"
    except (OSError, UnicodeDecodeError) as err:
        return f"\0'{checks.shown(rel)}' cannot be read as UTF-8 text ({checks.shown(err, 120)})"


@functools.lru_cache(maxsize=4096)
def _whole_match(quote: str, haystack: str) -> bool:
    """`quote` occurs in `haystack` and starts and ends on word boundaries (not cut mid-word)."""
    return re.search(r"(?<!\w)" + re.escape(quote) + r"(?!\w)", haystack) is not None


def _quoted_in(quote: str, source_id: str, haystacks: dict[str, str]) -> bool:
    needle = normalise_text(str(quote))
    return bool(needle) and _whole_match(needle, haystacks[source_id])


def _positions(frame: pd.DataFrame, mask) -> list[tuple[int, object]]:
    """(file row position, index label) for each row where `mask` holds; header is row 1."""
    return [(i + 2, idx) for i, (idx, hit) in enumerate(zip(frame.index, mask, strict=True)) if hit]


def _rows(frame: pd.DataFrame, mask, column: str) -> list[tuple[int, object]]:
    return [(pos, frame.at[idx, column]) for pos, idx in _positions(frame, mask)]


# --- remembering what was validated ------------------------------------------------------------


def _signature(root: Path) -> str | None:
    """sha256 over the checking code (`_CODE`, and frictionless's version) and every file of
    the package's list (`listed_before_loading`: path and checksum, or that it is missing); None
    if any cannot be read or is refused (then the package is simply validated)."""
    if paths.cache_dir() is None:
        return None
    listed = listed_before_loading(root)
    if listed is None:
        return None
    digest = hashlib.sha256()
    try:
        for name in _CODE:
            digest.update((Path(__file__).parent / name).read_bytes())
        digest.update(importlib.metadata.version("frictionless").encode() + b"\0")
        for rel, path in listed.items():
            digest.update(rel.encode() + b"\0")
            digest.update(engine.file_sha256(path).encode() if path.exists() else b"missing")
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def listed_before_loading(root: Path) -> dict[str, Path] | None:
    """`listed_files` of the package at `root`, read from its descriptor and CSV files without
    validating them (for the keys of caches: the verdict cache here, `publish`'s memo); None if
    they cannot be read or a path is refused (then nothing is remembered)."""
    try:
        descriptor = json.loads(_confined(root, DESCRIPTOR).read_bytes())
        if descriptor_problems(descriptor):
            return None
        by_name = resources(descriptor)
        sources = _csv_rows(root, by_name["sources"])
        reports_rows = _csv_rows(root, by_name["reports"]) if "reports" in by_name else []
        texts = [row.get("text", "") for row in reports_rows]
        listed = listed_files(root, descriptor, sources, texts)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, csv.Error):
        return None
    found = {rel: path for rel, path in listed.items() if isinstance(path, Path)}
    return found if len(found) == len(listed) else None


def _confined(root: Path, rel) -> Path:
    path = inside(root, rel)
    if isinstance(path, str):
        raise ValueError(path)
    return path


def _csv_rows(root: Path, resource: dict) -> list[dict]:
    text = _confined(root, resource.get("path", "")).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _cache_has(signature: str) -> bool:
    where = paths.cache_dir()
    return where is not None and (where / f"valid-{signature}").is_file()


def _cache_add(signature: str) -> None:
    where = paths.cache_dir()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        (where / f"valid-{signature}").write_text("valid\n", encoding="utf-8")
    except OSError:
        pass  # a read-only home: the package is simply validated again next time
