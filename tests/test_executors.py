"""The executors of extraction, chosen by name (flows/executors.py): each is a MapExtract
that gives a result per job and passes a flush through after the results before it."""

from __future__ import annotations

import pytest

from xxgk.flows.executors import EXECUTORS, executor, in_process, prefect_tasks
from xxgk.flows.pipeline import FLUSH, Failure, Flush, Job
from xxgk.schemas.errors import UsageError


def test_each_executor_is_chosen_by_its_name():
    assert list(EXECUTORS) == ["in-process", "worker-processes", "prefect-tasks"]
    assert executor("in-process") is in_process and executor("prefect-tasks") is prefect_tasks
    assert callable(executor("worker-processes", workers=1))


def test_an_unknown_executor_is_a_usage_error_naming_the_known_ones():
    with pytest.raises(UsageError, match="no executor 'dask': in-process, worker-processes, prefect-tasks"):
        executor("dask")


def test_in_process_gives_a_result_per_job_and_passes_a_flush_through_in_order(tmp_path):
    missing = [Job(str(tmp_path / f"{n}.html")) for n in range(2)]
    results = list(in_process([missing[0], FLUSH, missing[1]]))
    assert [type(r) for r in results] == [Failure, Flush, Failure]
    assert [r.source for r in results if isinstance(r, Failure)] == [job.source for job in missing]
