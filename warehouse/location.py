"""Where a warehouse lives, from its one path or URL.

A DuckLake is a catalog database plus a folder of Parquet files:

- a local path (the default, `xxgk.lake`) is a folder holding both: the catalog in
  SQLite (`catalog.sqlite`) and the data under `data/`. A notebook, `xxgk query` and a
  nightly run share it on one machine;
- `postgresql://user:password@host:port/dbname?data=URL` keeps the catalog in PostgreSQL
  and the data at URL (a shared folder or `s3://bucket/prefix/`), so loaders on several
  machines write one lake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from xxgk.warehouse.errors import WarehouseUnavailable

CATALOG_FILE = "catalog.sqlite"
DATA_FOLDER = "data"


class BadLocation(WarehouseUnavailable):
    """The warehouse path or URL cannot name a lake; the message says why."""


@dataclass(frozen=True)
class Location:
    text: str               # as the user gave it (passwords included: never print it, print `shown`)
    catalog: str            # DuckLake's ATTACH string: ducklake:sqlite:… or ducklake:postgres:…
    data_path: str          # where the Parquet files go
    extensions: tuple[str, ...]
    folder: Path | None     # the local lake folder, for the embedded kind

    @property
    def shown(self) -> str:
        """The location without a password, for messages."""
        parts = urlsplit(self.text)
        if parts.password:
            return self.text.replace(f":{parts.password}@", ":***@", 1)
        return self.text

    def exists(self) -> bool:
        """Is there a lake here already? (A PostgreSQL catalog is asked when attached.)"""
        return self.folder is None or (self.folder / CATALOG_FILE).exists()


def parse(text: str) -> Location:
    scheme = urlsplit(text).scheme
    if scheme in ("postgres", "postgresql"):
        return _postgres(text)
    if scheme == "file":
        text = unquote(urlsplit(text).path)
    elif len(scheme) > 1:
        raise BadLocation(f"a warehouse is a local folder or a postgresql:// URL, not {scheme}://")
    folder = Path(text).expanduser()
    data = (folder / DATA_FOLDER).absolute()
    return Location(text, f"ducklake:sqlite:{(folder / CATALOG_FILE).absolute()}", f"{data}/",
                    ("ducklake", "sqlite_scanner"), folder)


def _postgres(text: str) -> Location:
    parts = urlsplit(text)
    query = parse_qs(parts.query)
    if "data" not in query:
        raise BadLocation("a PostgreSQL catalog needs the data's place: postgresql://…/dbname?data=s3://bucket/lake/")
    data = query["data"][0]
    conninfo = {"dbname": parts.path.lstrip("/") or None, "host": parts.hostname, "port": parts.port,
                "user": unquote(parts.username) if parts.username else None,
                "password": unquote(parts.password) if parts.password else None}
    spelled = " ".join(f"{key}={_quoted(value)}" for key, value in conninfo.items() if value is not None)
    data = data if data.endswith("/") else data + "/"
    remote = urlsplit(data).scheme not in ("", "file")
    return Location(text, f"ducklake:postgres:{spelled}", data,
                    ("ducklake", "postgres", *(("httpfs",) if remote else ())), None)


def _quoted(value: object) -> str:
    """A libpq connection-string value."""
    text = str(value)
    return text if text and all(c.isalnum() or c in "._-/" for c in text) else \
        "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
