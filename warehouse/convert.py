"""Converting a single-file DuckDB warehouse (xxgk before the lake) into a DuckLake.

The new lake is migrated to the old file's schema version, every table's rows are copied
by column name in one transaction, and the remaining migrations then carry the schema
forward, as they would for a lake that had been at that version all along. The row
counts of both sides are compared before the copy is committed, so a conversion loses
no row or leaves no lake behind (`xxgk convert OLD.duckdb NEW_LAKE`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from xxgk.schemas.connections import ObjectStorage
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.errors import WarehouseUnavailable
from xxgk.warehouse.jurisdictions import fill_jurisdictions
from xxgk.warehouse.migrate import current_version, migrate
from xxgk.warehouse.turn import write
from xxgk.warehouse.views import create_views

OLD = "single_file"


def convert_file(old: str, lake: str, *, storage: ObjectStorage | None = None) -> dict[str, int]:
    """Copy the warehouse file `old` into a new lake at `lake` (`storage`: its object
    storage's credentials, if its data is remote); returns rows copied per table."""
    if not Path(old).is_file():
        raise WarehouseUnavailable(f"no single-file warehouse at {old}")
    with open_warehouse(lake, prepared=True, storage=storage) as con:
        if current_version(con):
            raise WarehouseUnavailable(f"{lake} holds a warehouse already: convert into a new folder")
        try:
            con.execute(f"ATTACH '{old.replace(chr(39), chr(39) * 2)}' AS {OLD} (READ_ONLY)")
        except duckdb.Error as error:
            raise WarehouseUnavailable(f"cannot read {old}: {str(error).splitlines()[0]}") from None
        [(version,)] = con.execute(f"SELECT max(version) FROM {OLD}.schema_version").fetchall()
        migrate(con, up_to=version)
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND table_name <> 'schema_version' "
            "ORDER BY table_name", [OLD]).fetchall()]
        copied = write(con, lambda: _copy(con, tables))
        migrate(con)
        fill_jurisdictions(con)
        create_views(con)
        con.execute("USE memory")
        con.execute(f"DETACH {OLD}")
    return copied


def _copy(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    copied = {}
    for table in tables:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {OLD}.main.{table}")
        [(before,)] = con.execute(f"SELECT count(*) FROM {OLD}.main.{table}").fetchall()
        [(after,)] = con.execute(f"SELECT count(*) FROM {table}").fetchall()
        if before != after:
            raise WarehouseUnavailable(f"copying {table} gave {after} rows of {before}: nothing converted")
        copied[table] = after
    return copied
