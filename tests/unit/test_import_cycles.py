"""No import cycle in agent/ and nlp/, lazy imports inside functions included.

A cycle made of imports inside functions works until someone moves one to the top of a file;
and a module that cannot be imported alone (tts.py and tts_engines.py once needed each other)
is a module nobody can reason about alone. Only `if TYPE_CHECKING:` imports are left out: they
never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent", "nlp", "devkit")


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for file in (ROOT / package).rglob("*.py"):
            parts = list(file.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = file
    return found


def imported_names(module: str, file: Path) -> Iterator[str]:
    """Every dotted name `module` may import when it runs, its functions' bodies included."""
    package = module.split(".") if file.name == "__init__.py" else module.split(".")[:-1]
    for node in _runtime_nodes(ast.parse(file.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # `from a.b import c`: c is the module a.b.c when there is one, else a name in a.b.
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _runtime_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of `body`, less the bodies of `if TYPE_CHECKING:` at any depth."""
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def import_graph() -> dict[str, set[str]]:
    found = modules()
    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, file in found.items():
        for dotted in imported_names(name, file):
            parts = dotted.split(".")
            target = next(
                (
                    ".".join(parts[:i])
                    for i in range(len(parts), 0, -1)
                    if ".".join(parts[:i]) in found
                ),
                None,
            )
            if target is None or target == name:
                continue
            graph[name].add(target)
            # Importing a.b.c first runs a and a.b, unless the importer is inside them already.
            pieces = target.split(".")
            for i in range(1, len(pieces)):
                ancestor = ".".join(pieces[:i])
                if ancestor in found and not name.startswith(ancestor + "."):
                    graph[name].add(ancestor)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_checker_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_checker_reads_lazy_and_relative_imports(tmp_path: Path) -> None:
    file = tmp_path / "mod.py"
    file.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import hidden\n"
        "def f():\n    from agent.speech import tts\n"
        "    if TYPE_CHECKING:\n        import hidden_too\n"
        "from . import sibling\n",
        encoding="utf-8",
    )
    names = set(imported_names("agent.speech.mod", file))
    assert {"agent.speech.tts", "agent.speech.sibling"} <= names
    assert not {"hidden", "hidden_too"} & names
