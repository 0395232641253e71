"""Write transactions that several processes, on several machines, can run at once.

DuckLake commits optimistically: a transaction that read a state another writer has
since changed fails at commit (a conflict, or SQLite's "database is locked"). Every write
transaction first takes the turn (bumps the one row of `writer_turn`), so any two that
overlap conflict and the later one is run again from the start on top of the other's
result. Loads therefore end as if they had run one after the other (the cross-year
checks see every neighbour loaded before them), and a write either commits whole or not
at all. Readers take no turn and never wait.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb

from xxgk.warehouse.errors import LakeDamaged, WarehouseUnavailable

T = TypeVar("T")
_RETRYABLE = ("conflict", "database is locked", "could not serialize", "deadlock detected")
# a file system remounted read-only, or a folder whose permission changed, under a running write
_UNWRITABLE = ("Read-only file system", "Permission denied", "attempt to write a readonly database")


class WriterStarved(WarehouseUnavailable):
    """Other writers kept committing first for longer than the caller would wait."""


class DiskFull(WarehouseUnavailable):
    """The warehouse's disk (catalog or data) has no room left for a write."""


class Unwritable(WarehouseUnavailable):
    """A file of the warehouse cannot be written: its file system became read-only, or a
    folder's permission changed, under a running write."""


def write(con: duckdb.DuckDBPyConnection, work: Callable[[], T], *, wait_seconds: float = 300.0,
          note: str | None = None, turn: bool = True) -> T:
    """Run `work` in one write transaction holding the turn; rerun it after a conflict.
    `note`: the snapshot's commit note (the run id, for reading the lake as of a run).
    `turn=False` for DuckLake's maintenance, which may not change data in its transaction
    (it conflicts with what it must, by itself)."""
    deadline = time.monotonic() + wait_seconds
    pause = 0.02
    while True:
        con.execute("BEGIN TRANSACTION")
        try:
            if turn:
                con.execute("UPDATE writer_turn SET turn = turn + 1")
            result = work()
            if note is not None:
                con.execute("CALL ducklake_set_commit_message(current_database(), 'xxgk', ?, extra_info => ?)",
                            ["write", note])
            con.execute("COMMIT")
            return result
        except duckdb.Error as error:
            _rollback(con)
            if "No space left on device" in str(error):
                raise DiskFull(f"the disk holding the warehouse is full and this write was not kept "
                               f"({str(error).splitlines()[0]})") from None
            if any(sign in str(error) for sign in _UNWRITABLE):
                raise Unwritable(f"the warehouse cannot be written and this write was not kept "
                                 f"({str(error).splitlines()[0]})") from None
            if _damage(error):
                raise LakeDamaged(f"the lake could not be written, nothing of this write was kept: "
                                  f"{str(error).splitlines()[0]} (`xxgk verify` names what is damaged)") from None
            if not retryable(error):
                raise
            if time.monotonic() >= deadline:
                raise WriterStarved(f"other writers kept the warehouse busy for {wait_seconds:.0f} s: "
                                    f"{str(error).splitlines()[-1]}") from None
        except BaseException:
            _rollback(con)
            raise
        time.sleep(pause * (1 + random.random()))
        pause = min(pause * 2, 1.0)


def _damage(error: duckdb.Error) -> bool:
    """A file of the lake missing, unreadable, unwritable or not what the catalog says."""
    return isinstance(error, (duckdb.IOException, duckdb.PermissionException)) or (
        isinstance(error, duckdb.InvalidInputException) and "file" in str(error))


def retryable(error: duckdb.Error) -> bool:
    return any(sign in str(error) for sign in _RETRYABLE)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """A failed COMMIT has already ended the transaction; anything else is rolled back."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")
