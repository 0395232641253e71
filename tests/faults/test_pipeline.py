"""The pipeline with isolated extraction: bombs in a batch are recorded as too large and
every readable report beside them loads."""

from __future__ import annotations

import random

import pytest

from xxgk.flows.executors import worker_processes
from xxgk.flows.isolation import Limits
from xxgk.flows.pipeline import load_files
from xxgk.samples.figures import random_report
from xxgk.samples.render import render


@pytest.mark.slow
def test_bombs_are_recorded_and_the_readable_reports_load(tmp_path, docx_bomb, pdf_bomb):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.html").write_bytes(render(random_report(random.Random(3)), "html"))
    (folder / "bomb.docx").write_bytes(docx_bomb)
    (folder / "bomb.pdf").write_bytes(pdf_bomb)
    summary = load_files([str(folder)], warehouse=str(tmp_path / "w.duckdb"),
                         map_extract=worker_processes(Limits(memory=1024 ** 3, seconds=60.0, workers=2)))
    assert (summary.loaded.loaded, summary.loaded.unreadable) == (1, 2)
    assert summary.issues_by_check.get("too_large") == 2
