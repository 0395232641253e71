"""Extraction in worker processes: a document over the memory or time limit, or one that
crashes its worker, comes back with its reason, and the batch goes on."""

from __future__ import annotations

import time

from tests.faults.workloads import misbehave
from xxgk.flows.isolation import Job, Limits, map_extract

REPORT = "2023年度政府信息公开工作年度报告\n\n内容".encode()
LIMITS = Limits(memory=1024 ** 3, seconds=20.0, workers=2)
QUICK = Limits(memory=1024 ** 3, seconds=2.0, workers=2)


def run(names: list[str], limits: Limits = LIMITS) -> dict[str, str | None]:
    """Each job's name with the check of its first error (None: read)."""
    jobs = [Job(REPORT, name, key=name) for name in names]
    results = list(map_extract(jobs, limits, work=misbehave))
    assert sorted(job.key for job, _ in results) == sorted(names)  # each job back, once
    return {job.key: next((i.check for i in e.issues if i.severity == "error"), None) for job, e in results}


def test_a_document_over_the_memory_limit_is_too_large_and_the_batch_goes_on():
    checks = run(["a", "hog", "b"])
    assert checks["hog"] == "too_large" and checks["a"] != "too_large" and checks["b"] != "too_large"


def test_a_document_over_the_time_limit_is_a_timeout_and_the_batch_goes_on():
    started = time.monotonic()
    checks = run(["hang", "a", "b", "c"], QUICK)
    assert checks["hang"] == "extraction_timeout" and "extraction_timeout" not in (checks["a"], checks["b"], checks["c"])
    assert time.monotonic() - started < QUICK.seconds + 10


def test_a_worker_that_crashes_is_replaced_and_its_document_recorded():
    checks = run(["crash", "a", "b"])
    assert checks["crash"] == "extraction_failed" and "extraction_failed" not in (checks["a"], checks["b"])


def test_bombs_in_a_batch_come_back_too_large_beside_the_readable_documents(docx_bomb, pdf_bomb):
    jobs = [Job(docx_bomb, "bomb.docx"), Job(REPORT, "report.txt"), Job(pdf_bomb, "bomb.pdf")]
    results = {job.source: extraction for job, extraction in map_extract(jobs, LIMITS)}
    assert results["bomb.docx"].issues[0].check == "too_large" and results["bomb.pdf"].issues[0].check == "too_large"
    assert results["report.txt"].year == 2023
