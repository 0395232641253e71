"""Remake the Word 97-2003 fixtures of tests/test_doc.py: generated reports rendered as
DOCX by the project's own renderer, saved as .doc by LibreOffice (a second writer of the
binary format, so the reader is not tested against a writer of its own), each with the
figures it states beside it in a .json file.

    python tests/data/word97/make.py      # needs `soffice` (Debian: libreoffice-writer-nogui)

The fixtures are committed: the tests need no LibreOffice.
"""

from __future__ import annotations

import json
import random
import subprocess
import tempfile
from pathlib import Path

from xxgk.samples.figures import ReportSpec, random_report
from xxgk.samples.layout import Traits
from xxgk.samples.legacy import LegacySpec, build_legacy_layout, random_legacy
from xxgk.samples.render import render, render_layout

HERE = Path(__file__).parent


def reports() -> dict[str, tuple[bytes, ReportSpec | LegacySpec]]:
    """name → (DOCX, the spec whose figures it states)."""
    rng = random.Random(97)
    plain, merged = random_report(rng, year=2023), random_report(rng, year=2020)
    spans = random_report(rng, year=2022)
    legacy = random_legacy(rng, year=2012)
    return {
        "template-2021": (render(plain, "docx", Traits()), plain),
        "template-2019-merged-labels": (render(merged, "docx", Traits(vertical_group_labels=True,
                                                                      wrapped_labels=True)), merged),
        "template-2021-misaligned-header": (render(spans, "docx", Traits(header_spans="misaligned",
                                                                         broken_header_words=True)), spans),
        "legacy-2012-table": (render_layout(build_legacy_layout(legacy), "docx"), legacy),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, (docx, spec) in reports().items():
            source = Path(folder, f"{name}.docx")
            source.write_bytes(docx)
            subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", str(HERE), str(source)],
                           check=True, capture_output=True, timeout=120)
            (HERE / f"{name}.json").write_text(stated(spec), encoding="utf-8")


def stated(spec: ReportSpec | LegacySpec) -> str:
    """The spec's identity and figures as JSON, a cell a line: [table, row, col, figure or null]."""
    cells = ",\n".join(json.dumps([*key, None if value is None else str(value)], ensure_ascii=False)
                       for key, value in sorted(spec.values.items()))
    return (f'{{"organ": {json.dumps(spec.organ, ensure_ascii=False)}, "year": {spec.year}, "cells": [\n'
            f"{cells}\n]}}\n")


if __name__ == "__main__":
    main()
