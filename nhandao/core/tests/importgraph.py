"""Read nhandao's imports from the source (ast, nothing is imported) for the layering tests.

`import_sites(module, source)` lists every import statement of one module: what it
imports, on which line, inside which function (None at module level) and whether it sits
under `if TYPE_CHECKING:` (never run).  `module_graph()` is the graph of the imports that
run when a module is first imported (module level, not TYPE_CHECKING) between nhandao's
modules, tests and migrations left out; `cycles(graph)` gives its strongly connected
components of more than one module.

An import of `pkg.mod` runs `pkg/__init__` first, so it is an edge to `pkg` too, unless
`pkg` is a package the importing module itself lives in: that package has begun loading
already.  For the same reason `from . import sibling` is an edge to the sibling only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nhandao

PACKAGE_DIR = Path(nhandao.__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

# The apps above core (core itself is the ground floor and imports none of them).
DOMAIN_APPS = (
    "accounts",
    "geo",
    "org",
    "office",
    "people",
    "messaging",
    "beneficiaries",
    "funds",
    "campaigns",
    "banking",
    "portal",
)


@dataclass(frozen=True)
class ImportSite:
    module: str
    line: int
    targets: tuple[str, ...]  # modules it names: `from a import b` gives ("a", "a.b") if a.b is a module
    function: str | None  # the outermost function it sits in, None at module level
    type_checking: bool


def module_name(path: Path) -> str:
    parts = list(path.resolve().relative_to(REPO_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules(
    *, tests: bool = False, migrations: bool = False, under: str = "nhandao"
) -> dict[str, Path]:
    """nhandao's modules (by dotted name) whose name starts with `under`."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR).parts
        if (not tests and "tests" in parts) or (not migrations and "migrations" in parts):
            continue
        if "." in path.stem or "-" in path.stem:
            # Not importable: makemessages' passing copies of templates ("login.html.py", which
            # test_translations makes while other tests run) and scripts beside test data.
            continue
        name = module_name(path)
        if name == under or name.startswith(under + "."):
            found[name] = path
    return found


ALL_MODULES = frozenset(source_modules(tests=True, migrations=True))


def _is_package(name: str) -> bool:
    return (PACKAGE_DIR.parent / name.replace(".", "/") / "__init__.py").exists()


def _targets(module: str, node: ast.Import | ast.ImportFrom, known: Iterable[str]) -> tuple[str, ...]:
    if isinstance(node, ast.Import):
        return tuple(alias.name for alias in node.names)
    base = node.module or ""
    if node.level:
        package = module.split(".") if _is_package(module) else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    submodules = tuple(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known)
    if len(submodules) == len(node.names):
        return (base, *submodules) if not module.startswith(base + ".") else submodules
    return (base, *submodules)


def import_sites(module: str, source: str, known: Iterable[str] = ALL_MODULES) -> Iterator[ImportSite]:
    known = frozenset(known)

    def walk(node: ast.AST, function: str | None, type_checking: bool) -> Iterator[ImportSite]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(child, function or child.name, type_checking)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from walk(child, function, True)
                for orelse in child.orelse:
                    yield from walk(orelse, function, type_checking)
            else:
                if isinstance(child, ast.Import | ast.ImportFrom):
                    yield ImportSite(
                        module, child.lineno, _targets(module, child, known), function, type_checking
                    )
                yield from walk(child, function, type_checking)

    yield from walk(ast.parse(source), None, False)


def _with_parents(target: str, importer: str) -> Iterator[str]:
    parts = target.split(".")
    for i in range(1, len(parts) + 1):
        name = ".".join(parts[:i])
        if not (importer == name or importer.startswith(name + ".")):
            yield name


def module_graph(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Module-level imports that run at import time, between the given modules (default: all
    of nhandao but tests and migrations)."""
    modules = source_modules() if modules is None else modules
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for site in import_sites(name, path.read_text()):
            if site.function is None and not site.type_checking:
                for target in site.targets:
                    graph[name].update(t for t in _with_parents(target, name) if t in modules and t != name)
    return graph


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def app_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    apps: dict[str, set[str]] = {}
    for name, targets in graph.items():
        apps.setdefault(app_of(name), set()).update(app_of(t) for t in targets if app_of(t) != app_of(name))
    return apps


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found
