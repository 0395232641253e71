"""The raw store: every fetched document's bytes, by sha256, on any fsspec filesystem.

Paths are derived from the content hash alone (`ab/abcdef….bin` beside `….json` metadata),
so nothing a server sends, not a URL nor a file name, ever reaches the file system, and
identical documents reached from several URLs are stored once. A local directory by
default; an fsspec URL (`s3://bucket/xxgk`, `memory://…`) puts it anywhere.

A crawl's store writes behind `put` (`write_behind`): creating files can take a disk
milliseconds each, a remote store far longer, and a crawl thread waiting for that is a
host waiting past its turn. `put` then returns at once, `has` and `get` see the document
while it is queued, and the crawl waits for a portal's documents (`wait_written`) before
it reports them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from xxgk.schemas.errors import XxgkError

_SHA256 = re.compile(r"[0-9a-f]{64}")


class StoreUnwritable(XxgkError):
    """The raw store cannot be written (a read-only file system, a folder without
    permission): a crawl into it would store nothing. The message is one line."""


class RawStore:
    WRITERS = 2                     # threads writing behind `put`
    MAX_QUEUED = 256 * 1024 * 1024  # bytes queued at most: `put` waits beyond that

    def __init__(self, location: str, *, write_behind: bool = False):
        self.fs, self.root = fsspec.core.url_to_fs(location)
        try:
            self.fs.makedirs(self.root, exist_ok=True)
        except OSError as error:
            raise StoreUnwritable(f"cannot make the raw store {location}: {error.strerror or error}") from None
        self._folders: set[str] = set()  # the hash-prefix folders this store has made
        # fsspec's local filesystem wraps every os call in path handling and checks (a
        # move stats its target first); the crawler stores every response, so a local
        # store calls os itself: a tenth of the crawler's CPU, half its system time.
        self._local = isinstance(self.fs, LocalFileSystem)
        self._writers = ThreadPoolExecutor(self.WRITERS, thread_name_prefix="raw-store") if write_behind else None
        self._queued: dict[str, bytes] = {}  # written behind, not yet on disk
        self._queued_bytes = 0
        self._failed: dict[str, str] = {}    # could not be written behind, and why
        self._written = threading.Condition()

    def put(self, data: bytes, metadata: dict[str, Any]) -> tuple[str, str]:
        """Store the bytes once; returns (sha256, where they are). The metadata of the
        first sighting is kept beside them (url, final url, headers, fetched time)."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if sha256 not in self._queued and not self._exists(path):
            if self._writers is None:
                self._store(sha256, path, data, metadata)
            else:
                self._queue(self._writers, sha256, path, data, metadata)
        return sha256, self.where(sha256)

    def check_writable(self) -> None:
        """Write and remove a probe file: a store that cannot be written is one line
        before a crawl starts, not a failure of every document it fetches."""
        probe = f"{self.root}/.probe-{uuid.uuid4().hex}"
        try:
            self._write(probe, b"")
            self.fs.rm_file(probe)
        except OSError as error:
            raise StoreUnwritable(f"cannot write the raw store {self.fs.unstrip_protocol(self.root)}: "
                                  f"{error.strerror or error}; nothing was crawled") from None

    def wait_written(self, sha256s: Iterable[str] | None = None) -> dict[str, str]:
        """Wait until these documents (all those queued, by default) are written; those
        that could not be, with why (sha256 → reason)."""
        with self._written:
            wanted = set(self._queued if sha256s is None else sha256s)
            while wanted & self._queued.keys():
                self._written.wait()
            return {sha256: self._failed[sha256] for sha256 in wanted if sha256 in self._failed}

    def where(self, sha256: str) -> str:
        """The stored bytes' location as a URL or path another process can open."""
        return self.fs.unstrip_protocol(self._path(sha256))

    def get(self, sha256: str) -> bytes:
        queued = self._queued.get(sha256)
        return queued if queued is not None else self.fs.cat_file(self._path(sha256))

    def has(self, sha256: str) -> bool:
        return sha256 in self._queued or self._exists(self._path(sha256))

    def metadata(self, sha256: str) -> dict[str, Any]:
        return json.loads(self.fs.cat_file(self._path(sha256) + ".json"))

    def _path(self, sha256: str) -> str:
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return f"{self.root}/{sha256[:2]}/{sha256}"

    def _exists(self, path: str) -> bool:
        return os.path.exists(path) if self._local else self.fs.exists(path)

    def _store(self, sha256: str, path: str, data: bytes, metadata: dict[str, Any]) -> None:
        folder = path.rsplit("/", 1)[0]
        if folder not in self._folders:
            self.fs.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        self._write(path + ".json", json.dumps({"sha256": sha256, **metadata}, ensure_ascii=False).encode())
        self._write(path, data)

    def _queue(self, writers: ThreadPoolExecutor, sha256: str, path: str, data: bytes, metadata: dict[str, Any]
               ) -> None:
        with self._written:
            while self._queued_bytes > self.MAX_QUEUED and self._queued:
                self._written.wait()
            self._queued[sha256] = data
            self._queued_bytes += len(data)
        writers.submit(self._store_behind, sha256, path, data, metadata)

    def _store_behind(self, sha256: str, path: str, data: bytes, metadata: dict[str, Any]) -> None:
        failure = None
        try:
            self._store(sha256, path, data, metadata)
        except Exception as error:  # a full disk, a remote store down: told by wait_written, never raised here
            failure = f"{type(error).__name__}: {error}"
        with self._written:
            if failure:
                self._failed[sha256] = failure
            else:  # written, if only at a later sighting of the same bytes
                self._failed.pop(sha256, None)
            self._queued.pop(sha256, None)
            self._queued_bytes -= len(data)
            self._written.notify_all()

    def _write(self, path: str, data: bytes) -> None:
        """Written under a temporary name and moved, so a crash never leaves half a file
        under the final name (which `put` would then trust as complete); the temporary name
        is unique, since two threads may store the same document at once."""
        partial = f"{path}.{uuid.uuid4().hex}.partial"
        if self._local:
            with open(partial, "wb") as file:
                file.write(data)
            os.replace(partial, path)
        else:
            self.fs.pipe_file(partial, data)
            self.fs.mv(partial, path)
