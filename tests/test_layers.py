"""The layering of ``src/tocsin`` holds: no import cycles among its modules.

Imports inside functions and under ``TYPE_CHECKING`` count too (grimp sees them all), so a lazy
import cannot hide a cycle. The layer contracts themselves are import-linter's
(``[tool.importlinter]`` in pyproject.toml, run by ``make test``).
"""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            module, position = work.pop()
            if position == 0:
                index[module] = low[module] = len(index)
                stack.append(module)
                on_stack.add(module)
            targets = edges[module]
            if position < len(targets):
                work.append((module, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            for target in targets:  # children done: take their low links
                if target in on_stack:
                    low[module] = min(low[module], low[target])
            if low[module] == index[module]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def _describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    members = set(group)
    lines = []
    for module in group:
        for target in sorted(set(graph.find_modules_directly_imported_by(module)) & members):
            details = graph.get_import_details(importer=module, imported=target)
            where = ", ".join(str(d["line_number"]) for d in details)
            lines.append(f"  {module} -> {target} (line {where})")
    return "\n".join(lines)


def test_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for a, b in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")]:
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_no_import_cycles_in_tocsin() -> None:
    graph = grimp.build_graph("tocsin", cache_dir=None)
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n\n".join(_describe(graph, g) for g in cycles)
