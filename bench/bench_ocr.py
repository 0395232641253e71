"""Scanned and legacy reports: OCR seconds per page and cell accuracy; legacy figures recovered.

    python bench/bench_ocr.py [--scans 4] [--legacy 30]

Scans are generated reports printed to PDF and rasterised (150–200 dpi, tilted up to a
degree, specks), read back by `extract`. Baseline in the same run: pdfium rendering the
same pages at the same resolution, the part of the work that is not recognition. A cell is
right when it has the published value, blank-but-flagged when it is blank with an
`ocr_uncertain`/`unreadable_value` finding (not invented), wrong otherwise. Legacy reports
are generated from figures in HTML, PDF and text, with and without their statistics table;
a figure is recovered when it comes back with its value.
"""

from __future__ import annotations

import argparse
import random
import time

import pypdfium2

from xxgk.extractors.extract import extract
from xxgk.samples.figures import random_report
from xxgk.samples.legacy import build_legacy_layout, random_legacy, without_cumulative
from xxgk.samples.render import SUFFIX, render, render_layout
from xxgk.samples.scan import scan
from xxgk.schemas.legacy import LEGACY_KEYS

SCAN_SETTINGS = [(200, 0.4, 0.005), (170, -0.8, 0.01), (150, 1.0, 0.02), (185, -0.3, 0.015)]


def render_seconds(document: bytes, dpi: int) -> float:
    start = time.perf_counter()
    pdf = pypdfium2.PdfDocument(document)
    for page in pdf:
        page.render(scale=dpi / 72, grayscale=True).to_numpy()
    pdf.close()
    return time.perf_counter() - start


def scans(count: int) -> None:
    if count <= 0:
        return
    rng = random.Random(11)
    pages = seconds = baseline = 0.0
    right = flagged = wrong = total = 0
    for index in range(count):
        dpi, angle, noise = SCAN_SETTINGS[index % len(SCAN_SETTINGS)]
        spec = random_report(rng, year=rng.choice([2020, 2022, 2023]), scale=rng.choice([60, 3000]))
        document = scan(render(spec, "pdf"), dpi=dpi, angle=angle, noise=noise, seed=index)
        baseline += render_seconds(document, dpi)
        start = time.perf_counter()
        extraction = extract(document, f"scan-{index}.pdf")
        seconds += time.perf_counter() - start
        pages += len(pypdfium2.PdfDocument(document))
        got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
        doubted = {(i.table, i.row, i.col) for i in extraction.issues
                   if i.check in ("ocr_uncertain", "unreadable_value")}
        for key, want in spec.values.items():
            total += 1
            if got.get(key, "absent") == want:
                right += 1
            elif got.get(key) is None and key in doubted:
                flagged += 1
            else:
                wrong += 1
        print(f"  scan {index}: {dpi} dpi, {angle:+.1f}°, noise {noise:.3f}: "
              f"{sum(got.get(k, 'absent') == v for k, v in spec.values.items())}/{len(spec.values)} cells right")
    print(f"OCR: {seconds / pages:.1f} s/page over {int(pages)} pages "
          f"(pdfium rendering alone: {baseline / pages:.2f} s/page, ratio {seconds / max(baseline, 1e-9):.0f}x)")
    print(f"cells: {right}/{total} right ({right / total:.1%}), {flagged} blank and flagged, {wrong} wrong")


def legacy(count: int) -> None:
    rng = random.Random(5)
    recovered = stated = reports = 0
    elapsed = 0.0
    for index in range(count):
        spec = random_legacy(rng, year=rng.randint(2008, 2018))
        kind = ("html", "pdf", "text")[index % 3]
        table = index % 2 == 0
        want = spec if table else without_cumulative(spec)
        layout = build_legacy_layout(spec, table=table, phrasing=index, parts_apart=index % 4 == 0)
        document = render_layout(layout, kind)
        start = time.perf_counter()
        extraction = extract(document, f"legacy-{index}{SUFFIX[kind]}")
        elapsed += time.perf_counter() - start
        got = {(c.row, c.col): c.value for c in extraction.cells}
        for key in LEGACY_KEYS:
            for col in ("year_value", "cumulative"):
                if want.value(key, col) is not None:
                    stated += 1
                    recovered += got.get((key, col)) == want.value(key, col)
        reports += 1
    print(f"legacy: {recovered}/{stated} figures recovered ({recovered / stated:.1%}), "
          f"{recovered / reports:.1f} per report, {reports / elapsed:.1f} reports/s extracted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=4)
    parser.add_argument("--legacy", type=int, default=30)
    args = parser.parse_args()
    legacy(args.legacy)
    scans(args.scans)


if __name__ == "__main__":
    main()
