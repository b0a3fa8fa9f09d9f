"""The embedded columnar engine: imported trade in Parquet, queried with DuckDB.

This module owns DuckDB. It opens every connection (each with a memory limit and a thread count,
so that one import or query cannot starve the other readers of the server) and holds every query
over the `trade_flows` Parquet files. The rest of sinorus receives small, aggregated pandas
frames, exactly the rows a chart needs.

A `FlowStore` is a set of Parquet files (the package's `trade_flows.parquet`, plus a reader's own
uploads) named by their content (sha256). Query results are cached process-wide by those
checksums and the query's arguments only: they hold source ids (themselves content-addressed),
families, reporters, years and values, never a file name, so readers never see each other's.

Parquet may live on local disk, or on object storage that DuckDB reads (`s3://…` with its httpfs
extension): several replicas can then share one read-only store.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

#: What DuckDB raises (e.g. its strict CSV reader refusing a file's shape).
Error = duckdb.Error
#: What DuckDB raises when a file cannot be read or written (a full disk, say).
FileError = duckdb.IOException
#: Memory one DuckDB database may use before spilling to disk ($SINORUS_DUCKDB_MEMORY).
MEMORY_LIMIT = os.environ.get("SINORUS_DUCKDB_MEMORY", "256MB")
#: Threads one DuckDB database may use ($SINORUS_DUCKDB_THREADS).
THREADS = int(os.environ.get("SINORUS_DUCKDB_THREADS", "2"))

#: The trade_flows table as Parquet stores it, in order (see data/datapackage.json).
COLUMNS = {
    "family": "VARCHAR",
    "source_id": "VARCHAR",
    "row": "INTEGER",
    "year": "INTEGER",
    "reporter": "VARCHAR",
    "reported_flow": "VARCHAR",
    "flow": "VARCHAR",
    "valuation": "VARCHAR",
    "classification": "VARCHAR",
    "commodity_code": "VARCHAR",
    "commodity": "VARCHAR",
    "value_usd": "DOUBLE",
    "qualifier": "VARCHAR",
    "note": "VARCHAR",
}
_DTYPES = {"VARCHAR": "object", "INTEGER": "int32", "DOUBLE": "float64"}
#: The order rows are written in: what the year filters and group-bys read fastest.
SORT = "family, year, reporter, flow, commodity_code, source_id, row"

_SPILL = None
_SPILL_LOCK = threading.RLock()


def _spill_dir() -> str:
    """A private directory for DuckDB's spill files (never the working directory)."""
    global _SPILL
    with _SPILL_LOCK:
        if _SPILL is None:
            _SPILL = tempfile.mkdtemp(prefix="sinorus-duckdb-")
            atexit.register(shutil.rmtree, _SPILL, ignore_errors=True)
    return _SPILL


def connect(memory_limit: str | None = None, threads: int | None = None, spill: str | None = None):
    """A new in-memory DuckDB database, limited in memory and threads; close it when done.
    `spill`: the directory for its spill files (default: one private directory per process,
    removed at exit; a process that ends without running its exit handlers, such as a
    multiprocessing child, should name one it removes itself)."""
    con = duckdb.connect(
        config={
            "memory_limit": memory_limit or MEMORY_LIMIT,
            "threads": threads or THREADS,
            "preserve_insertion_order": True,
            "temp_directory": spill or _spill_dir(),
        }
    )
    con.execute("SET enable_progress_bar = false")
    # Parquet parts are local files the OS already caches; DuckDB's own copy would keep up to the
    # memory limit of a long-running server after the readers who asked have gone.
    con.execute("SET enable_external_file_cache = false")
    return con


def give_back_memory() -> None:
    """Return freed memory to the operating system now (glibc's malloc_trim), e.g. when a
    reader's uploads are deleted: a long-running server otherwise keeps its peak."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


_TRIMMER: list[threading.Thread] = []


def give_back_memory_every(seconds: float = 30.0) -> None:
    """Once per process: a background thread that collects garbage and returns freed memory to
    the system every `seconds`. Uploads (held by Streamlit while their session lives) and
    imports leave freed memory that glibc keeps otherwise; measured here, 10 readers uploading
    50 MB each left a plain Streamlit server at 595 MB, 77 MB once trimmed."""
    import gc

    def loop():
        while True:
            time.sleep(seconds)
            gc.collect()
            give_back_memory()

    with _SPILL_LOCK:
        if not _TRIMMER:
            thread = threading.Thread(target=loop, name="sinorus-give-back-memory", daemon=True)
            thread.start()
            _TRIMMER.append(thread)


_SHARED = None


def _cursor():
    """A cursor on the process's query database (one connection per call: thread-safe)."""
    global _SHARED
    with _SPILL_LOCK:
        if _SHARED is None:
            _SHARED = connect()
    return _SHARED.cursor()


def sql_list(paths) -> str:
    """A SQL list literal of file paths."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def write_parquet(con, query: str, path: str | os.PathLike, params=None, sort: bool = True) -> None:
    """Write the rows of `query` (trade_flows columns) to `path` as zstd Parquet, sorted (the
    order queries read fastest) unless `sort` is false (an intermediate file)."""
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in COLUMNS.items())
    target = str(path).replace("'", "''")
    order = f" ORDER BY {SORT}" if sort else ""
    con.execute(
        f"COPY (SELECT {cols} FROM ({query}){order}) TO '{target}' "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)",
        params or [],
    )


def empty_parquet(path: str | os.PathLike) -> None:
    """An empty trade_flows Parquet file (the schema, no rows)."""
    con = connect()
    try:
        nulls = ", ".join(f"NULL::{t} AS {c}" for c, t in COLUMNS.items())
        write_parquet(con, f"SELECT {nulls} WHERE false", path)
    finally:
        con.close()


@dataclass(frozen=True)
class FlowStore:
    """Imported trade: Parquet files, each named by its sha256. Immutable; cheap to extend."""

    parts: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    @classmethod
    def of(cls, *paths: str | os.PathLike) -> FlowStore:
        return cls(tuple(str(p) for p in paths), tuple(file_sha256(p) for p in paths))

    def plus(self, other: FlowStore) -> FlowStore:
        return FlowStore(self.parts + other.parts, self.keys + other.keys)

    @property
    def summary(self) -> pd.DataFrame:
        return summary(self)

    @property
    def empty(self) -> bool:
        return self.summary.empty

    def span(self) -> tuple[int, int] | None:
        s = self.summary
        if s.empty:
            return None
        return int(s["first_year"].min()), int(s["last_year"].max())

    def __len__(self) -> int:
        s = self.summary
        return 0 if s.empty else int(s["rows"].sum())

    def rows(self) -> pd.DataFrame:
        """Every stored row (for small stores: tests, provenance); never for a chart."""
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=_DTYPES[t]) for c, t in COLUMNS.items()})
        return _frame(f"SELECT * FROM {_scan(self)} ORDER BY {SORT}")


def _scan(store: FlowStore) -> str:
    if not store.parts:  # no imported trade: an empty table of the same columns
        nulls = ", ".join(f"NULL::{t} AS {c}" for c, t in COLUMNS.items())
        return f"(SELECT {nulls} WHERE false)"
    return f"read_parquet({sql_list(store.parts)})"


#: A roll-up of one Parquet part: its TOTAL and HS rows summed per family, reporter, flow, year,
#: code level and HS chapter, with the first rows behind each sum. Every query behind the charts
#: reads these few thousand rows instead of the millions they stand for.
_ROLLUP = """
    SELECT family, reporter, flow, year,
           CASE WHEN commodity_code = 'TOTAL' THEN 0 ELSE length(commodity_code) END AS level,
           CASE WHEN commodity_code = 'TOTAL' THEN 'TOTAL' ELSE left(commodity_code, 2) END AS chapter,
           sum(value_usd) AS value_usd, count(*) AS rows,
           any_value(reported_flow) AS reported_flow, any_value(valuation) AS valuation,
           coalesce(min(commodity) FILTER (WHERE length(commodity_code) = 2), '') AS description,
           min_by(source_id || ':' || row, row, 3) AS refs
    FROM {part}
    WHERE flow IN ('china_exports', 'china_imports') AND reporter <> ''
      AND (commodity_code = 'TOTAL' OR ({is_hs}))
    GROUP BY ALL"""
ROLLUP_VERSION = "1"
_ROLLUPS: dict[tuple[str, str], str] = {}
#: Folders of a reader's own files (their uploads): the roll-ups of parts inside one are kept
#: in it, and go with it, never in the cache that outlives the reader.
_PRIVATE: set[str] = set()


def private_folder(folder: str | os.PathLike, private: bool = True) -> None:
    """Keep the roll-ups of the parts inside `folder` in it (or, `private=False`, stop: the
    folder is gone)."""
    name = os.path.join(os.path.abspath(folder), "")
    with _SPILL_LOCK:
        if private:
            _PRIVATE.add(name)
        else:
            _PRIVATE.discard(name)
            for found in [k for k, v in _ROLLUPS.items() if v.startswith(name)]:
                del _ROLLUPS[found]


def _rollup_folder(part: str) -> Path:
    """Where the roll-up of `part` lives: in the private folder holding it, else the cache."""
    inside = os.path.abspath(part)
    with _SPILL_LOCK:
        home = next((f for f in _PRIVATE if inside.startswith(f)), None)
    if home:
        return Path(home) / "rollups"
    from sinorus import paths

    base = paths.cache_dir()
    return (base / "rollups") if base else Path(_spill_dir()) / "rollups"


def _rollup_of(part: str, key: str) -> str:
    """The roll-up Parquet of one part (made once, kept by the part's checksum)."""
    where = _rollup_folder(part)
    found = _ROLLUPS.get((str(where), key))
    if found and os.path.exists(found):
        return found
    target = where / f"{key.removeprefix('sha256:')}-v{ROLLUP_VERSION}.parquet"
    if not target.exists():
        where.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
        con = connect()
        try:
            query = _ROLLUP.replace("{part}", f"read_parquet({sql_list([part])})").replace(
                "{is_hs}", _IS_HS
            )
            con.execute(
                f"COPY ({query}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
            )
        finally:
            con.close()
        os.replace(tmp, target)
    _ROLLUPS[(str(where), key)] = str(target)
    return str(target)


def _rollups(store: FlowStore) -> str:
    """SQL reading the roll-ups of every part of `store`."""
    if not store.parts:
        return "(SELECT NULL::VARCHAR AS family, NULL::VARCHAR AS reporter, NULL::VARCHAR AS flow, NULL::INTEGER AS year, NULL::INTEGER AS level, NULL::VARCHAR AS chapter, NULL::DOUBLE AS value_usd, NULL::BIGINT AS rows, NULL::VARCHAR AS reported_flow, NULL::VARCHAR AS valuation, NULL::VARCHAR AS description, NULL::VARCHAR[] AS refs WHERE false)"
    files = [_rollup_of(p, k) for p, k in zip(store.parts, store.keys, strict=True)]
    return f"read_parquet({sql_list(files)})"


def _cached(function):
    """Cache a query by the store's content keys and the arguments (never by file names)."""

    @functools.lru_cache(maxsize=256)
    def by_key(keys, parts, *args):
        return function(FlowStore(parts, keys), *args)

    @functools.wraps(function)
    def wrapper(store: FlowStore, *args):
        if not store.parts:
            return function(store, *args)
        return by_key(store.keys, store.parts, *args)

    wrapper.cache_clear = by_key.cache_clear
    return wrapper


def _frame(query: str, params=None) -> pd.DataFrame:
    cur = _cursor()
    try:
        return cur.execute(query, params or []).df()
    finally:
        cur.close()


SUMMARY_COLUMNS = [
    "source_id",
    "family",
    "rows",
    "first_year",
    "last_year",
    "reporters",
    "flows",
    "hs_rows",
]


@_cached
def summary(store: FlowStore) -> pd.DataFrame:
    """Per source: its family, rows, first and last year, reporters, flows, HS commodity rows."""
    if not store.parts:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    return _frame(
        f"""SELECT source_id, any_value(family) AS family, count(*) AS rows,
                   min(year) AS first_year, max(year) AS last_year,
                   string_agg(DISTINCT nullif(reporter, ''), ', ' ORDER BY nullif(reporter, ''))
                       AS reporters,
                   string_agg(DISTINCT flow, ', ' ORDER BY flow) AS flows,
                   count(*) FILTER (WHERE {_IS_HS}) AS hs_rows
            FROM {_scan(store)} GROUP BY source_id ORDER BY min(row) IS NULL, source_id"""
    ).fillna({"reporters": ""})


#: An HS commodity row: 2-6 digits, an HS classification (or none given), a known reporter.
_IS_HS = (
    "commodity_code <> 'TOTAL' AND regexp_full_match(commodity_code, '[0-9]{2,6}') "
    "AND (upper(classification) LIKE 'H%' OR classification = '') AND reporter IN ('CHN', 'RUS')"
)


@_cached
def direction(store: FlowStore, year_range: tuple[int, int]) -> pd.DataFrame:
    """Exports and imports per family, reporter and year as the reporter states them: the TOTAL
    row where there is one, else the sum of the HS rows (`basis` says which)."""
    lo, hi = year_range
    return _frame(
        f"""
        WITH levels AS (
            SELECT family, reporter, flow, year, level, sum(value_usd) AS value_usd,
                   sum(rows) AS rows, any_value(reported_flow) AS reported_flow,
                   any_value(valuation) AS valuation, flatten(list(refs))[1:3] AS refs
            FROM {_rollups(store)} WHERE year BETWEEN $lo AND $hi
            GROUP BY family, reporter, flow, year, level)
        SELECT family, reporter, flow, year, value_usd, rows,
               CASE WHEN level = 0 THEN 'TOTAL row'
                    ELSE 'sum of ' || rows || ' HS commodity row(s)' END AS basis,
               reported_flow, valuation, refs
        FROM levels
        QUALIFY level = min(level) OVER (PARTITION BY family, reporter, flow, year)
        ORDER BY family, reporter, flow, year""",
        {"lo": lo, "hi": hi},
    )


@_cached
def stated_totals(store: FlowStore, year_range: tuple[int, int]) -> pd.DataFrame:
    """Rows of flow `total` (both directions, as a source states them), one per row."""
    lo, hi = year_range
    return _frame(
        f"""SELECT family, source_id, row, reporter, year, value_usd, qualifier, note
            FROM {_scan(store)} WHERE flow = 'total' AND year BETWEEN $lo AND $hi
            ORDER BY family, year, source_id, row""",
        {"lo": lo, "hi": hi},
    )


@_cached
def chapters(
    store: FlowStore, year_range: tuple[int, int], flow: str, reporter: str, family: str
) -> pd.DataFrame:
    """Per year and HS chapter: the value of one direction, as one reporter states it, within
    one family; with the rows behind it and a description the files give for the chapter."""
    lo, hi = year_range
    return _frame(
        f"""
        WITH hs AS (
            SELECT * FROM {_rollups(store)}
            WHERE level > 0 AND year BETWEEN $lo AND $hi
            QUALIFY level = min(level) OVER (PARTITION BY family, reporter, flow, year))
        SELECT year, chapter, sum(value_usd) AS value_usd, sum(rows) AS rows,
               coalesce(max(nullif(description, '')), '') AS description, min(level) AS level
        FROM hs WHERE flow = $flow AND reporter = $reporter AND family = $family
        GROUP BY year, chapter ORDER BY year, chapter""",
        {"lo": lo, "hi": hi, "flow": flow, "reporter": reporter, "family": family},
    )


def rows_of(store: FlowStore, source_id: str, rows: list[int]) -> pd.DataFrame:
    """The stored rows of one source at the given row numbers (for provenance)."""
    if not store.parts or not rows:
        return pd.DataFrame(columns=list(COLUMNS))
    return _frame(
        f"SELECT * FROM {_scan(store)} WHERE source_id = $sid AND list_contains($rows, row) "
        "ORDER BY row",
        {"sid": source_id, "rows": [int(r) for r in rows]},
    )


def clear_caches() -> None:
    for query in (summary, direction, stated_totals, chapters):
        query.cache_clear()


# --- checks of a stored table ----------------------------------------------------------------


FLOW_OF = {
    ("CHN", "X"): "china_exports",
    ("RUS", "M"): "china_exports",
    ("CHN", "M"): "china_imports",
    ("RUS", "X"): "china_imports",
}
VALUATION_OF = {"M": "CIF", "X": "FOB"}
_SEP = "\x1f"


def _flow_rules(known_sources: list[str], documents: list[str]) -> list:
    """The rules a schema cannot say: direction and valuation follow reporter and flow; every
    row cites a dataset source."""
    from sinorus.checks import Check, shown, sql_text

    expected = (
        "CASE "
        + " ".join(
            f"WHEN reporter = '{r}' AND reported_flow = '{f}' THEN '{d}'"
            for (r, f), d in FLOW_OF.items()
        )
        + " END"
    )
    want = "CASE reported_flow WHEN 'M' THEN 'CIF' WHEN 'X' THEN 'FOB' END"
    both = "reporter <> '' AND reported_flow <> ''"
    known = ", ".join(sql_text(s) for s in known_sources) or "NULL"
    docs = ", ".join(sql_text(s) for s in documents) or "NULL"

    def parts(cell, n):
        out = (cell or "").split(_SEP)
        return out + [""] * (n - len(out))

    return [
        Check("flow", f"{both} AND flow <> {expected}", f"concat_ws('{_SEP}', flow, reporter, reported_flow, {expected})",
              lambda cell: "'{}' does not match reporter {} flow {} (expected '{}')".format(*parts(cell, 4))),
        Check("valuation", f"{both} AND coalesce(valuation, '') <> '' AND valuation <> {want}", f"concat_ws('{_SEP}', valuation, reported_flow, {want})",
              lambda cell: "'{}' for flow {} (expected {} or empty)".format(*parts(cell, 3))),
        Check("reporter", "coalesce(reported_flow, '') <> '' AND coalesce(reporter, '') = ''", "''",
              lambda _: "is empty (expected CHN or RUS for a flow M/X)"),
        Check("reported_flow", "flow <> 'total' AND coalesce(reported_flow, '') = ''", "flow",
              lambda cell: f"is empty for flow '{shown(cell)}' (expected M or X, with the reporter)"),
        Check("source_id", f"source_id NOT IN ({known})", "source_id",
              lambda cell: f"'{shown(cell)}' is not a source (expected an id from sources.csv)"),
        Check("source_id", f"source_id IN ({docs})", "source_id",
              lambda cell: f"'{shown(cell)}' is a document (expected a dataset source: trade_flows rows cite a row)"),
    ]  # fmt: skip


def check_flows(store: FlowStore, resource: dict, sources: pd.DataFrame):
    """Every stored trade_flows row against the resource's Table Schema and the flow rules, in
    SQL over the Parquet (never read into memory whole): the loader's checks and words."""
    from sinorus.checks import (
        Problem,
        Problems,
        duplicate,
        missing_column,
        run_checks,
        schema_checks,
    )

    found = Problems()
    filename = str(resource.get("path", "trade_flows.parquet"))
    schema = resource.get("schema") or {}
    con = connect()
    try:
        con.execute(
            f"CREATE VIEW flows AS SELECT *, (file_row_number + 2)::INTEGER AS _pos "
            f"FROM read_parquet({sql_list(store.parts)}, file_row_number = true)"
        )
        have = {name: kind for name, kind, *_ in con.execute("DESCRIBE flows").fetchall()}
        fields = [f["name"] for f in schema.get("fields", [])]
        for name in fields:
            if name not in have:
                found.add(Problem(filename, 1, name, missing_column()))
        if found:
            return found
        documents = list(sources.loc[sources["kind"] == "document", "id"])
        rules = schema_checks(schema) + _flow_rules(list(sources["id"]), documents)
        result = run_checks(con, "flows", filename, rules)
        found.extend(result.kept, result.total)
        key = schema.get("primaryKey") or []
        if key:
            cols = ", ".join(f'"{k}"' for k in key)
            dup = con.execute(
                f"""SELECT _pos, concat_ws('/', {cols}), count(*) OVER () FROM (
                        SELECT _pos, {cols}, row_number() OVER (PARTITION BY {cols} ORDER BY _pos) AS n
                        FROM flows) WHERE n > 1 ORDER BY _pos LIMIT 100"""
            ).fetchall()
            if dup:
                found.extend(
                    (
                        Problem(filename, pos, "/".join(key), duplicate(cell))
                        for pos, cell, _ in dup
                    ),
                    dup[0][2],
                )
        return found
    finally:
        con.close()
