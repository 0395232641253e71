"""Imports point down: the layering rule of docs/architecture.md, checked on every
module of the distribution (found through pyproject.toml's package-dir, the one place
that says which folder each `xxgk.*` package is)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each unit may import besides itself: the layering of docs/architecture.md, written
# once. Lower layers never import higher ones; the three units of layer 2 import only the
# shared contracts (never xxgk.config: nothing below the flows reads the environment, and
# never one another).
ALLOWED = {
    "xxgk.schemas": set(),
    "xxgk.config": {"xxgk.schemas"},
    "xxgk.extractors": {"xxgk.schemas"},
    "xxgk.crawler": {"xxgk.schemas"},
    "xxgk.warehouse": {"xxgk.schemas"},
    "xxgk.samples": {"xxgk.schemas", "xxgk.crawler"},      # the demo portal writes registry entries
    "xxgk.publish": {"xxgk.schemas", "xxgk.warehouse"},    # the site reads the warehouse's self-description
    "xxgk.flows": {"xxgk", "xxgk.schemas", "xxgk.config", "xxgk.extractors", "xxgk.crawler", "xxgk.warehouse",
                   "xxgk.samples"},
    "xxgk.cli": {"xxgk", "xxgk.schemas", "xxgk.config", "xxgk.extractors", "xxgk.crawler", "xxgk.warehouse",
                 "xxgk.samples", "xxgk.publish", "xxgk.flows"},
    "xxgk.__main__": {"xxgk.cli"},
}


def modules() -> dict[str, Path]:
    folders = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    found = {}
    for package, folder in folders.items():
        for path in (ROOT / folder).glob("*.py"):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            found.setdefault(name, path)
    return found


def unit(module: str) -> str | None:
    """The layered unit a module belongs to (its package, or itself for xxgk.config)."""
    return next((u for u in sorted(ALLOWED, key=len, reverse=True) if module == u or module.startswith(u + ".")),
                None)


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("xxgk.")}


def test_every_module_of_the_distribution_has_a_layer():
    assert [m for m in modules() if m != "xxgk" and unit(m) is None] == []


@pytest.mark.parametrize("module", sorted(m for m in modules() if m != "xxgk"))
def test_imports_point_down(module):
    own = unit(module)
    imported = {unit(name) or "xxgk" for name in imports(modules()[module])} - {own}
    assert imported <= ALLOWED[own], f"{module} imports {sorted(imported - ALLOWED[own])}, outside its layer's rule"
