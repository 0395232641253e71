"""A lake that notices damage, rather than answering wrong or starting over.

A lake knows it is a lake: migration 007 gives it an id (`lake_identity`), which a
writer also writes beside the catalog (`xxgk-lake` in a lake folder). Opening a folder
whose catalog is missing, empty, damaged or not a lake's while data files lie beside it
is refused before anything is attached (attaching would make a new, empty lake over the
old data), and so is a catalog whose id is not the folder's.

Every data file is checked against what the catalog says of it (it exists, with its
size), and against the SHA-256 recorded after the write that made it (in a table of the
catalog database beside DuckLake's own, `xxgk_file_checksums`, so recording writes no
data file and makes no snapshot; filled after every load and compaction): `verify` reports each
file missing, cut, swapped or with a flipped bit, each file in the data folder the
catalog does not know (left by a killed load or a full disk; compaction reclaims them),
and a catalog whose history is broken. Writers check the files' existence and sizes when
they open the lake, so a damaged lake is named before a load is tried on it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import pathname2url

import duckdb
import pyarrow as pa

from xxgk.warehouse.errors import LakeDamaged, WarehouseUnavailable
from xxgk.warehouse.location import CATALOG_FILE, DATA_FOLDER, Location
from xxgk.warehouse.turn import write

MARKER = "xxgk-lake"  # in a lake folder, beside the catalog: the lake's id
CHECKSUMS = "xxgk_file_checksums"  # in the catalog database
_METADATA = "__ducklake_metadata_{}"  # where DuckLake attaches a lake's catalog database
_CANTOPEN = 14  # SQLITE_CANTOPEN
_SETTLE_SECONDS = 0.5  # before a second look at files found damaged: a concurrent commit has landed by then


@dataclass(frozen=True)
class DataFile:
    name: str        # as the catalog names it, below the data folder (main/cells/ducklake-….parquet)
    path: str        # where it is
    size: int        # bytes, as the catalog records them


@dataclass(frozen=True)
class Damage:
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.name}: {self.problem}"


# ── before attaching ────────────────────────────────────────────────────────────────


def check_folder(location: Location) -> str | None:
    """Refuse a lake folder whose catalog cannot be this lake's, before DuckLake would
    make a new lake over the data beside it; else the catalog's state (missing, empty,
    lake; None: not a lake folder, or none yet)."""
    folder = location.folder
    if folder is None or not folder.is_dir():
        return None
    data = folder / DATA_FOLDER
    if data.exists() and not data.is_dir():
        raise LakeDamaged(f"{data} is a file where the lake's data folder should be")
    catalog = folder / CATALOG_FILE
    state = _catalog_state(catalog)
    if state == "foreign":
        raise LakeDamaged(f"{catalog} is a SQLite database but not a lake's catalog: it is left as it is")
    if state in ("missing", "empty") and ((folder / MARKER).exists() or _any_file(data)):
        raise LakeDamaged(f"the catalog of the lake at {folder} is {state} but its data is still there: restore "
                          f"{CATALOG_FILE} from a backup (nothing was written)")
    return state


def _catalog_state(catalog: Path) -> str:
    """missing, empty (no tables yet), lake, or foreign."""
    if not catalog.exists():
        return "missing"
    if catalog.stat().st_size == 0:
        return "empty"
    try:
        with closing(sqlite3.connect(f"file:{pathname2url(str(catalog.absolute()))}?mode=ro", uri=True)) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorcode", None) == _CANTOPEN:  # not damage: SQLite cannot make its files
            raise WarehouseUnavailable(f"cannot open the lake's catalog {catalog}: {error} (SQLite needs to write "
                                       "its shared-memory file beside it: is the folder read-only?)") from None
        raise LakeDamaged(f"the lake's catalog {catalog} is damaged: {error}") from None
    if not tables:
        return "empty"
    return "lake" if "ducklake_metadata" in tables else "foreign"


def _any_file(folder: Path) -> bool:
    return folder.is_dir() and next((p for p in folder.rglob("*") if p.is_file()), None) is not None


# ── after attaching ─────────────────────────────────────────────────────────────────


def confirm(con: duckdb.DuckDBPyConnection, location: Location) -> None:
    """The catalog's history is whole, and its id is the one its folder records."""
    _check_history(con)
    lake_id = _lake_id(con)
    if lake_id is None or location.folder is None or not (location.folder / MARKER).exists():
        return
    found = (location.folder / MARKER).read_text(encoding="utf-8", errors="replace").strip()
    if found != lake_id:
        raise LakeDamaged(f"{location.folder / CATALOG_FILE} is the catalog of lake {lake_id}, but the folder "
                          f"holds lake {found} ({MARKER}): put the folder's own catalog back")


def check_files(con: duckdb.DuckDBPyConnection) -> None:
    """Before a write: every data file where it should be, with its size, so a damaged
    lake is named before a load fails on it."""
    damage = damaged_files(con, hashes=False)
    if damage:  # another writer may have committed between the catalog's reading and the files': read again
        time.sleep(_SETTLE_SECONDS)
        first = {d.name for d in damage}
        damage = [d for d in damaged_files(con, hashes=False) if d.name in first]
    if damage:
        raise LakeDamaged(f"{len(damage)} data file(s) of the lake are damaged, first {damage[0]}: "
                          "`xxgk verify` lists them; nothing was written")


def mark(con: duckdb.DuckDBPyConnection, location: Location) -> None:
    """Record the lake's id beside its catalog, the first time a writer opens it."""
    lake_id = _lake_id(con)
    if lake_id is not None and location.folder is not None and not (location.folder / MARKER).exists():
        (location.folder / MARKER).write_text(lake_id + "\n", encoding="utf-8")


def _lake_id(con: duckdb.DuckDBPyConnection) -> str | None:
    [(exists,)] = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                              "AND table_name = 'lake_identity'").fetchall()
    if not exists:
        return None
    try:
        found = con.execute("SELECT lake_id FROM lake_identity").fetchall()
    except duckdb.IOException as error:
        raise LakeDamaged(f"the lake's catalog does not describe the data beside it (another lake's catalog, "
                          f"or lost data): {str(error).splitlines()[0]}") from None
    return found[0][0] if found else None


def _check_history(con: duckdb.DuckDBPyConnection) -> None:
    """A catalog whose newest snapshot is gone would make every commit collide with what
    that snapshot left: refused at once instead of retried."""
    metadata = _metadata(con)
    [(last, changed)] = con.execute(
        f"SELECT (SELECT max(snapshot_id) FROM {metadata}.ducklake_snapshot), "
        f"(SELECT max(snapshot_id) FROM {metadata}.ducklake_snapshot_changes)").fetchall()
    if changed is not None and (last is None or last < changed):
        raise LakeDamaged(f"the lake's catalog has lost its latest snapshot ({changed}; the newest left is {last}): "
                          "restore the catalog from a backup")


# ── the data files ──────────────────────────────────────────────────────────────────


def catalog_files(con: duckdb.DuckDBPyConnection) -> list[DataFile]:
    """Every data and delete file the catalog refers to, at any snapshot it keeps."""
    metadata = _metadata(con)
    [(data_path,)] = con.execute("SELECT data_path FROM ducklake_settings(current_database())").fetchall()
    schemas = dict(con.execute(f"SELECT schema_id, path FROM {metadata}.ducklake_schema "
                               "ORDER BY begin_snapshot").fetchall())  # relative or absolute, a prefix either way
    tables = {table: (schema, path, relative) for table, schema, path, relative in con.execute(
        f"SELECT table_id, schema_id, path, path_is_relative FROM {metadata}.ducklake_table "
        "ORDER BY begin_snapshot").fetchall()}
    files = con.execute(
        f"SELECT table_id, path, path_is_relative, file_size_bytes FROM {metadata}.ducklake_data_file UNION ALL "
        f"SELECT table_id, path, path_is_relative, file_size_bytes FROM {metadata}.ducklake_delete_file").fetchall()
    found = []
    for table, name, relative, size in files:
        if relative and table in tables:  # below its table's folder, maybe below its schema's, below the data folder
            schema, table_path, table_relative = tables[table]
            name = (schemas.get(schema, "") + table_path if table_relative else table_path) + name
        absolute = name.startswith("/") or "://" in name
        found.append(DataFile(name, name if absolute else data_path + name, size))
    return sorted(found, key=lambda f: f.name)


def damaged_files(con: duckdb.DuckDBPyConnection, *, hashes: bool) -> list[Damage]:
    """Each data file missing, of another size than the catalog's, or (with `hashes`)
    whose bytes are not those recorded when it was written. Without `hashes` (a writer
    opening the lake) files on object storage are not read."""
    recorded = _recorded(con) if hashes else {}
    damage = []
    for file in catalog_files(con):
        if not hashes and "://" in file.path:  # object storage: read whole only when verifying
            continue
        try:
            size = _size(con, file.path)
        except OSError as error:
            damage.append(Damage(file.name, f"cannot be read ({error.strerror or error})"))
            continue
        if size is None:
            damage.append(Damage(file.name, "missing"))
        elif size != file.size:
            damage.append(Damage(file.name, f"{size} bytes, the catalog says {file.size} (cut or replaced)"))
        elif file.name in recorded and _sha256(con, file.path) != recorded[file.name]:
            damage.append(Damage(file.name, "its bytes changed since it was written (SHA-256 differs)"))
    return damage


def record_checksums(con: duckdb.DuckDBPyConnection) -> int:
    """Record the size and SHA-256 of every data file that has none yet (those written
    since the last call), and forget files the catalog no longer has; returns how many
    were recorded. Files not as the catalog describes them are left for `verify`."""
    table = f"{_metadata(con)}.{CHECKSUMS}"
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                "(path VARCHAR NOT NULL, size BIGINT NOT NULL, sha256 VARCHAR NOT NULL, recorded_at TIMESTAMP)")
    files = catalog_files(con)
    known = {path for (path,) in con.execute(f"SELECT path FROM {table}").fetchall()}
    new = [(f.name, f.size, _sha256(con, f.path)) for f in files
           if f.name not in known and _size(con, f.path) == f.size]
    gone = known - {f.name for f in files}
    if not new and not gone:
        return 0
    names, sizes, sums = zip(*new, strict=True) if new else ((), (), ())
    rows = pa.table({"path": pa.array(names, pa.string()), "size": pa.array(sizes, pa.int64()),
                     "sha256": pa.array(sums, pa.string())})
    forgotten = pa.table({"path": pa.array(sorted(gone), pa.string())})

    def record() -> None:
        con.register("new_checksums", rows)
        con.register("forgotten_files", forgotten)
        try:
            con.execute(f"DELETE FROM {table} WHERE path IN (SELECT path FROM forgotten_files)")
            con.execute(f"INSERT INTO {table} SELECT path, size, sha256, now() FROM new_checksums "
                        f"WHERE path NOT IN (SELECT path FROM {table})")
        finally:
            con.unregister("new_checksums")
            con.unregister("forgotten_files")

    write(con, record, turn=False)  # the catalog database alone: no turn (a lake table) to take
    return len(new)


def _recorded(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute(f"SELECT path, sha256 FROM {_metadata(con)}.{CHECKSUMS}").fetchall())
    except duckdb.CatalogException:  # a lake no load has written since checksums were recorded
        return {}


def _metadata(con: duckdb.DuckDBPyConnection) -> str:
    [(lake,)] = con.execute("SELECT current_database()").fetchall()
    return _METADATA.format(lake)


def _size(con: duckdb.DuckDBPyConnection, path: str) -> int | None:
    if "://" in path:
        found = con.execute("SELECT size FROM read_blob(?)", [path]).fetchall()
        return found[0][0] if found else None
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return None


def _sha256(con: duckdb.DuckDBPyConnection, path: str) -> str:
    if "://" in path:
        [(content,)] = con.execute("SELECT content FROM read_blob(?)", [path]).fetchall()
        return hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ── the whole lake ──────────────────────────────────────────────────────────────────


def orphans(con: duckdb.DuckDBPyConnection, location: Location) -> list[Damage]:
    """Files in a lake folder's data folder that the catalog does not know: left by a
    load, crawl or compaction that was killed or ran out of disk (or one running now)."""
    if location.folder is None:
        return []
    known = {Path(f.path).name for f in catalog_files(con)}
    known |= {Path(path).name for (path,) in con.execute(
        f"SELECT path FROM {_metadata(con)}.ducklake_files_scheduled_for_deletion").fetchall()}
    data = location.folder / DATA_FOLDER
    found = []
    for path in _files(data):
        if path.name not in known:
            age = datetime.now(UTC) - datetime.fromtimestamp(path.stat().st_mtime, UTC)
            found.append(Damage(str(path.relative_to(data)),
                                f"not in the catalog (written {age.total_seconds() / 3600:.1f} h ago): "
                                "`xxgk compact` reclaims it"))
    return found


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file()) if folder.is_dir() else iter(())


def verify(con: duckdb.DuckDBPyConnection, location: Location) -> list[Damage]:
    """Everything wrong with the lake: its catalog's own integrity (a SQLite catalog's
    quick check), every data file against the catalog and its checksum, and orphans."""
    damage = []
    if location.folder is not None:
        catalog = location.folder / CATALOG_FILE
        with closing(sqlite3.connect(f"file:{pathname2url(str(catalog.absolute()))}?mode=ro", uri=True)) as db:
            problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall() if row[0] != "ok"]
        damage += [Damage(CATALOG_FILE, problem) for problem in problems]
    return damage + damaged_files(con, hashes=True) + orphans(con, location)
