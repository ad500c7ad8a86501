"""The shape of the package: layers point one way, no import cycle, imports at the top
but for the heavy libraries, and the core's public functions say what they do."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from focusblock import LAZY_LIBRARIES
from focusblock.config import SETTINGS, Settings, load_settings
from focusblock.config.template import config_template
from tests.conftest import REPO

PACKAGE = REPO / "focusblock"
LAYERS = ("cli", "plan", "worksheet", "calendar", "store")
# What each part may import from focusblock; data flows cli -> plan/worksheet ->
# store/calendar -> plain helpers (the top-level modules).
ALLOWED = {
    "cli": set(LAYERS),
    "plan": {"plan", "worksheet", "calendar", "store"},
    "worksheet": {"worksheet", "store"},
    "calendar": {"calendar"},
    "store": {"store"},
    "helpers": set(),
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE).parts
    if relative == ("__main__.py",):
        return "cli"  # `python -m focusblock` is the command line
    return relative[0] if len(relative) > 1 and relative[0] in LAYERS else "helpers"


def _imported_parts(tree: ast.AST) -> set[str]:
    parts = set()
    for node in ast.walk(tree):  # function-level imports count too
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            pieces = name.split(".")
            if pieces[0] == "focusblock" and len(pieces) > 1 and pieces[1] in LAYERS:
                parts.add(pieces[1])
    return parts


def test_layers_point_one_way():
    wrong = []
    for path in _modules():
        part = _part(path)
        extra = _imported_parts(ast.parse(path.read_text())) - ALLOWED[part]
        if extra:
            wrong.append(f"{path.relative_to(REPO)} ({part}) imports {sorted(extra)}")
    assert not wrong, "\n".join(wrong)


def _nested_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import inside a function (TYPE_CHECKING blocks are not)."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((node.lineno, node.module))
            elif isinstance(node, ast.Import):
                found += [(node.lineno, alias.name) for alias in node.names]
    return sorted(set(found))


def test_only_the_heavy_libraries_are_imported_late():
    """Every import is at the top of its module, except the libraries README promises
    load only when used (LAZY_LIBRARIES, in one place); the command table loads command
    modules with importlib, not an import statement."""
    late = []
    for path in _modules():
        for line, module in _nested_imports(ast.parse(path.read_text())):
            if not any(module == lazy or module.startswith(lazy + ".") for lazy in LAZY_LIBRARIES):
                late.append(f"{path.relative_to(REPO)}:{line} imports {module} inside a function")
    assert not late, "\n".join(late)


def test_the_lazy_import_check_sees_a_nested_import():
    tree = ast.parse("def f():\n    import json\n    from rich.table import Table\n")
    assert _nested_imports(tree) == [(2, "json"), (3, "rich.table")]


def test_settings_template_lists_every_setting_with_its_default(tmp_path):
    template = config_template("Europe/Berlin")
    for setting in SETTINGS:
        assert f"# {setting.key.rpartition('.')[2]} = " in template, setting.key
    # uncommenting every line that shows a default gives the defaults back
    examples = {s.key.rpartition(".")[2] for s in SETTINGS if s.example}
    lines = []
    for line in template.splitlines():
        name = line[2:].split(" = ", 1)[0]
        lines.append(line[2:] if " = " in line and name not in examples else line)
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines))
    assert len(tomllib.loads(path.read_text())) >= 5
    loaded = load_settings(path, must_exist=True, environ={})
    assert loaded == Settings(timezone="Europe/Berlin")


def test_public_functions_of_the_core_have_docstrings():
    missing = []
    for part in ("plan", "store", "calendar"):
        for path in sorted((PACKAGE / part).glob("*.py")):
            tree = ast.parse(path.read_text())
            nodes = list(tree.body)
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                    nodes += node.body
            for node in nodes:
                if (
                    isinstance(node, ast.FunctionDef)
                    and not node.name.startswith("_")
                    and not any(
                        isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list
                    )
                    and ast.get_docstring(node) is None
                ):
                    missing.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert not missing, "\n".join(missing)


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_of(path: Path, modules: set[str]) -> set[str]:
    """The focusblock modules `path` imports, at the top or inside a function (a cycle
    hidden behind a late import is still a cycle); imports made only for type checking
    are left out, since they never run."""
    tree = ast.parse(path.read_text())
    checking_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
        for statement in block.body
        for node in ast.walk(statement)
    }
    found = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    found.discard(_module_name(path))
    return found


def test_no_import_cycles():
    paths = {_module_name(p): p for p in _modules()}
    graph = {name: _imports_of(path, set(paths)) for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
