"""Extraction in worker processes, each under a memory limit and a time limit per document.

A reader can meet a document no bound foresaw: a library that loops, or allocates until
the machine has nothing left. In the flow's own process that takes the whole run down.
So documents are extracted in a small pool of worker processes, each with its data
memory capped (RLIMIT_DATA: the heap and private mappings a process writes, what its
resident size grows from, so an allocation past it fails with MemoryError instead of
waking the kernel's OOM killer; address space, RLIMIT_AS, would also count the gigabytes
OCR's runtime reserves and never touches), and each document given a time limit. The
limits of all workers together and the bound on the command's own processes, watched
while the pool runs (flows/own_memory.py), make the command's memory budget
(xxgk.config.EXTRACTION_LIMITS). A worker over its time limit
is killed, one that dies is replaced, and either way the document comes back as an
extraction whose issue says why (`extraction_timeout`, `too_large`, `extraction_failed`):
the batch goes on.

Workers are forked from a server process that imported the readers once, so starting
or replacing one costs milliseconds, and no worker inherits the threads or locks of the
flow that started it. A worker reads its document itself (from the raw store or the
file), so documents never travel through the pipe, only their extractions.

`WorkerPool` is the pool; flows/executors.py's `worker_processes(limits)` is the
executor that maps extraction over a run's jobs with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from xxgk.config import EXTRACTION_LIMITS, MAIN_PROCESS_MB, extraction_limits, worker_share
from xxgk.flows.pipeline import Failure, Job, Result
from xxgk.flows.sources import SourceError, read_file
from xxgk.schemas.records import Extraction, Issue

# Imported once by the server the workers are forked from (cpca, which the extractor
# imports on first use, takes most of a second).
_PRELOAD = ["xxgk.extractors.extract", "xxgk.extractors.pdf", "xxgk.extractors.docx", "xxgk.extractors.doc",
            "xxgk.extractors.html", "xxgk.extractors.text", "cpca", "xxgk.flows.isolation"]
_OUT_OF_MEMORY = 3    # a worker's exit status when even reporting its MemoryError failed
_START_SECONDS = 120  # for the first worker, the server imports the readers
_POLL_SECONDS = 1.0   # the longest wait for a worker between looks at the command's own memory

Work = Callable[[Job], Result]


_WORKERS, _SHARE = worker_share(EXTRACTION_LIMITS["XXGK_MEMORY_MB"][0], EXTRACTION_LIMITS["XXGK_EXTRACT_WORKERS"][0])


@dataclass(frozen=True)
class Limits:
    memory: int = int(_SHARE * 1024 ** 2)  # data memory per worker (RLIMIT_DATA), bytes
    seconds: float = EXTRACTION_LIMITS["XXGK_EXTRACT_SECONDS"][0]  # per document
    workers: int = _WORKERS
    own: int = MAIN_PROCESS_MB * 1024 ** 2  # resident memory of the command's own processes, bytes

    @classmethod
    def configured(cls, workers: int | None = None) -> Limits:
        """The limits the environment sets (xxgk.config.EXTRACTION_LIMITS), else the
        defaults, for at most `workers` workers: the command's memory shared among them."""
        return cls(*extraction_limits(workers))


def over_limit(job: Job, check: str, message: str) -> Result:
    """The result of a document no worker could finish: an extraction with the reason."""
    sha256 = job.sha256
    if sha256 is None:
        try:
            sha256 = hashlib.sha256(read_file(job.source).data).hexdigest()
        except SourceError as error:
            return Failure(job.source, str(error).removeprefix(f"{job.source}: "))
    return Extraction(source=job.source, sha256=sha256, issues=[Issue(check, "error", message)]), job.info


# ── the pool ────────────────────────────────────────────────────────────────────────


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    job: Job | None = None
    started: float = 0.0


@dataclass
class WorkerPool:
    """Worker processes running `work`, each under `limits`: jobs started on idle
    workers, results collected as they finish or overrun."""

    limits: Limits
    work: Work
    workers: list[_Worker] = field(default_factory=list)

    def __enter__(self) -> WorkerPool:
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        try:
            for _ in range(self.limits.workers):
                self.workers.append(self._spawn())
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in self.workers:
            worker.process.join(timeout=1.0)
            _stop(worker)

    def idle(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is None]

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def start(self, job: Job) -> None:
        worker = self.idle()[0]
        worker.connection.send(job)
        worker.job, worker.started = job, time.monotonic()

    def finished(self, *, block: bool) -> Iterator[Result]:
        """The results of the jobs that finished or overran: waiting, with `block`, until
        one does, the nearest time limit passes or a second has (so the caller looks at
        the command's memory at least that often)."""
        busy = self.busy()
        if not busy:
            return
        timeout = min(_POLL_SECONDS, max(0.0, min(w.started for w in busy) + self.limits.seconds - time.monotonic())) \
            if block else 0.0
        ready = set(wait([w.connection for w in busy], timeout=timeout))
        for worker in busy:
            job = worker.job
            assert job is not None  # busy() holds the workers with a job
            if worker.connection in ready:
                yield self._result(worker)
            elif time.monotonic() - worker.started >= self.limits.seconds:
                self._replace(worker)
                yield over_limit(job, "extraction_timeout",
                                 f"reading the document took over the limit of {self.limits.seconds:g} s")

    def _result(self, worker: _Worker) -> Result:
        job = worker.job
        assert job is not None  # called for a busy worker only
        try:
            result = worker.connection.recv()
            worker.job = None
            return result
        except (EOFError, OSError):
            code = self._replace(worker)
        memory = f"{self.limits.memory // 1024 ** 2:,} MiB"
        if code == _OUT_OF_MEMORY:
            return over_limit(job, "too_large", f"reading the document ran out of memory (the limit is {memory})")
        cause = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return over_limit(job, "extraction_failed", f"the extraction process died ({cause}) reading the document: "
                          f"a reader library crashed, or went over the memory limit of {memory}")

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

    def _replace(self, worker: _Worker) -> int | None:
        """Kill the worker and put a fresh one in its place; its exit status."""
        _stop(worker)
        self.workers[self.workers.index(worker)] = self._spawn()
        return worker.process.exitcode


def _stop(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.connection.close()


def _serve(connection: Connection, memory: int, work: Work) -> None:
    """A worker's life: jobs in, results out, until told to stop."""
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            result = work(job)
        except MemoryError:
            result = over_limit(job, "too_large", "reading the document ran out of memory")
        except Exception as error:  # past the readers (normalizing, validating): still this document's failure
            result = over_limit(job, "extraction_failed", f"extraction failed: {type(error).__name__}: {error}")
        del job
        try:
            connection.send(result)
        except MemoryError:
            os._exit(_OUT_OF_MEMORY)
