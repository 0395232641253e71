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


# What reading the process's environment looks like, in one place: these names, however
# reached (os.environ, from os import getenv, urllib.request.getproxies_environment()).
# A name mapped to a number reads it only when called with fewer arguments than that:
# proxy_bypass_environment(host, proxies) decides from the proxies it is given.
READS_ENVIRONMENT: dict[str, int | None] = {
    "environ": None, "environb": None, "getenv": None, "getenvb": None,
    "getproxies": None, "getproxies_environment": None, "proxy_bypass": None,
    "proxy_bypass_environment": 2,
}
# The modules that read the environment, and why; every other one receives its
# configuration from the edges (the CLI, the flows, xxgk.connect), which resolve it
# through xxgk.config and pass it down.
READERS = {
    "xxgk.config": "the project's variables, each named there",
    "xxgk.flows.prefect_flows": "Prefect's own variables, set for Prefect and its children",
}


def environment_reads(source: str) -> list[str]:
    """Each reference to READS_ENVIRONMENT in `source`, as `name (line N)`, in line order."""
    tree = ast.parse(source)
    pure = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)
            and (limit := READS_ENVIRONMENT.get(_name(node.func) or "")) is not None
            and len(node.args) + len(node.keywords) >= limit}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in READS_ENVIRONMENT]
        elif isinstance(node, ast.Attribute | ast.Name) and _name(node) in READS_ENVIRONMENT and id(node) not in pure:
            found.append((node.lineno, str(_name(node))))
    return [f"{name} (line {line})" for line, name in sorted(found)]


def _name(node: ast.AST) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None


def test_the_check_sees_each_way_of_reading_the_environment():
    source = ("import os, urllib.request\nfrom os import getenv\nos.environ.get('A')\nos.getenv('B')\n"
              "urllib.request.getproxies_environment()\nurllib.request.proxy_bypass_environment('h')\n"
              "urllib.request.proxy_bypass_environment('h', {})\n")
    assert environment_reads(source) == ["getenv (line 2)", "environ (line 3)", "getenv (line 4)",
                                         "getproxies_environment (line 5)", "proxy_bypass_environment (line 6)"]


@pytest.mark.parametrize("module", sorted(set(modules()) - set(READERS)))
def test_no_module_but_config_reads_the_environment(module):
    assert environment_reads(modules()[module].read_text(encoding="utf-8")) == [], (
        f"{module} reads the environment: resolve it in xxgk/config.py and pass it down from the edge")
