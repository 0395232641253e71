"""Extraction in worker processes, each under a memory limit and a time limit per document.

A reader can meet a document no bound foresaw: a library that loops, or allocates until
the machine has nothing left. In the flow's own process that takes the whole run down.
So documents are extracted in a small pool of worker processes, each with its address
space capped (RLIMIT_AS, so an allocation past it fails with MemoryError instead of
waking the kernel's OOM killer), and each document given a time limit. A worker over
its time limit is killed, one that dies is replaced, and either way the document comes
back as an Extraction whose issue says why (`extraction_timeout`, `too_large`,
`extraction_failed`): the batch goes on.

Workers are forked from a server process that imported the readers once, so starting
or replacing one costs milliseconds, and no worker inherits the threads or locks of the
flow that started it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from xxgk.extractors.extract import MAX_DOCUMENT_BYTES, Overrides, extract
from xxgk.schemas.records import Extraction, Issue

# Imported once by the server the workers are forked from (cpca, which the extractor
# imports on first use, takes most of a second).
_READERS = ["xxgk.extractors.extract", "xxgk.extractors.pdf", "xxgk.extractors.docx", "xxgk.extractors.html",
            "xxgk.extractors.text", "cpca", "xxgk.flows.isolation"]
_OUT_OF_MEMORY = 3  # a worker's exit status when even reporting its MemoryError failed
_START_SECONDS = 120  # for the first worker, the server imports the readers


@dataclass(frozen=True)
class Limits:
    memory: int = 3 * 1024 ** 3      # bytes of address space per worker process
    seconds: float = 180.0           # per document
    workers: int = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Job:
    """One document to extract. `key` is the caller's (a found report, a path): it comes
    back with the result and never leaves this process."""

    data: bytes
    source: str
    charset: str | None = None
    overrides: Overrides = Overrides()
    key: Any = None


Work = Callable[[bytes, str, str | None, Overrides], Extraction]


def map_extract(jobs: Iterable[Job], limits: Limits = Limits(), *, work: Work | None = None) -> Iterator[tuple[Job, Extraction]]:
    """Each job with its extraction, in the order they finish. Jobs are taken from `jobs`
    only as workers free up, so at most `limits.workers` documents are held at once.
    `work` replaces `extract` in the workers (a module-level function: it is pickled)."""
    pool = _Pool(limits, work or _extract)
    pending = iter(jobs)
    try:
        while True:
            for worker in pool.idle():
                job = next(pending, None)
                if job is None:
                    break
                worker.start(job)
            if not pool.busy():
                return
            yield from pool.finished()
    finally:
        pool.close()


def _extract(data: bytes, source: str, charset: str | None, overrides: Overrides) -> Extraction:
    return extract(data, source, charset=charset, overrides=overrides, max_bytes=MAX_DOCUMENT_BYTES)


def failed(job: Job, check: str, message: str) -> Extraction:
    """The extraction of a document no worker could finish."""
    return Extraction(source=job.source, sha256=hashlib.sha256(job.data).hexdigest(),
                      issues=[Issue(check, "error", message)])


# ── the pool ────────────────────────────────────────────────────────────────────────


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    job: Job | None = None
    started: float = 0.0

    def start(self, job: Job) -> None:
        self.connection.send((job.data, job.source, job.charset, job.overrides))
        self.job, self.started = job, time.monotonic()


@dataclass
class _Pool:
    limits: Limits
    work: Work
    workers: list[_Worker] = field(default_factory=list)

    def __post_init__(self):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_READERS)
        self.workers = [self._spawn() for _ in range(self.limits.workers)]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.limits.memory, self.work),
                                        name="xxgk-extract", daemon=True)
        process.start()
        child.close()
        # a document's time starts when a worker can take it, not while the first one starts
        try:
            if parent.poll(_START_SECONDS) and parent.recv() == "ready":
                return _Worker(process, parent)
        except (EOFError, OSError):
            pass
        process.kill()
        raise RuntimeError(f"an extraction worker did not start within {_START_SECONDS} s")

    def idle(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is None]

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def finished(self) -> Iterator[tuple[Job, Extraction]]:
        """The jobs that finished, or overran, by the nearest time limit."""
        busy = self.busy()
        deadline = min(w.started for w in busy) + self.limits.seconds
        ready = set(wait([w.connection for w in busy], timeout=max(0.0, deadline - time.monotonic())))
        for worker in busy:
            job = worker.job
            if worker.connection in ready:
                yield job, self._result(worker)
            elif time.monotonic() - worker.started >= self.limits.seconds:
                self._replace(worker)
                yield job, failed(job, "extraction_timeout",
                                  f"reading the document took over the limit of {self.limits.seconds:g} s")

    def _result(self, worker: _Worker) -> Extraction:
        job = worker.job
        try:
            extraction = worker.connection.recv()
            worker.job = None
            return extraction
        except (EOFError, OSError):
            code = self._replace(worker)
        if code == _OUT_OF_MEMORY:
            return failed(job, "too_large", "reading the document ran out of memory "
                          f"(the limit is {self.limits.memory // 1024 ** 2:,} MiB)")
        cause = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return failed(job, "extraction_failed", f"the extraction process died ({cause}) reading the document; a reader "
                      f"library crashed or exceeded the memory limit of {self.limits.memory // 1024 ** 2:,} MiB")

    def _replace(self, worker: _Worker) -> int | None:
        """Kill the worker and put a fresh one in its place; its exit status."""
        _stop(worker)
        self.workers[self.workers.index(worker)] = self._spawn()
        return worker.process.exitcode

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(timeout=1.0)
            _stop(worker)


def _stop(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.connection.close()


def _serve(connection: Connection, memory: int, work: Work) -> None:
    """A worker's life: documents in, extractions out, until told to stop."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    connection.send("ready")
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        job = Job(*message)
        try:
            extraction = work(*message)
        except MemoryError:
            extraction = failed(job, "too_large", "reading the document ran out of memory")
        except Exception as error:  # past the readers (normalizing, validating): still this document's failure
            extraction = failed(job, "extraction_failed", f"extraction failed: {type(error).__name__}: {error}")
        del message, job
        try:
            connection.send(extraction)
        except MemoryError:
            os._exit(_OUT_OF_MEMORY)
