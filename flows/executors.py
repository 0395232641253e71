"""How extraction is mapped over a run's jobs: every executor, behind one interface.

An executor is a `MapExtract` (flows/pipeline.py): it takes the stream of `Job`s and
`Flush`es, pulls it lazily, and yields each job's `Result` (in any order) and each
`Flush` after the results finished by then. The pipeline is handed one and knows no
more; the edges choose one by its name, here (`executor`):

* `in-process`: each job in the caller's thread, one after the other;
* `worker-processes`: in a pool of worker processes, each under a memory limit and a
  time limit per document (flows/isolation.py), so no document can take the run down:
  what `xxgk extract`, `xxgk crawl`, `xxgk load` and the flows on their default thread
  runner use;
* `prefect-tasks`: as Prefect tasks on the running flow's task runner (the flows on a
  Dask cluster), in chunks of EXTRACT_CHUNK, never more than IN_FLIGHT chunks pending,
  each chunk given up after CHUNK_TIMEOUT (`bounded_map`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from xxgk.flows.isolation import Limits, Work, WorkerPool
from xxgk.flows.own_memory import OwnMemoryGuard
from xxgk.flows.pipeline import Failure, Flush, Job, MapExtract, Result, extract_job
from xxgk.schemas.errors import UsageError

# One task per document spent more time reporting to the Prefect API than extracting;
# chunks of 64 left the two workers of a 2-core machine idle less than chunks of 16.
EXTRACT_CHUNK = 64  # documents per extraction task
IN_FLIGHT = 64  # chunks submitted and not yet collected
# Seconds a chunk may take before the flow gives it up (the readers bound each document far
# below). Enforced where the flow waits (`bounded_map`), not as the task's timeout: a task on
# a Dask worker's thread cannot be interrupted, and Prefect warns of that on every task run.
CHUNK_TIMEOUT = 30 * 60


def executor(name: str, *, workers: int | None = None) -> MapExtract:
    """The executor called `name` (EXECUTORS); `workers`: the worker processes a
    `worker-processes` executor needs at most (its limits are the configured ones,
    xxgk/config.py's EXTRACTION_LIMITS)."""
    try:
        return EXECUTORS[name](workers)
    except KeyError:
        raise UsageError(f"no executor {name!r}: {', '.join(EXECUTORS)}") from None


def in_process(jobs: Iterable[Job | Flush]) -> Iterator[Result | Flush]:
    return (job if isinstance(job, Flush) else extract_job(job) for job in jobs)


def worker_processes(limits: Limits = Limits(), work: Work = extract_job) -> MapExtract:
    """The executor running `work` (a module-level function: workers import it by name)
    in worker processes under `limits`, the command's own processes held to `limits.own`
    meanwhile (OverMemory past it, flows/own_memory.py). Jobs are pulled only as workers
    free up; a Flush passes through after the results finished by then."""
    def mapped(jobs: Iterable[Job | Flush]) -> Iterator[Result | Flush]:
        with OwnMemoryGuard(limits.own) as guard, WorkerPool(limits, work) as pool:
            for job in jobs:
                guard.check()
                if isinstance(job, Flush):
                    yield from pool.finished(block=False)
                    yield job
                    continue
                while not pool.idle():
                    yield from pool.finished(block=True)
                    guard.check()
                pool.start(job)
            while pool.busy():
                yield from pool.finished(block=True)
                guard.check()
    return mapped


def prefect_tasks(jobs: Iterable[Job | Flush]) -> Iterator[Result | Flush]:
    """Prefect tasks on the running flow's task runner: chunks submitted as the jobs
    stream in, results yielded as chunks finish."""
    yield from bounded_map(jobs, _submit, lambda future: future.result().result(), chunk=EXTRACT_CHUNK,
                           in_flight=IN_FLIGHT, chunk_seconds=CHUNK_TIMEOUT)


EXECUTORS: dict[str, Callable[[int | None], MapExtract]] = {
    "in-process": lambda workers: in_process,
    "worker-processes": lambda workers: worker_processes(Limits.configured(workers)),
    "prefect-tasks": lambda workers: prefect_tasks,
}


def extract_chunk(jobs: list[Job]) -> list[Result]:
    """The body of a Prefect extraction task: a chunk's jobs, extracted."""
    return [extract_job(job) for job in jobs]


@functools.cache
def _extract_task() -> Any:
    """The Prefect task, made on first use: Prefect is imported only by the flows."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    return task(name="extract documents", cache_policy=NO_CACHE)(extract_chunk)


def _submit(chunk: list[Job]) -> Future:
    """The chunk's task, seen through a standard future that completes with it (so the
    pipeline waits on Prefect's futures, threads' or Dask's, in one way)."""
    bridge: Future = Future()
    _extract_task().submit(chunk).add_done_callback(bridge.set_result)
    return bridge


def bounded_map(jobs: Iterable[Job | Flush], submit: Callable[[list[Job]], Future],
                outcome: Callable[[Future], list[Result]], *, chunk: int = 1, in_flight: int,
                chunk_seconds: float | None = None) -> Iterator[Result | Flush]:
    """Jobs submitted in chunks, results yielded as chunks finish, never more than
    `in_flight` chunks pending. The jobs are pulled lazily in the caller's thread, so a
    stream is never read far ahead of extraction; a chunk whose execution failed (a lost
    worker, a time limit) is one `Failure` per job. A chunk not done `chunk_seconds` after
    it was submitted is given up here, where waiting can stop (a task on a worker thread
    cannot be interrupted): its jobs are failures, and whatever it still does is ignored."""
    pending: dict[Future, tuple[list[Job], float]] = {}
    waiting: list[Job] = []

    def until_due(timeout: float | None) -> float | None:
        """The wait, shortened to the first chunk's deadline."""
        if chunk_seconds is None or not pending:
            return timeout
        first = max(0.0, min(deadline for _, deadline in pending.values()) - time.monotonic())
        return first if timeout is None else min(timeout, first)

    def finished(timeout: float | None) -> Iterator[Result]:
        done, _ = wait(pending, timeout=until_due(timeout), return_when=FIRST_COMPLETED)
        for future in done:
            chunk_jobs, _ = pending.pop(future)
            try:
                yield from outcome(future)
            except Exception as error:
                yield from (Failure(job.source, f"{type(error).__name__}: {error}") for job in chunk_jobs)
        now = time.monotonic()
        for future, (chunk_jobs, deadline) in list(pending.items()):
            if deadline <= now:
                del pending[future]
                future.cancel()
                yield from (Failure(job.source, f"extraction_timeout: its chunk of {len(chunk_jobs)} documents "
                                                f"took over {chunk_seconds:g} s") for job in chunk_jobs)

    def send() -> None:
        deadline = time.monotonic() + chunk_seconds if chunk_seconds is not None else float("inf")
        pending[submit(list(waiting))] = (list(waiting), deadline)
        waiting.clear()

    for job in jobs:
        if isinstance(job, Flush):
            if waiting:
                send()
            yield from finished(0)
            yield job
            continue
        waiting.append(job)
        if len(waiting) == chunk:
            send()
        while len(pending) >= in_flight:
            yield from finished(None)
    if waiting:
        send()
    while pending:
        yield from finished(None)
