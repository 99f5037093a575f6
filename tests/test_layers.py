"""The import graph of ``detector/``: no cycle, and no import from a lower layer into a higher one.

A small self-written check (no import-linter dependency): every ``.py`` under ``detector/`` is
parsed with :mod:`ast` and every ``import`` / ``from ... import`` is taken — at module level and
inside functions alike (the project keeps heavy imports inside functions for the cold start, and
those hide the real graph). ``from .x import y`` counts as an import of ``detector.x.y`` when that
is a module, else of ``detector.x``; ``importlib.import_module("detector.x")`` with a literal
name counts too (a registry loaded that way once hid a circle). Then:

* **layers** (:data:`LAYERS`, lowest first): a module may import its own layer and the layers
  below, never one above; every module must belong to a layer, so a new module is placed
  deliberately;
* **siblings** (:data:`INDEPENDENT`): layers that must not import each other;
* **no cycle** anywhere in the graph (Tarjan's strongly connected components), including inside
  a layer.

The one exception is the package facade ``detector/__init__.py``: its ``__getattr__`` imports
:mod:`detector.api` lazily so that ``detector.score`` works while ``import detector`` stays cheap;
that function only runs when a user reads one of those names from the finished package, so its
imports are not edges. Module-level imports of the facade are checked like any other
(``from . import __version__`` is allowed everywhere because the facade imports only the base
layer at module level).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# lowest first; a name covers the module and, for a package, everything under it
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", (
        "detector.findings", "detector.text", "detector.article", "detector.cache", "detector.sqlite_store",
        "detector.io", "detector.decode", "detector.scoring", "detector.selection", "detector.merge", "detector.output",
        "detector.config", "detector.language", "detector.gazetteer", "detector.languagetool",
        "detector.grammar_cache", "detector.explain", "detector.evidence_cache", "detector.settings",
        "detector.memo",
    )),
    # lt_checker: the LanguageTool client, which turns matches into findings with families.grammar
    ("families", ("detector.families", "detector.lt_checker", "detector.batch")),
    ("features", ("detector.features",)),
    ("model", ("detector.model", "detector.compiled")),
    # stream: the two-pass streaming engine over api's pieces; dask: the same on a Dask cluster
    ("api", ("detector.analysis", "detector.api", "detector.stream_work", "detector.stream", "detector.dask")),
    ("training", ("detector.training",)),
    ("triage", ("detector.triage",)),
    ("cli", ("detector.cli", "detector.cli_common", "detector.cli_languagetool", "detector.cli_model", "detector.cli_stream",
             "detector.cli_triage")),
]
# layers that sit side by side: neither imports the other
INDEPENDENT = [("training", "triage")]
FACADE = "detector"  # the package __init__: outside the layers (see the module docstring)


def _modules(root: Path, package: str) -> dict[str, tuple[Path, bool]]:
    out = {}
    for f in sorted((root / package).rglob("*.py")):
        parts = list(f.relative_to(root).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join(parts)] = (f, is_pkg)
    return out


def _lazy_facade_nodes(tree: ast.Module) -> set[int]:
    """ids of the import nodes inside the facade's module-level ``__getattr__``."""
    ids: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            ids.update(id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return ids


def _dynamic_import(node: ast.Call, package: str) -> bool:
    """``importlib.import_module("package.x")`` / ``__import__("package.x")`` with a literal name."""
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return (name in ("import_module", "__import__") and bool(node.args)
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            and node.args[0].value.split(".")[0] == package)


def import_graph(root: Path, package: str = "detector") -> dict[str, set[str]]:
    """module -> the package's modules it imports (module level and function level)."""
    mods = _modules(root, package)

    def owner(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, (path, is_pkg) in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _lazy_facade_nodes(tree) if mod == package else set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: set[str | None] = set()
            if isinstance(node, ast.Call) and _dynamic_import(node, package):
                targets = {owner(node.args[0].value)}
            elif isinstance(node, ast.Import):
                targets = {owner(a.name) for a in node.names if a.name.split(".")[0] == package}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                    if target.split(".")[0] != package:
                        continue
                targets = {f"{target}.{a.name}" if f"{target}.{a.name}" in mods else owner(target)
                           for a in node.names}
            graph[mod].update(t for t in targets if t and t != mod)
    return graph


def layer_of(mod: str, layers=LAYERS) -> int | None:
    for i, (_, names) in enumerate(layers):
        if any(mod == n or mod.startswith(n + ".") for n in names):
            return i
    return None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def violations(graph: dict[str, set[str]], layers=LAYERS, independent=INDEPENDENT, facade=FACADE) -> list[str]:
    """Upward imports, imports between independent layers, and modules in no layer."""
    names = [n for n, _ in layers]
    out = []
    for mod in sorted(graph):
        if mod == facade:
            continue
        lm = layer_of(mod, layers)
        if lm is None:
            out.append(f"{mod} is in no layer (add it to LAYERS in tests/test_layers.py)")
            continue
        for dep in sorted(graph[mod]):
            if dep == facade:
                continue
            ld = layer_of(dep, layers)
            if ld is None:
                continue  # reported as a module in no layer
            if ld > lm:
                out.append(f"{mod} ({names[lm]}) imports {dep} ({names[ld]}), a higher layer")
            elif {names[lm], names[ld]} in [set(p) for p in independent] and lm != ld:
                out.append(f"{mod} ({names[lm]}) imports {dep} ({names[ld]}); the two layers are independent")
    return out


def test_detector_has_no_import_cycle():
    graph = import_graph(ROOT)
    assert len(graph) > 40  # the whole package was read
    assert "detector.api" in graph["detector.training.data"]  # function-level imports are seen
    assert cycles(graph) == []


def test_no_upward_import():
    assert violations(import_graph(ROOT)) == []


def test_facade_imports_only_the_base_at_module_level():
    graph = import_graph(ROOT)
    assert all(layer_of(m) == 0 for m in graph[FACADE]), graph[FACADE]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_the_check_catches_a_cycle_and_an_upward_import(tmp_path):
    """The checker itself: a function-level import back up, a relative import from a sub-package,
    a cycle inside one layer, a module in no layer — each is reported."""
    _write(tmp_path, {
        "pkg/__init__.py": "def __getattr__(name):\n    from . import top\n    return top\n",
        "pkg/low.py": "import os\n\ndef f():\n    from .top import g\n    return g\n",
        "pkg/top.py": "from . import low\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/a.py": "from ..low import f\nfrom . import b\n",
        "pkg/sub/b.py": "from .a import x\n",
        "pkg/stray.py": "import importlib\n\nimportlib.import_module('pkg.low')\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg"] == set()  # the facade's lazy __getattr__ is not an edge
    assert graph["pkg.low"] == {"pkg.top"}
    assert graph["pkg.top"] == {"pkg.low"}
    assert graph["pkg.sub.a"] == {"pkg.low", "pkg.sub.b"}
    assert graph["pkg.stray"] == {"pkg.low"}
    assert sorted(cycles(graph)) == [["pkg.low", "pkg.top"], ["pkg.sub.a", "pkg.sub.b"]]
    layers = [("low", ("pkg.low",)), ("sub", ("pkg.sub",)), ("top", ("pkg.top",))]
    v = violations(graph, layers, independent=[], facade="pkg")
    assert "pkg.low (low) imports pkg.top (top), a higher layer" in v
    assert "pkg.stray is in no layer (add it to LAYERS in tests/test_layers.py)" in v
    assert len(v) == 2
    # siblings: "low" and "sub" declared independent -> sub.a importing low is reported
    v = violations(graph, layers, independent=[("low", "sub")], facade="pkg")
    assert any("pkg.sub.a (sub) imports pkg.low (low); the two layers are independent" == x for x in v)


def _target(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from ... import`` in module ``mod``."""
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_imports(root: Path, package: str = "detector") -> list[str]:
    """``from <package module> import _name``: a module reaching into another one's private
    helpers (a dunder such as ``__version__`` is public). Modules of one sub-package (the rules of
    a family package such as ``families/names/``) share their private helpers; only imports
    across packages count."""
    out = []
    for mod, (path, is_pkg) in _modules(root, package).items():
        home = mod if is_pkg else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(package)):
                target = _target(mod, is_pkg, node)
                if home != package and (target == home or target.startswith(home + ".")):
                    continue  # inside one sub-package
                out += [f"{mod}: from {'.' * node.level}{node.module or ''} import {a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.endswith("__")]
    return out


def test_no_module_imports_another_modules_private_names(tmp_path):
    assert private_imports(ROOT) == []
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "def _h():\n    pass\n",
                      "pkg/b.py": "from . import __version__\nfrom .a import _h\n"})
    assert private_imports(tmp_path, "pkg") == ["pkg.b: from .a import _h"]
    _write(tmp_path, {"pkg/sub/__init__.py": "from .r1 import _h\n", "pkg/sub/r1.py": "def _h():\n    pass\n",
                      "pkg/sub/r2.py": "from .r1 import _h\nfrom ..a import _h as _g\n"})
    assert private_imports(tmp_path, "pkg") == ["pkg.b: from .a import _h", "pkg.sub.r2: from ..a import _h"]
