"""The real corpus in every run (bench/real_corpus.py): every real document is clean, except
those listed in data/real_corpus_not_clean.tsv with the reason they are not. A clean
document that stops being clean fails here, and so does a listed one that became clean
(take it off the list): the list only ever shrinks by being read better."""

import csv
import importlib.util
import random
import sys
from pathlib import Path

import pytest

from xxgk.samples.figures import random_report
from xxgk.samples.render import render

BENCH = Path(__file__).resolve().parents[1] / "bench" / "real_corpus.py"
SHARED = Path(__file__).resolve().parents[2] / "shared"
NOT_CLEAN = Path(__file__).parent / "data" / "real_corpus_not_clean.tsv"


def _bench():
    spec = importlib.util.spec_from_file_location("real_corpus", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_corpus", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


@pytest.fixture(scope="module")
def measures(bench):
    found = bench.documents(SHARED)
    if not found:
        pytest.skip("../shared/real is not beside the repository")
    return {m.document.name: m for m in map(bench.measure, found)}


@pytest.fixture(scope="module")
def known_not_clean() -> dict[str, str]:
    with NOT_CLEAN.open(encoding="utf-8", newline="") as listing:
        return {row["document"]: row["reason"] for row in csv.DictReader(listing, delimiter="\t")}


def test_every_listed_document_says_why_it_is_not_clean(known_not_clean):
    assert all(reason.strip() for reason in known_not_clean.values())


def test_every_document_not_listed_is_clean(measures, known_not_clean):
    stopped = {name: m.reasons for name, m in measures.items() if name not in known_not_clean and not m.clean}
    assert not stopped, f"no longer clean: {stopped}"


def test_a_listed_document_that_became_clean_is_taken_off_the_list(measures, known_not_clean):
    became_clean = [name for name in known_not_clean if name in measures and measures[name].clean]
    assert not became_clean, f"clean now, take them off {NOT_CLEAN.name}: {became_clean}"


def test_every_listed_document_is_in_the_corpus(measures, known_not_clean):
    assert not set(known_not_clean) - set(measures)


def test_the_report_prints_the_clean_share_and_each_reason(bench, measures):
    printed = bench.report(list(measures.values()))
    assert "template reports:" in printed and "clean (" in printed
    for m in measures.values():
        assert all(reason in printed for reason in m.reasons)


def _generated(tmp_path, bench, text: bytes, template: str):
    path = tmp_path / "report.txt"
    path.write_bytes(text)
    return bench.measure(bench.Document("report.txt", path, template))


def test_a_template_report_read_whole_with_its_identities_holding_is_clean(tmp_path, bench):
    spec = random_report(random.Random(3), year=2023, blank_zeros=0)
    measure = _generated(tmp_path, bench, render(spec, "text"), "2021")
    assert measure.clean, measure.reasons
    assert measure.cells_read["applications"] == (175, 175)


def test_a_template_report_with_a_row_not_found_is_not_clean_and_says_which(tmp_path, bench):
    text = render(random_report(random.Random(3), year=2023, blank_zeros=0), "text").decode()
    text = text.replace("重复申请", "重复的东西")
    measure = _generated(tmp_path, bench, text.encode(), "2021")
    assert not measure.clean
    assert any(r.startswith("row_missing applications.rejected_duplicate") for r in measure.reasons)


def test_a_template_report_whose_identity_fails_is_not_clean(tmp_path, bench):
    spec = random_report(random.Random(3), year=2023, blank_zeros=0)
    granted_total = ("applications", "granted", "total")
    spec = spec.with_values({granted_total: (spec.value(*granted_total) or 0) + 1})
    measure = _generated(tmp_path, bench, render(spec, "text"), "2021")
    assert not measure.clean and measure.identities_broken


def test_the_anchored_readers_cost_is_measured_on_template_reports_only(bench, measures):
    documents = [m.document for m in measures.values()]
    template = next(d for d in documents if d.template != "legacy")
    legacy = next(d for d in documents if d.template == "legacy")
    assert bench.anchored_cost(template, passes=1) > 0
    assert bench.anchored_cost(legacy) is None
