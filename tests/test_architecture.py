"""Habits of the code that a reader relies on: no import circles in ``app``, and no class that overrides a
library's private (``_``-prefixed) method. Both read the source; nothing is imported."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
# marshmallow's documented way to write a field: "override the _serialize and/or _deserialize methods".
DOCUMENTED_HOOKS = {"_serialize", "_deserialize"}


def _modules() -> dict[str, ast.Module]:
    modules = {}
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = ast.parse(path.read_text(), str(path))
    return modules


def _imported_at_import_time(tree: ast.Module, modules: dict) -> set[str]:
    """The app modules a module imports when it is itself imported (module level, not inside functions)."""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith("app"):
                found.add(name)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done, path = set(), []

    def visit(module):
        if module in path:
            return path[path.index(module) :] + [module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_no_module_of_the_app_imports_itself_in_a_circle():
    modules = _modules()
    graph = {name: _imported_at_import_time(tree, modules) - {name} for name, tree in modules.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _local_classes(modules) -> set[str]:
    return {
        node.name for tree in modules.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    }


def test_no_class_overrides_a_private_method_of_a_library():
    modules = _modules()
    local = _local_classes(modules)
    found = []
    for module, tree in modules.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(base) for base in node.bases]
            from_a_library = [b for b in bases if b.split(".")[-1] not in local and b not in ("object",)]
            if not from_a_library:
                continue
            for item in node.body:
                if (
                    isinstance(item, ast.FunctionDef)
                    and item.name.startswith("_")
                    and not item.name.startswith("__")
                    and item.name not in DOCUMENTED_HOOKS
                ):
                    found.append(f"{module}.{node.name}.{item.name} (a {', '.join(from_a_library)})")
    assert found == []
