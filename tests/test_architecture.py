"""The shape of the code, held by tests: data flows one way (every module in a layer of
`LAYERS`, every import allowed by it, no import cycles, nothing below the UI imports it), one
module per engine (Streamlit only in sinorus.ui, DuckDB only in sinorus.engine), light modules
that load no pandas or DuckDB, no module reaching into another's private names, and small
functions."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sinorus"
MAX_FUNCTION_LINES = 80

#: docs/architecture.md's table as data. Each layer: (its modules, what they may import). A name
#: is a module of sinorus (with its submodules: "importers" is the package and all in it) or a
#: layer; a layer that names itself may import among its own modules (cycles are refused apart).
#: Anything not listed here is refused; a new module needs a row.
# fmt: off
LAYERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "package": (("sinorus",), ()),  # sinorus/__init__.py: the docstring only
    "language": (("i18n",), ()),  # the page's language: messages, CLDR numbers (Babel only)
    "leaves": (("checks", "vocab", "paths", "urlstate"), ("language",)),
    "markup": (("markup",), ("checks", "language")),  # escaping; compares quotes as the loader does
    "share": (("share",), ("urlstate", "language")),  # a chart's link and embed code, from the address
    "engine": (("engine",), ("checks", "paths", "language")),
    "reports": (("reports",), ("checks", "engine", "paths", "language")),
    "load": (("load",), ("checks", "engine", "paths", "reports", "language")),
    "importers": (("importers",), ("importers", "checks", "engine", "load", "paths", "vocab", "language")),
    "extract": (("extract",), ("extract", "checks", "load", "language")),
    "frames": (("transform", "flows", "record"), ("frames", "load", "engine", "reports", "vocab", "importers.common", "language")),
    "figures": (("charts", "flow_charts", "alttext"), ("figures", "frames", "vocab", "language")),
    "layers": (("layers",), ("frames", "figures", "load", "vocab", "language")),
    "views": (("views",), ("frames", "figures", "layers", "load", "reports", "importers.common", "language")),
    "outputs": (("export", "bundle", "images", "publish", "snippets"), ("outputs", "views", "frames", "figures", "load", "reports", "checks", "paths", "vocab", "language")),
    "cli": (("cli", "__main__"), ("cli", "outputs", "views", "load", "importers", "extract", "paths", "language")),
    "ui": (("ui",), ("*",)),  # anything; nothing imports it
}
# fmt: on


def modules(root: Path = ROOT) -> dict[str, Path]:
    out = {}
    for path in sorted((root / "sinorus").rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


MODULES = modules()


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            out.append((base, [a.name for a in node.names], node.lineno))
    return out


def owner(target: str, known: dict[str, Path] = MODULES) -> str | None:
    """The sinorus module a dotted import names (a submodule, or the module of a name)."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def graph(known: dict[str, Path] = MODULES) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in known}
    for name, path in known.items():
        for base, names, _ in imports(name, path):
            for target in [base] + [f"{base}.{n}" for n in names]:
                found = owner(target, known)
                if found and found != name and not name.startswith(found + "."):
                    edges[name].add(found)
    return edges


def _covers(entry: str, module: str) -> bool:
    short = module.removeprefix("sinorus.") if module != "sinorus" else "sinorus"
    return short == entry or short.startswith(entry + ".")


def layer_of(module: str, layers=LAYERS) -> str | None:
    """The layer whose modules include `module` (the most specific entry wins, so that
    `importers.common` may be named apart from `importers`)."""
    found = [(len(e), layer) for layer, (mods, _) in layers.items() for e in mods if _covers(e, module)]  # fmt: skip
    return max(found)[1] if found else None


def allowed(module: str, target: str, layers=LAYERS) -> bool:
    layer = layer_of(module, layers)
    if layer is None:
        return False
    for entry in layers[layer][1]:
        if entry == "*" or (entry in layers and layer_of(target, layers) == entry):
            return True
        if entry not in layers and _covers(entry, target):
            return True
    return False


def layer_problems(edges: dict[str, set[str]], layers=LAYERS) -> list[str]:
    """Every module outside the table and every import the table does not allow."""
    out = [f"{m} is in no layer of LAYERS" for m in edges if layer_of(m, layers) is None]
    for m, targets in edges.items():
        if layer_of(m, layers) is not None:
            out += [f"{m} imports {t}: not allowed for layer {layer_of(m, layers)}" for t in sorted(targets) if not allowed(m, t, layers)]  # fmt: skip
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_is_in_a_layer_and_imports_only_what_its_layer_may():
    assert layer_problems(graph()) == []


def test_the_layer_table_names_only_modules_and_layers_that_exist():
    for layer, (mods, may) in LAYERS.items():
        for entry in mods + tuple(e for e in may if e not in LAYERS and e != "*"):
            assert any(_covers(entry, m) for m in MODULES), f"{layer}: {entry}"


def test_the_layer_check_catches_a_module_breaking_a_rule(tmp_path):
    """A test of the test: a package whose leaf module (vocab) imports the loader, and a module no layer
    holds, each caught by the same functions that check sinorus."""
    package = tmp_path / "sinorus"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n')
    (package / "load.py").write_text("from sinorus.checks import Problem\n")
    (package / "checks.py").write_text("import re\n\nProblem = re\n")
    (package / "vocab.py").write_text("from sinorus import load\n")
    (package / "newcomer.py").write_text("from .checks import Problem\n")
    problems = layer_problems(graph(modules(tmp_path)))
    assert problems == [
        "sinorus.newcomer is in no layer of LAYERS",
        "sinorus.vocab imports sinorus.load: not allowed for layer leaves",
    ]


def test_the_layer_check_allows_what_the_table_allows_and_no_more():
    assert allowed("sinorus.views", "sinorus.importers.common")
    assert not allowed("sinorus.views", "sinorus.importers.session")
    assert allowed("sinorus.importers.fetch", "sinorus.importers.common")  # within its layer
    assert not allowed("sinorus.checks", "sinorus.vocab")  # leaves import nothing of sinorus
    assert not allowed("sinorus.engine", "sinorus.load")  # data flows down, not up
    assert allowed("sinorus.ui.page", "sinorus.engine")


LIGHT_MODULES = ["sinorus.markup", "sinorus.urlstate", "sinorus.extract"]
HEAVY_LIBRARIES = {"pandas", "numpy", "duckdb", "pyarrow", "streamlit", "plotly", "frictionless"}


def test_light_modules_load_no_pandas_or_duckdb():
    """Imported in a fresh interpreter, one after another: what each one added to sys.modules.
    Escaping text, reading an address and finding figures in a text need no data frames."""
    script = (
        "import importlib, json, sys\n"
        f"heavy, out = {sorted(HEAVY_LIBRARIES)!r}, {{}}\n"
        f"for name in {LIGHT_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "    out[name] = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "print(json.dumps(out))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    loaded = json.loads(run.stdout)
    assert loaded == {name: [] for name in LIGHT_MODULES}


def test_nothing_below_the_ui_imports_it():
    for name, targets in graph().items():
        if not name.startswith("sinorus.ui"):
            assert not [t for t in targets if t.startswith("sinorus.ui")], name


@pytest.mark.parametrize(
    "library, home", [("streamlit", "sinorus.ui"), ("duckdb", "sinorus.engine"), ("plotly", None)]
)
def test_each_engine_has_one_home(library, home):
    users = {
        name
        for name, path in MODULES.items()
        for base, _, _ in imports(name, path)
        if base == library or base.startswith(library + ".")
    }
    if library == "plotly":  # figures are drawn by the figure factories (and pictures by images)
        assert users <= {"sinorus.charts", "sinorus.flow_charts", "sinorus.images"}, users
    else:
        assert users and all(u == home or u.startswith(home + ".") for u in users), users


def test_no_module_takes_another_modules_private_names():
    offences = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for base, names, line in imports(name, path):
            if owner(base) and owner(base) != name:
                offences += [f"{name}:{line} imports {base}.{n}" for n in names if n.startswith("_") and not n.startswith("__") and n != "_"]  # fmt: skip
        for node in ast.walk(tree):  # `import sinorus.load as L` ... `L._check`
            if isinstance(node, ast.ImportFrom) and node.module == "sinorus":
                aliases.update({a.asname or a.name: a.name for a in node.names})
            elif isinstance(node, ast.Import):
                aliases.update({a.asname: a.name for a in node.names if a.asname})
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offences.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert offences == []


def test_functions_are_small():
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == []


#: `# fmt: skip` keeps a table written as data aligned, and nothing else: a long message is a
#: named function or a module-level template (as `checks.py` has them), a long call is wrapped by
#: the formatter, and a function that grows past MAX_FUNCTION_LINES is split into named steps.
MAX_UNTABULAR_FMT_SKIPS = 0
_DISPLAYS = ast.List | ast.Tuple | ast.Set | ast.Dict


def _is_table(node: ast.AST) -> bool:
    """A list, tuple, set or dict display of 3+ entries over 3+ lines whose entries are all rows
    (displays themselves, or records: `_is_record`), so that alignment is the point. A list of
    names packed several to a line is not a table: the formatter lays it out."""
    if not isinstance(node, _DISPLAYS):
        return False
    cells = [k for k in node.keys if k is not None] if isinstance(node, ast.Dict) else node.elts
    if len(cells) < 3 or node.end_lineno - node.lineno < 2:
        return False
    return all(isinstance(c, _DISPLAYS) or _is_record(c) for c in cells)


def _is_record(node: ast.AST) -> bool:
    """A row written as a call of 3+ arguments (`Qualifier("exact", "exact", "", ...)`)."""
    return isinstance(node, ast.Call) and len(node.args) + len(node.keywords) >= 3


def untabular_fmt_skips(source: str) -> list[int]:
    """The lines of `source` with `# fmt: skip` that are not within a table (`_is_table`) or
    on the last line of a statement holding one (where the formatter reads the comment)."""
    tree = ast.parse(source)
    simple = [n for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.AnnAssign | ast.Expr)]
    tables = [(n.lineno, n.end_lineno) for n in ast.walk(tree) if _is_table(n)]
    tables += [(s.end_lineno, s.end_lineno) for s in simple if any(map(_is_table, ast.walk(s)))]
    return [
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if line.rstrip().endswith("# fmt: skip")
        and not any(first <= number <= last for first, last in tables)
    ]


def test_fmt_skip_only_on_tables():
    found = [
        f"{name}:{number}"
        for name, path in MODULES.items()
        for number in untabular_fmt_skips(path.read_text(encoding="utf-8"))
    ]
    assert len(found) <= MAX_UNTABULAR_FMT_SKIPS, found


def test_the_fmt_skip_count_tells_a_table_from_a_long_line():
    table = 'ROWS = [\n    ("a", 1), ("b", 2),\n    ("c", 3),\n]  # fmt: skip\n'
    call = 'def f():\n    print("a long message", "and more", sep="")  # fmt: skip\n'
    column = 'NAMES = [\n    "a", "b",\n    "c", "d",\n]  # fmt: skip\n'
    assert untabular_fmt_skips(table) == []
    assert untabular_fmt_skips(call) == [2]
    assert untabular_fmt_skips(column) == [4]
    records = 'T = {q.id: q for q in (\n    Q("a", 1, 2),\n    Q("b", 3, 4),\n    Q("c", 5, 6),\n)}  # fmt: skip\n'
    assert untabular_fmt_skips(records) == []
