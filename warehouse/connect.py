"""Opening the warehouse: a DuckLake any number of readers and writers use at once.

Every connection is an in-memory DuckDB with the lake attached as `lake` (and made the
default, so queries name tables plainly), extensions loaded from the installed packages
and automatic extension install and load off. Readers attach read-only and see the lake
as of a snapshot: the latest, or the one given by `at` (a snapshot id, a time, or a run
id), so last month's figures can be read again. Writers bring the schema up to date once
per process (`prepared` skips that for a run writing batch after batch).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from xxgk.schemas.connections import ObjectStorage
from xxgk.warehouse import extensions
from xxgk.warehouse.errors import WarehouseUnavailable
from xxgk.warehouse.integrity import check_files, check_folder, confirm, mark
from xxgk.warehouse.location import DATA_FOLDER, Location, parse
from xxgk.warehouse.migrate import current_version, migrate
from xxgk.warehouse.rows import sql_literal
from xxgk.warehouse.turn import retryable
from xxgk.warehouse.views import create_views

__all__ = ["WarehouseUnavailable", "open_warehouse", "writable_warehouse"]

LAKE = "lake"
LOCKED_MEMORY = 1024 ** 3  # bytes of DuckDB memory of a locked connection, unless the caller says
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of a single-file DuckDB database
_FIRST_LOAD = "the warehouse at {} holds no tables yet: its first load has not finished, try again when it has"


def open_warehouse(path: str, *, read_only: bool = False, wait_seconds: float = 30.0,
                   prepared: bool = False, at: int | str | datetime | None = None,
                   locked: bool = False, memory: int | None = None,
                   lossless_arrow: bool = False, storage: ObjectStorage | None = None
                   ) -> duckdb.DuckDBPyConnection:
    """A connection at the latest schema (read-only connections see the lake as it is).
    `storage`: the credentials for a lake whose data is on object storage (the edges
    resolve them: xxgk/config.py's `object_storage`).
    `prepared`: this process has already opened the lake for writing (migrated it, filled
    the jurisdictions, created the views), as a run writing batch after batch has.
    `locked` (read-only only): no file, URL or database outside the lake's data folder is
    reachable, nothing spills to disk, DuckDB's memory is bounded (`memory` bytes, else
    LOCKED_MEMORY) and no setting can be changed. (SQL from anyone needs more than
    this: the gates of warehouse/gates.py.) `lossless_arrow` (locked only): DuckDB's types
    that Arrow lacks (HUGEINT, UUID) leave as Arrow extension types, so a result read back
    into DuckDB has them again."""
    location = parse(path)
    _refuse_single_file(location)
    if not read_only:
        _check_writable(location)
    catalog = check_folder(location)
    if read_only and not location.exists():
        raise WarehouseUnavailable(f"no warehouse at {location.shown}: load reports first (xxgk load PATH...)")
    if read_only and catalog == "empty":  # made by a first load that has not yet set up the lake
        raise WarehouseUnavailable(_FIRST_LOAD.format(location.shown))
    if at is not None and not read_only:
        raise WarehouseUnavailable("an earlier state of the warehouse can only be read")
    con = extensions.connection(*location.extensions)
    try:
        _s3_credentials(con, location, storage)
        try:
            _open(con, location, read_only=read_only, wait_seconds=wait_seconds, prepared=prepared, at=at)
        except OSError as error:  # the lake's folder cannot be made or written: unwritable, read-only, not a folder
            raise WarehouseUnavailable(f"cannot write the warehouse {location.shown}: "
                                       f"{error.strerror or error} ({error.filename or location.folder})") from None
        if locked:
            _lock(con, location, read_only, memory or LOCKED_MEMORY, lossless_arrow)
    except BaseException:
        con.close()
        raise
    return con


def _open(con: duckdb.DuckDBPyConnection, location: Location, *, read_only: bool, wait_seconds: float,
          prepared: bool, at: int | str | datetime | None) -> None:
    """Attach the lake, confirm it is whole, and, for a writer, bring it to the latest schema."""
    _attach(con, location, read_only=read_only, wait_seconds=wait_seconds)
    if read_only and current_version(con) == 0:  # the lake of a first load that has not committed yet
        raise WarehouseUnavailable(_FIRST_LOAD.format(location.shown))
    if read_only or not prepared:
        confirm(con, location)
    if at is not None:
        snapshot = _snapshot_of(con, at)
        con.execute("USE memory")
        con.execute(f"DETACH {LAKE}")
        _attach(con, location, read_only=True, snapshot=snapshot)
    if not read_only and location.folder is not None:
        _keep_data_path_relative(con, wait_seconds)
    if not read_only and not prepared:
        from xxgk.warehouse.jurisdictions import fill_jurisdictions  # pandas: only writers pay its import

        check_files(con)
        migrate(con, wait_seconds=wait_seconds)
        mark(con, location)
        fill_jurisdictions(con)
        create_views(con)


def _attach(con: duckdb.DuckDBPyConnection, location: Location, *, read_only: bool, snapshot: int | None = None,
            wait_seconds: float = 30.0) -> None:
    """Attach the lake; a catalog busy with another process's commit (or with creating
    the lake, when two start on a new one) is asked again for up to `wait_seconds`."""
    if location.folder is not None and not read_only:
        _create_folder(location.folder)
    options = ["READ_ONLY"] if read_only else ["DATA_INLINING_ROW_LIMIT 0"]
    if location.folder is not None:  # the folder's own data, wherever the lake was made: a lake folder moves whole
        options += [f"DATA_PATH {sql_literal(location.data_path)}", "OVERRIDE_DATA_PATH true"]
    elif not read_only:
        options.append(f"DATA_PATH {sql_literal(location.data_path)}")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {snapshot}")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con.execute(f"ATTACH {sql_literal(location.catalog)} AS {LAKE} ({', '.join(options)})")
            break
        except duckdb.Error as error:
            if not retryable(error) and "already exists" not in str(error) or time.monotonic() >= deadline:
                raise WarehouseUnavailable(f"cannot open the warehouse {location.shown}: "
                                           f"{str(error).splitlines()[0]}") from None
            time.sleep(0.05 + random.random() * 0.2)
    con.execute(f"USE {LAKE}")


def _keep_data_path_relative(con: duckdb.DuckDBPyConnection, wait_seconds: float) -> None:
    """The catalog names the data folder relative to itself (`data/`), so a lake folder
    copied or moved opens with plain DuckDB too: DuckLake resolves a stored relative data
    path against the catalog file. xxgk attaches with the folder's absolute path (while
    creating a lake DuckLake would resolve a relative one against the working directory),
    which DuckLake stores; lakes made before stored it too. Either is rewritten once, by the
    first writer that opens the lake; writers opening a new lake at once may find the
    catalog busy with each other's rewrite or commit, and ask again for up to `wait_seconds`."""
    metadata = f"__ducklake_metadata_{LAKE}.ducklake_metadata"
    relative = f"{DATA_FOLDER}/"
    deadline = time.monotonic() + wait_seconds
    while con.execute(f"SELECT value FROM {metadata} WHERE key = 'data_path'").fetchall() != [(relative,)]:
        try:
            con.execute(f"UPDATE {metadata} SET value = ? WHERE key = 'data_path'", [relative])
        except duckdb.Error as error:
            if not retryable(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def _lock(con: duckdb.DuckDBPyConnection, location: Location, read_only: bool, memory: int,
          lossless_arrow: bool) -> None:
    """Only the data folder reachable (not the catalog beside it), no temporary files,
    DuckDB's memory bounded, Python's replacement scans off, and the settings locked."""
    if not read_only:
        raise WarehouseUnavailable("only a read-only connection can be locked")
    for setting, value in (("memory_limit", f"{max(1, memory // 1024 ** 2)}MB"), ("temp_directory", ""),
                           ("arrow_lossless_conversion", lossless_arrow),
                           ("python_enable_replacements", False), ("allowed_directories", [location.data_path]),
                           ("enable_external_access", False), ("lock_configuration", True)):
        con.execute(f"SET {setting} = ?", [value])


def writable_warehouse(path: str) -> None:
    """Refuse, in one line, a lake folder (or its data folder) that takes no file: a
    read-only file system or a folder without permission. A writer checks it before
    anything is attached (SQLite would call the catalog it cannot open beside them
    damaged; DuckDB would fail mid-load); a catalog elsewhere is not checked here."""
    _check_writable(parse(path))


def _check_writable(location: Location) -> None:
    if location.folder is None:
        return
    for folder in (location.folder, location.folder / DATA_FOLDER):
        if folder.is_dir():
            try:
                tempfile.TemporaryFile(dir=folder).close()
            except OSError as error:
                raise WarehouseUnavailable(f"cannot write the warehouse {location.shown}: "
                                           f"{error.strerror or error} ({folder}); nothing was written") from None


def _create_folder(folder: Path) -> None:
    """A new embedded lake's folder, its SQLite catalog in WAL mode: readers then never
    block a writer's commit, and a writer never blocks readers. The catalog is made aside
    and linked into place, so two loaders starting a lake at once never switch the mode of
    a catalog the other is already writing (which failed with `database is locked`): the
    one that links second finds it made."""
    import sqlite3

    from xxgk.warehouse.location import CATALOG_FILE

    folder.mkdir(parents=True, exist_ok=True)
    catalog = folder / CATALOG_FILE
    if catalog.exists():
        return
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".catalog-", delete=False) as handle:
        draft = Path(handle.name)
    try:
        with sqlite3.connect(draft) as db:
            db.execute("PRAGMA journal_mode=WAL")
        db.close()
        try:
            os.link(draft, catalog)
        except FileExistsError:
            pass  # another loader made it first, and is using it
        except OSError:  # a file system without hard links: moved instead, unless made meanwhile
            if not catalog.exists():
                os.replace(draft, catalog)
    finally:
        draft.unlink(missing_ok=True)


def _snapshot_of(con: duckdb.DuckDBPyConnection, at: int | str | datetime) -> int:
    """The snapshot id `at` names: an id, a time (the last snapshot then), or a run id."""
    if isinstance(at, int) or (isinstance(at, str) and at.isdigit()):
        found = con.execute(f"SELECT max(snapshot_id) FROM {LAKE}.snapshots() WHERE snapshot_id = ?", [int(at)])
        what = f"snapshot {at}"
    else:
        moment = at if isinstance(at, datetime) else _time(at)
        if moment is not None:
            found = con.execute(f"SELECT max(snapshot_id) FROM {LAKE}.snapshots() WHERE snapshot_time <= ?", [moment])
            what = f"snapshot at or before {at}"
        else:
            found = con.execute(f"SELECT max(snapshot_id) FROM {LAKE}.snapshots() WHERE commit_extra_info = ?", [at])
            what = f"run {at}"
    [(snapshot,)] = found.fetchall()
    if snapshot is None:
        raise WarehouseUnavailable(f"the warehouse has no {what}")
    return snapshot


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()


def _refuse_single_file(location: Location) -> None:
    """A path that is a file is not a lake: say what it is and how to go on."""
    if location.folder is None or not location.folder.is_file():
        return
    with location.folder.open("rb") as file:
        head = file.read(16)
    if head[8:12] == _DUCKDB_MAGIC:
        raise WarehouseUnavailable(
            f"{location.folder} is a single-file warehouse from before the lake: convert it with "
            f"`xxgk convert {location.folder} NEW_LAKE_FOLDER`")
    raise WarehouseUnavailable(f"{location.folder} is a file, not a warehouse folder")


def _s3_credentials(con: duckdb.DuckDBPyConnection, location: Location, storage: ObjectStorage | None) -> None:
    """Object storage credentials as a DuckDB secret, when the data is remote. A server
    named by an endpoint (MinIO, Ceph and the like) is addressed by path
    (http://host/bucket/key), as such servers are, and without TLS when its URL says http."""
    if "httpfs" not in location.extensions or storage is None:
        return
    settings = {"KEY_ID": storage.key_id, "SECRET": storage.secret, "REGION": storage.region,
                "ENDPOINT": storage.endpoint, "SESSION_TOKEN": storage.session_token}
    given = [f"{key} {sql_literal(value.removeprefix('https://').removeprefix('http://'))}"
             for key, value in settings.items() if value]
    if storage.endpoint:
        given.append("URL_STYLE 'path'")
    if storage.endpoint.startswith("http://"):
        given.append("USE_SSL false")
    con.execute(f"CREATE SECRET xxgk_s3 (TYPE s3, {', '.join(given)})")
