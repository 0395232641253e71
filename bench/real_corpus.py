"""The real corpus, measured without truth: which real reports the pipeline reads clean.

    python bench/real_corpus.py [--shared ../shared] [--verbose]

Every document of `../shared/real/corpus/` (report pages as served, `docs/`, and flattened
page texts, `text/`, each listed in a manifest with its template) and of
`../shared/real/documents/` is extracted as `xxgk extract` would, and measured:

* the cells read per table (a published blank counts as read; a cell of a row that was
  not found, or of a run of figures left open or unreadable, does not);
* whether every identity of FORMAT.md holds;
* the findings, and the time the extraction took;

and, at the end, what the template-anchored reader costs over a template report's text.

A **template report is clean** when every cell of its template is read and every identity
holds, or a broken identity is a published error that a second reading confirms (the
template-anchored reading of the page's text gives the same figures for every cell of it).
A **legacy report is clean** when its statistics table, if it has one, is read whole and
no figure is left in doubt (`prose_ambiguous`, an unreadable figure, no figures at all, a
running total below the year's figure). The script prints the clean share and every other
document with its reasons; `tests/test_real_corpus.py` holds the suite to the list of
documents known not to be clean (`tests/data/real_corpus_not_clean.tsv`).
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.extractors.extract import extract
from xxgk.schemas.checks import IDENTITY_CHECKS
from xxgk.schemas.findings import UNREAD
from xxgk.schemas.records import Extraction, Issue

# Findings that mean a template cell was not read (its value is not the published one or is unknown).
NOT_READ = UNREAD | {"row_missing", "table_missing", "table_layout_mismatch", "template_unknown"}
# Findings that leave a legacy figure in doubt.
LEGACY_DOUBT = frozenset({"prose_ambiguous", "legacy_split_ambiguous", "unreadable_value", "legacy_figures_missing",
                          "legacy_cumulative", "ocr_uncertain", "ambiguous_alignment"})
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class Document:
    """One real document: its name relative to `real/`, its path and the template the
    manifest or truth file gives it (`2019`, `2021`, `legacy`)."""

    name: str
    path: Path
    template: str


@dataclass
class Measure:
    document: Document
    extraction: Extraction
    seconds: float
    cells_read: dict[str, tuple[int, int]] = field(default_factory=dict)  # table → (read, defined)
    identities_broken: list[Issue] = field(default_factory=list)
    confirmed: bool = False  # every broken identity's cells read alike by a second reading (extractors/reconcile.py)
    reasons: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.reasons


def documents(shared: Path) -> list[Document]:
    """The real documents with the template their manifest or truth gives them."""
    real = shared / "real"
    found: list[Document] = []
    for manifest in (real / "corpus" / "manifest.tsv", real / "corpus" / "text" / "manifest.tsv"):
        if not manifest.exists():
            continue
        with manifest.open(encoding="utf-8", newline="") as listing:
            for row in csv.DictReader(listing, delimiter="\t"):
                path = real / "corpus" / row["file"]  # both manifests name files from corpus/
                found.append(Document(str(path.relative_to(real)), path, row["template"]))
    for truth in sorted((real / "documents").glob("*.truth.json")):
        data = json.loads(truth.read_text(encoding="utf-8"))
        path = truth.parent / data["doc"]
        found.append(Document(str(path.relative_to(real)), path, data["format"]))
    return found


def measure(document: Document) -> Measure:
    data = document.path.read_bytes()
    start = time.perf_counter()
    extraction = extract(data, document.path.name)
    result = Measure(document, extraction, time.perf_counter() - start)
    result.cells_read = _cells_read(extraction)
    result.identities_broken = [i for i in extraction.issues if i.check in IDENTITY_CHECKS and i.severity == "error"]
    if document.template == "legacy":
        result.reasons = _legacy_reasons(extraction)
    else:
        confirmed = {(i.table, i.row, i.col) for i in extraction.issues if i.check == "second_reading"}
        result.confirmed = bool(result.identities_broken) and all(
            (i.table, i.row, i.col) in confirmed for i in result.identities_broken)
        result.reasons = _template_reasons(document, extraction, result)
    return result


def _cells_read(extraction: Extraction) -> dict[str, tuple[int, int]]:
    """Per table, (cells read, cells the extraction defines). A legacy report's keys are
    many more than any report prints, so there a cell is read when it holds a figure."""
    if extraction.format == "legacy":
        return {"legacy_summary": (sum(c.value is not None for c in extraction.cells), len(extraction.cells))}
    doubtful = {(i.table, i.row, i.col) for i in extraction.issues if i.check in NOT_READ}
    read: Counter[str] = Counter()
    defined: Counter[str] = Counter()
    for cell in extraction.cells:  # the sub-rows a variant row stands for are null by contract, not unread
        defined[cell.table] += 1
        read[cell.table] += not doubtful & {(cell.table, cell.row, cell.col), (cell.table, cell.row, None),
                                            (cell.table, None, None)}
    return {table: (read[table], defined[table]) for table in defined}


def _template_reasons(document: Document, extraction: Extraction, result: Measure) -> list[str]:
    reasons = []
    if extraction.format != document.template:
        reasons.append(f"read as format {extraction.format!r}, the manifest says {document.template!r}")
    for issue in extraction.issues:
        if issue.check in NOT_READ:
            reasons.append(_describe(issue))
    if result.identities_broken and not result.confirmed:
        reasons += [_describe(issue) for issue in result.identities_broken]
    return reasons


def _legacy_reasons(extraction: Extraction) -> list[str]:
    reasons = []
    if extraction.format != "legacy":
        reasons.append(f"read as format {extraction.format!r}, the manifest says 'legacy'")
    reasons += [_describe(issue) for issue in extraction.issues if issue.check in LEGACY_DOUBT]
    return reasons


def _describe(issue: Issue) -> str:
    where = ".".join(part for part in (issue.table, issue.row, issue.col) if part)
    message = issue.message if len(issue.message) <= 160 else issue.message[:157] + "…"
    return f"{issue.check}{' ' + where if where else ''}: {message}"


def report(measures: list[Measure], verbose: bool = False) -> str:
    lines = []
    for kind in ("template", "legacy"):
        group = [m for m in measures if (m.document.template == "legacy") == (kind == "legacy")]
        if not group:
            continue
        clean = sum(m.clean for m in group)
        lines.append(f"{kind} reports: {clean}/{len(group)} clean ({100 * clean / len(group):.0f}%)")
    for m in measures:
        tables = ", ".join(f"{table} {read}/{defined}" for table, (read, defined) in m.cells_read.items())
        identities = "identities hold" if not m.identities_broken else (
            f"{len(m.identities_broken)} identities broken" + (" (confirmed)" if m.confirmed else ""))
        status = "clean" if m.clean else "NOT CLEAN"
        if verbose or not m.clean:
            lines.append(f"{m.document.name} [{m.document.template}] {status}; {tables or 'no cells'}; {identities}; "
                         f"{len(m.extraction.issues)} findings; {1000 * m.seconds:.1f} ms")
        for reason in m.reasons:
            lines.append(f"    {reason}")
    total = sum(m.seconds for m in measures)
    lines.append(f"{len(measures)} documents in {total:.2f} s")
    return "\n".join(lines)


def anchored_cost(document: Document, passes: int = 5) -> float | None:
    """Milliseconds the template-anchored reader takes over the document's text in reading
    order (all three tables; best of `passes`): what a second reading of a grid document,
    or the reading of a text dump, costs. None for a legacy report."""
    from xxgk.extractors.anchored import read_tables
    from xxgk.extractors.extract import read
    from xxgk.extractors.reconcile import stream_text
    from xxgk.schemas.catalog import TEMPLATES

    if document.template not in TEMPLATES:
        return None
    text = stream_text(read(document.path.read_bytes(), document.path.name).blocks)
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        read_tables(text, TEMPLATES[document.template])
        best = min(best, time.perf_counter() - start)
    return 1000 * best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--verbose", action="store_true", help="list clean documents too")
    args = parser.parse_args()
    found = documents(args.shared)
    if not found:
        raise SystemExit(f"no real documents under {args.shared / 'real'}")
    print(report([measure(document) for document in found], args.verbose))
    costs = sorted(c for c in map(anchored_cost, found) if c is not None)
    print(f"the anchored reader over a template report's text: median {costs[len(costs) // 2]:.2f} ms, "
          f"most {costs[-1]:.2f} ms ({len(costs)} reports)")


if __name__ == "__main__":
    main()
