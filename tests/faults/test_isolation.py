"""Extraction in worker processes: a document over the memory or time limit, or one that
crashes its worker, comes back with its reason, and the batch goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.measure import run_measured
from tests.faults.workloads import misbehave
from xxgk.config import MAIN_PROCESS_MB, WORKER_MIN_MB, extraction_limits, worker_share
from xxgk.flows.executors import worker_processes
from xxgk.flows.isolation import Limits
from xxgk.flows.pipeline import FLUSH, Failure, Flush, Job
from xxgk.schemas.errors import UsageError

REPORT = "2023年度政府信息公开工作年度报告\n\n内容".encode()
LIMITS = Limits(memory=1024 ** 3, seconds=20.0, workers=2)
QUICK = Limits(memory=1024 ** 3, seconds=2.0, workers=2)


def jobs(folder: Path, documents: dict[str, bytes]) -> list[Job]:
    for name, data in documents.items():
        (folder / name).write_bytes(data)
    return [Job(str(folder / name)) for name in documents]


def checks(results) -> dict[str, str | None]:
    """Each document's name with the check of its first error (None: read)."""
    found = {}
    for result in results:
        assert not isinstance(result, Failure), result
        extraction, _ = result
        found[Path(extraction.source).name] = next((i.check for i in extraction.issues if i.severity == "error"), None)
    return found


def run(folder: Path, names: list[str], limits: Limits = LIMITS) -> dict[str, str | None]:
    results = list(worker_processes(limits, work=misbehave)(jobs(folder, {name: REPORT for name in names})))
    assert len(results) == len(names)  # each job back, once
    return checks(results)


@pytest.mark.slow
def test_a_document_over_the_memory_limit_is_too_large_and_the_batch_goes_on(tmp_path):
    found = run(tmp_path, ["a.txt", "hog.txt", "b.txt"])
    assert found["hog.txt"] == "too_large" and found["a.txt"] != "too_large" and found["b.txt"] != "too_large"


@pytest.mark.slow
def test_a_document_over_the_time_limit_is_a_timeout_and_the_batch_goes_on(tmp_path):
    started = time.monotonic()
    found = run(tmp_path, ["hang.txt", "a.txt", "b.txt", "c.txt"], QUICK)
    assert found["hang.txt"] == "extraction_timeout"
    assert "extraction_timeout" not in (found["a.txt"], found["b.txt"], found["c.txt"])
    assert time.monotonic() - started < QUICK.seconds + 10


def test_a_worker_that_crashes_is_replaced_and_its_document_recorded(tmp_path):
    found = run(tmp_path, ["crash.txt", "a.txt", "b.txt"])
    assert found["crash.txt"] == "extraction_failed" and "extraction_failed" not in (found["a.txt"], found["b.txt"])


@pytest.mark.slow
def test_bombs_in_a_batch_come_back_too_large_beside_the_readable_documents(tmp_path, docx_bomb, pdf_bomb):
    batch = jobs(tmp_path, {"bomb.docx": docx_bomb, "report.txt": REPORT, "bomb.pdf": pdf_bomb})
    found = checks(worker_processes(LIMITS)(batch))
    assert found == {"bomb.docx": "too_large", "bomb.pdf": "too_large", "report.txt": found["report.txt"]}
    assert found["report.txt"] != "too_large"


@pytest.mark.slow
def test_a_flush_passes_through_after_the_results_done_by_then(tmp_path):
    [first, second] = jobs(tmp_path, {"a.txt": REPORT, "b.txt": REPORT})

    def stream():
        yield first
        time.sleep(3)  # a quiet crawl: the first document is done by now
        yield FLUSH
        yield second

    kinds = ["flush" if isinstance(r, Flush) else Path(r[0].source).name for r in worker_processes(LIMITS)(stream())]
    assert kinds == ["a.txt", "flush", "b.txt"]


def test_the_command_memory_is_shared_by_the_workers_after_what_the_command_keeps():
    assert worker_share(4096, 2) == (2, (4096 - MAIN_PROCESS_MB) / 2)


def test_a_budget_too_small_for_the_default_workers_runs_fewer():
    assert worker_share(MAIN_PROCESS_MB + 2.5 * WORKER_MIN_MB, 4) == (2, 1.25 * WORKER_MIN_MB)


def test_a_worker_count_asked_for_that_the_budget_cannot_hold_is_refused():
    with pytest.raises(UsageError, match="raise it, or lower XXGK_EXTRACT_WORKERS"):
        worker_share(MAIN_PROCESS_MB + 2.5 * WORKER_MIN_MB, 4, explicit=True)


@pytest.mark.parametrize("value", ["1000", "nan", "inf", "-5", "lots"])
def test_a_memory_budget_that_cannot_hold_one_worker_is_refused(monkeypatch, value):
    monkeypatch.setenv("XXGK_MEMORY_MB", value)
    with pytest.raises(UsageError, match="XXGK_MEMORY_MB"):
        extraction_limits()


def test_one_document_at_a_time_gets_the_whole_share(monkeypatch):
    monkeypatch.setenv("XXGK_MEMORY_MB", "4096")
    assert extraction_limits(workers=1)[::2] == ((4096 - MAIN_PROCESS_MB) * 1024 ** 2, 1)


@pytest.mark.parametrize("budget, workers", [("4096", "2"), ("8192", "4"), ("6000", "1")])
def test_the_workers_limits_and_the_own_processes_bound_add_up_to_the_budget(monkeypatch, budget, workers):
    monkeypatch.setenv("XXGK_MEMORY_MB", budget)
    monkeypatch.setenv("XXGK_EXTRACT_WORKERS", workers)
    memory, _, count, own = extraction_limits()
    assert count == int(workers) and own == MAIN_PROCESS_MB * 1024 ** 2
    assert count * memory + own == pytest.approx(float(budget) * 1024 ** 2, abs=count)


def test_an_own_processes_bound_that_leaves_no_worker_room_is_refused(monkeypatch):
    monkeypatch.setenv("XXGK_MEMORY_MB", "4096")
    monkeypatch.setenv("XXGK_OWN_MEMORY_MB", "3000")
    with pytest.raises(UsageError, match=r"after the 3000 MiB the command's own processes keep \(XXGK_OWN_MEMORY_MB\)"):
        extraction_limits()


@pytest.fixture
def report(tmp_path) -> Path:
    (tmp_path / "report.txt").write_bytes(REPORT)
    return tmp_path / "report.txt"


@pytest.mark.slow
def test_a_command_whose_own_processes_pass_their_bound_stops_in_one_line(report):
    # 200 MiB a second (sampled every half second) up to 2 GiB, if let
    run = run_measured(str(report), "20", "100", "0.1", "0", module="tests.faults.workloads",
                       env={"XXGK_OWN_MEMORY_MB": "600"})
    assert run.status == 1 and "Traceback" not in run.stderr and run.stderr.count("\n") == 1, run.stderr
    assert "over their bound of 600 MiB (XXGK_OWN_MEMORY_MB), so it was stopped" in run.stderr
    assert run.peak_mib < 600 + 200 + 400, f"{run.peak_mib:.0f} MiB"  # a worker, and a second's growth


@pytest.mark.slow
def test_a_command_that_does_not_stop_when_asked_is_ended_with_its_processes(report):
    run = run_measured(str(report), "900", "1", "0", "120", module="tests.faults.workloads",  # then busy for 2 min
                       env={"XXGK_OWN_MEMORY_MB": "600"})
    assert run.status == 1 and "over their bound of 600 MiB" in run.stderr and "Traceback" not in run.stderr
    assert run.seconds < 40, f"{run.seconds:.0f} s"
