"""Extraction throughput on generated corpora and on real reports, next to baselines
measured in the same run.

    python bench/bench_extract.py [--html 400] [--pdf 40] [--real ../shared/real/documents [FOLDER ...]]

Runs in one process, so reports/s is per core. Baselines: parsing the same HTML with the
same parser (lxml) and nothing else; extracting the raw text of the same PDFs with
pypdfium2. Targets (issue 2): HTML ≥ 200 reports/s/core, 6-page PDF ≥ 5 reports/s/core.

Real reports (issue 12), each beside the same-run baseline of the same file: a PDF against
pypdfium2's text extraction (target ≤ 10×), an HTML page against a lexbor parse through
selectolax (`pip install -e ".[bench]"`; target ≤ 5×), a text dump against decoding it and
a Word 97-2003 .doc against its conversion to DOCX alone (no target for either). Every
real document with a truth file is checked against it first.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import lxml.html
import pypdfium2

from xxgk.extractors.doc import converted
from xxgk.extractors.extract import extract
from xxgk.samples.figures import random_report
from xxgk.samples.layout import Traits
from xxgk.samples.render import render
from xxgk.schemas.charset import decode

TRAITS = [Traits(), Traits(vertical_group_labels=True, wrapped_labels=True), Traits(section2_tables="one", blank="—"),
          Traits(table4="three_rows", thousands_separators=True),
          Traits(header_spans="misaligned", broken_header_words=True)]


def corpus(kind: str, count: int, **options) -> list[bytes]:
    rng = random.Random(7)
    return [render(random_report(rng, year=rng.choice([2019, 2020, 2021, 2022, 2023])), kind, rng.choice(TRAITS),
                   **options)
            for _ in range(count)]


def rate(documents: list[bytes], work: Callable[[bytes], object]) -> float:
    """Documents per second, best of two passes (the first warms caches and imports)."""
    return len(documents) / min(_pass(documents, work) for _ in range(2))


def _pass(documents: list[bytes], work: Callable[[bytes], object]) -> float:
    start = time.perf_counter()
    for document in documents:
        work(document)
    return time.perf_counter() - start


def paired_ms(document: bytes, baseline: Callable[[bytes], object], work: Callable[[bytes], object],
              passes: int = 7, repeat: int = 10) -> tuple[float, float]:
    """Milliseconds per document of the baseline and of the work, each the best of
    `passes` passes taken in turn: on a shared machine a pass can lose half its speed to
    a neighbour, and alternating exposes both sides to the same moments."""
    documents = [document] * repeat
    best_base, best_work = float("inf"), float("inf")
    for _ in range(passes):
        best_base = min(best_base, _pass(documents, baseline))
        best_work = min(best_work, _pass(documents, work))
    return 1000 * best_base / repeat, 1000 * best_work / repeat


def pdfium_text(document: bytes) -> None:
    pdf = pypdfium2.PdfDocument(document)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def lexbor_parse(document: bytes) -> None:
    from selectolax.lexbor import LexborHTMLParser

    LexborHTMLParser(document)


# kind → (baseline name, baseline, target ratio or None)
REAL_BASELINES: dict[str, tuple[str, Callable[[bytes], object], float | None]] = {
    ".pdf": ("pypdfium2 text", pdfium_text, 10),
    ".html": ("lexbor parse", lexbor_parse, 5),
    ".htm": ("lexbor parse", lexbor_parse, 5),
    ".txt": ("decode", lambda document: decode(document, None), None),
    ".doc": ("doc2docx", converted, None),
}


def real_documents(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.suffix.lower() in REAL_BASELINES) if folder.is_dir() else []


def check_truth(path: Path) -> None:
    """A real document with a truth file must still extract to it before it is timed."""
    truth_file = path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json")
    if not truth_file.exists():
        return
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    got = {(c.table, c.row, c.col): c.value for c in extract(path.read_bytes(), path.name).cells}
    right = sum(got.get((c["table"], c["row"], c["col"]), "absent")
                == (None if c["value"] is None else Decimal(str(c["value"])))
                for c in truth["cells"])
    print(f"  {path.name}: {right}/{len(truth['cells'])} truth cells")


def real_rows(folders: list[Path]) -> None:
    paths = [path for folder in folders for path in real_documents(folder)]
    if not paths:
        print(f"no real documents in {', '.join(map(str, folders))}")
        return
    for path in paths:
        check_truth(path)
    print(f"{'real report':<38}{'baseline':<16}{'baseline ms':>12}{'xxgk ms':>9}{'ratio':>8}{'target':>8}  verdict")
    for path in paths:
        name, baseline, target = REAL_BASELINES[path.suffix.lower()]
        base_ms, ours_ms = paired_ms(path.read_bytes(), baseline, lambda d, name=path.name: extract(d, name))
        ratio = ours_ms / base_ms
        verdict = "" if target is None else ("ok" if ratio <= target else "ABOVE TARGET")
        target_text = "-" if target is None else f"≤{target}×"
        print(f"{path.name:<38}{name:<16}{base_ms:>12.2f}{ours_ms:>9.1f}{ratio:>7.1f}×{target_text:>8}  {verdict}")


def check(documents: list[bytes], name: str) -> None:
    """A benchmark of wrong answers is worthless: every report must extract without error."""
    for i, document in enumerate(documents):
        result = extract(document, f"{name}-{i}")
        assert result.cells and not result.errors(), (name, i, result.errors()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=400)
    parser.add_argument("--pdf", type=int, default=40)
    shared = Path(__file__).resolve().parents[2] / "shared" / "real" / "documents"
    parser.add_argument("--real", type=Path, nargs="+", default=[shared],
                        help="folders of real reports, a truth file beside any (default: ../shared/real/documents)")
    args = parser.parse_args()
    real_rows(args.real)
    html = corpus("html", args.html)
    pdf = corpus("pdf", args.pdf, pages=6)
    check(html[:50], "html")
    check(pdf[:10], "pdf")
    rows = [
        ("HTML", "lxml parse only", html, lxml.html.document_fromstring, 200),
        ("PDF, 6 pages", "pypdfium2 text only", pdf, pdfium_text, 5),
    ]
    print(f"{'corpus':<14}{'baseline':<22}{'baseline/s':>12}{'xxgk/s':>10}{'ratio':>8}{'target':>8}  verdict")
    for name, baseline_name, documents, work, target in rows:
        if not documents:
            continue
        baseline, ours = rate(documents, work), rate(documents, lambda d: extract(d, "bench"))
        verdict = "ok" if ours >= target else "BELOW TARGET"
        print(f"{name:<14}{baseline_name:<22}{baseline:>12.1f}{ours:>10.1f}{ours / baseline:>8.3f}{target:>8}"
              f"  {verdict}")
    if html:  # the real-HTML target's baseline on the generated pages, for want of real ones
        lexbor, ours = rate(html, lexbor_parse), rate(html, lambda d: extract(d, "bench"))
        print(f"{'HTML':<14}{'lexbor parse':<22}{lexbor:>12.1f}{ours:>10.1f}{ours / lexbor:>8.3f}"
              f"  (xxgk takes {lexbor / ours:.1f}× a lexbor parse)")


if __name__ == "__main__":
    main()
