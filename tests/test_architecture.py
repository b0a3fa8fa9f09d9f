"""The shape of the code, held by tests: data flows one way (no import cycles, nothing below the
UI imports it), one module per engine (Streamlit only in sinorus.ui, DuckDB only in
sinorus.engine), no module reaching into another's private names, and small functions."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sinorus"
MAX_FUNCTION_LINES = 80


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
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


def owner(target: str) -> str | None:
    """The sinorus module a dotted import names (a submodule, or the module of a name)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for base, names, _ in imports(name, path):
            for target in [base] + [f"{base}.{n}" for n in names]:
                found = owner(target)
                if found and found != name and not name.startswith(found + "."):
                    edges[name].add(found)
    return edges


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


def test_nothing_below_the_ui_imports_it():
    for name, targets in graph().items():
        if not name.startswith("sinorus.ui"):
            assert not [t for t in targets if t.startswith("sinorus.ui")], name


@pytest.mark.parametrize(
    "library, home",
    [("streamlit", "sinorus.ui"), ("duckdb", "sinorus.engine"), ("plotly", None)],
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
                offences += [f"{name}:{line} imports {base}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]  # fmt: skip
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
