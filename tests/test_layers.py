"""Imports point down: the layering rule of docs/architecture.md, checked on every
module of the distribution (found through pyproject.toml's package-dir, the one place
that says which folder each `xxgk.*` package is)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lower numbers sit lower; a module imports only from lower layers or its own package.
# The packages of one layer are independent of one another.
LAYERS = {
    "xxgk.schemas": 0,
    "xxgk.config": 1,
    "xxgk.extractors": 2, "xxgk.crawler": 2, "xxgk.warehouse": 2,
    "xxgk.samples": 3, "xxgk.publish": 3,
    "xxgk.flows": 4,
    "xxgk.cli": 5, "xxgk.__main__": 6,
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
    return next((u for u in sorted(LAYERS, key=len, reverse=True) if module == u or module.startswith(u + ".")), None)


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
    upward = [name for name in imports(modules()[module])
              if unit(name) not in (None, own) and LAYERS[unit(name)] >= LAYERS[own]]
    assert upward == [], f"{module} imports a layer at or above its own"
