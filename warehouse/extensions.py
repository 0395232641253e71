"""DuckDB extensions, loaded from the Python packages that ship them (duckdb-extension-*
on PyPI, pinned to DuckDB's version), never downloaded: automatic install and load are
off on every connection the warehouse opens, so a run needs no network and no
extension cache, and what runs is what pip installed.

DuckDB checks an extension's signature by hashing the whole file (about 150 ms for each
of the 35 MB ducklake and sqlite_scanner builds), on every connection: a run that opens
the warehouse once per portal spent most of its own CPU there. Each file is therefore
checked once per process, by DuckDB on the first connection that loads it; later
connections load the same checked files without hashing them again."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import duckdb

from xxgk.warehouse.errors import WarehouseUnavailable

# The extension's name in DuckDB (its entry point) where the package's file is named otherwise.
_ENTRY_POINT = {"postgres": "postgres_scanner"}
# Settings every connection gets: no extension is fetched or loaded behind our back.
OFFLINE: dict[str, str | bool | int | float | list[str]] = {"autoinstall_known_extensions": False,
                                                           "autoload_known_extensions": False}


class ExtensionMissing(WarehouseUnavailable):
    """An extension's package is not installed; the message says which one to install."""


def extension_file(name: str) -> Path:
    """The .duckdb_extension file of duckdb-extension-<name>, under the name DuckDB expects."""
    package = f"duckdb_extension_{name}"
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise ExtensionMissing(f"the DuckDB extension {name} is not installed: "
                               f"pip install duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}") from None
    found = (sorted(Path(module.__file__).parent.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
             if module.__file__ else [])  # a namespace package has no file, and so no extension
    if not found:
        raise ExtensionMissing(f"duckdb-extension-{name} does not match DuckDB {duckdb.__version__}: "
                               f"pip install duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}")
    entry = _ENTRY_POINT.get(name)
    return found[0] if entry is None else _renamed(found[0], entry)


def _renamed(file: Path, entry: str) -> Path:
    """DuckDB derives the entry point from the file name: a link named after it, made once."""
    folder = Path(tempfile.gettempdir()) / f"xxgk-duckdb-{duckdb.__version__}-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    link = folder / f"{entry}.duckdb_extension"
    if not link.exists():
        staged = folder / f".{entry}.{os.getpid()}"
        staged.unlink(missing_ok=True)
        staged.symlink_to(file)
        staged.replace(link)
    return link


_CHECKED: set[Path] = set()  # extension files whose signature DuckDB has checked in this process


def connection(*names: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB, offline, with the extensions `names` loaded."""
    files = [extension_file(name) for name in names]
    checked = all(file in _CHECKED for file in files)
    con = duckdb.connect(config={**OFFLINE, "allow_unsigned_extensions": True} if checked else OFFLINE)
    try:
        for file in files:
            con.execute(f"LOAD '{str(file).replace(chr(39), chr(39) * 2)}'")
    except BaseException:
        con.close()
        raise
    _CHECKED.update(files)
    return con
