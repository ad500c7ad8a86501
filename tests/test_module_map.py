"""README's module map (under "For developers") names every module of focusblock/ and no
module that is not there: a newcomer finds a file from the map, and the map cannot go stale
as modules are added, merged or renamed."""

from __future__ import annotations

import fnmatch
import re

from tests.conftest import REPO

PACKAGE = REPO / "focusblock"
MODULE = re.compile(r"[\w*]+\.py\b")
ENTRY = re.compile(r"^  (\S+)")  # a folder or a file of the package, two spaces in


def _map_lines() -> list[str]:
    """The lines of the map: the fenced block that starts with `focusblock/`."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    developers = text.split("## For developers", 1)[1]
    for block in developers.split("```")[1::2]:
        lines = block.strip("\n").splitlines()
        if lines and lines[0].strip() == "focusblock/":
            return lines[1:]
    raise AssertionError("README's 'For developers' section has no map starting `focusblock/`")


def mapped_names() -> list[str]:
    """Every module the map names, as a path under focusblock/ (globs such as
    cli/*_commands.py kept): a folder line starts a package, a file line at the top level
    returns to the top, and a name within a description belongs to the package it is in."""
    folder = ""
    names = []
    for line in _map_lines():
        if line and not line.startswith(" "):
            break  # back at the repository's top level (migrations/): the package is over
        entry = ENTRY.match(line)
        if entry:
            first = entry.group(1)
            folder = first if first.endswith("/") else ""
        names.extend(folder + name for name in MODULE.findall(line))
    return names


def package_modules() -> set[str]:
    """Every module in focusblock/; a package's __init__.py is its folder's line."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if path.name == "__init__.py":
            continue
        found.add(relative)
    return found


def test_the_map_reads_some_modules():
    names = mapped_names()
    assert "cli/options.py" in names and "dates.py" in names, names


def test_readme_module_map_lists_every_module_and_no_other():
    names = mapped_names()
    modules = package_modules()
    listed = {m for m in modules if any(fnmatch.fnmatchcase(m, name) for name in names)}
    missing = sorted(modules - listed)
    assert not missing, f"README's module map does not mention: {', '.join(missing)}"
    existing = modules | {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    stale = sorted(n for n in names if not fnmatch.filter(existing, n))
    assert not stale, f"README's module map names modules that do not exist: {', '.join(stale)}"
