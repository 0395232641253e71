"""Extraction throughput on generated corpora, next to a baseline measured in the same run.

    python bench/bench_extract.py [--html 400] [--pdf 40]

Runs in one process, so reports/s is per core. Baselines: parsing the same HTML with the
same parser (lxml) and nothing else; extracting the raw text of the same PDFs with
pypdfium2. Targets (issue 2): HTML ≥ 200 reports/s/core, 6-page PDF ≥ 5 reports/s/core.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

import lxml.html
import pypdfium2

from xxgk.extractors.extract import extract
from xxgk.samples.figures import random_report
from xxgk.samples.layout import Traits
from xxgk.samples.render import render

TRAITS = [Traits(), Traits(vertical_group_labels=True, wrapped_labels=True), Traits(section2_tables="one", blank="—"),
          Traits(table4="three_rows", thousands_separators=True), Traits(header_spans="misaligned", broken_header_words=True)]


def corpus(kind: str, count: int, **options) -> list[bytes]:
    rng = random.Random(7)
    return [render(random_report(rng, year=rng.choice([2019, 2020, 2021, 2022, 2023])), kind, rng.choice(TRAITS), **options)
            for _ in range(count)]


def rate(documents: list[bytes], work: Callable[[bytes], object]) -> float:
    """Documents per second, best of two passes (the first warms caches and imports)."""
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        for document in documents:
            work(document)
        best = min(best, time.perf_counter() - start)
    return len(documents) / best


def pdfium_text(document: bytes) -> None:
    pdf = pypdfium2.PdfDocument(document)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def check(documents: list[bytes], name: str) -> None:
    """A benchmark of wrong answers is worthless: every report must extract without error."""
    for i, document in enumerate(documents):
        result = extract(document, f"{name}-{i}")
        assert result.cells and not result.errors(), (name, i, result.errors()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=400)
    parser.add_argument("--pdf", type=int, default=40)
    args = parser.parse_args()
    html = corpus("html", args.html)
    pdf = corpus("pdf", args.pdf, pages=6)
    check(html[:50], "html")
    check(pdf[:10], "pdf")
    rows = [
        ("HTML", "lxml parse only", rate(html, lxml.html.document_fromstring), rate(html, lambda d: extract(d, "bench")), 200),
        ("PDF, 6 pages", "pypdfium2 text only", rate(pdf, pdfium_text), rate(pdf, lambda d: extract(d, "bench")), 5),
    ]
    print(f"{'corpus':<14}{'baseline':<22}{'baseline/s':>12}{'xxgk/s':>10}{'ratio':>8}{'target':>8}  verdict")
    for name, baseline_name, baseline, ours, target in rows:
        verdict = "ok" if ours >= target else "BELOW TARGET"
        print(f"{name:<14}{baseline_name:<22}{baseline:>12.1f}{ours:>10.1f}{ours / baseline:>8.3f}{target:>8}  {verdict}")


if __name__ == "__main__":
    main()
