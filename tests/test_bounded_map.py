"""Extraction submitted in chunks (flows/executors.py's bounded_map): results as chunks
finish, and a chunk that never finishes given up at its deadline."""

from concurrent.futures import Future

from xxgk.flows.executors import bounded_map
from xxgk.flows.pipeline import Failure, Job


def jobs(n: int) -> list[Job]:
    return [Job(source=f"doc{i}.html") for i in range(n)]


def done(chunk: list[Job]) -> Future:
    future: Future = Future()
    future.set_result([job.source for job in chunk])
    return future


def test_every_job_comes_back_once_from_its_chunk():
    results = list(bounded_map(jobs(5), done, Future.result, chunk=2, in_flight=1))
    assert sorted(results) == [f"doc{i}.html" for i in range(5)]


def test_a_chunk_that_never_finishes_fails_its_jobs_at_its_deadline():
    never = lambda chunk: Future()  # noqa: E731 - a worker that went silent
    results = list(bounded_map(jobs(3), never, Future.result, chunk=2, in_flight=2, chunk_seconds=0.05))
    assert [r.source for r in results] == ["doc0.html", "doc1.html", "doc2.html"]
    assert all(isinstance(r, Failure) and r.reason.startswith("extraction_timeout") for r in results)


def test_a_chunk_that_failed_fails_each_of_its_jobs_with_the_reason():
    def lost(chunk: list[Job]) -> Future:
        future: Future = Future()
        future.set_exception(RuntimeError("worker lost"))
        return future

    results = list(bounded_map(jobs(2), lost, Future.result, chunk=2, in_flight=1))
    assert [r.reason for r in results] == ["RuntimeError: worker lost"] * 2
