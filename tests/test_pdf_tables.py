"""The pypdfium2 ruled-table reader gives pdfplumber's own cells and cell texts, on every generated PDF
(each template under every publishing trait, tables cut by a page break with and without
a repeated header) and every real PDF of ../shared/real/documents."""

import io

import pdfplumber
import pypdfium2
import pytest

from tests.roundtrip import NON_HTML_TRAITS, report
from tests.shared import shared, shared_cases
from xxgk.extractors.pdf import _grid
from xxgk.extractors.pdf_tables import cell_texts, find_tables
from xxgk.samples.render import render

REAL = shared("real", "documents")
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}

GENERATED = {f"{template} {trait}": (template, traits, {}) for template in ("2019", "2021")
             for trait, traits in NON_HTML_TRAITS.items()}
GENERATED.update({f"{template} cut by a page break{' under a repeated header' * repeat}":
                  (template, NON_HTML_TRAITS["template layout"], {"continuation": "split", "repeat_header": repeat})
                  for template in ("2019", "2021") for repeat in (False, True)})


def grids(tables, page_number: int) -> list:
    """What the PDF reader makes of the tables: each slot's text and whether it is a merge's copy."""
    ordered = sorted(tables, key=lambda table: table.bbox[1])
    return [[[(cell.text, cell.spanned) for cell in row] for row in _grid(table, page_number, i).rows]
            for i, table in enumerate(ordered)]


def assert_same_cells(data: bytes) -> None:
    pdf = pypdfium2.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for number, page in enumerate(plumber.pages, start=1):
            mine = pdf[number - 1]
            assert (grids(find_tables(mine, mine.get_textpage()), number)
                    == grids(page.find_tables(LINES), number)), number
    pdf.close()


def assert_same_texts(data: bytes) -> None:
    """The cell texts are Table.extract's, on pdfplumber's own tables."""
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for page in plumber.pages:
            for table in page.find_tables(LINES):
                assert cell_texts(table, table.rows) == table.extract()


CHECKS = {"cells": assert_same_cells, "cell texts": assert_same_texts}


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("name", GENERATED)
def test_generated_pdfs_give_pdfplumbers_cells_and_texts(name, check):
    template, traits, options = GENERATED[name]
    CHECKS[check](render(report(template), "pdf", traits, **options))


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("path", shared_cases(sorted(REAL.glob("*.pdf"))), ids=lambda path: path.name)
def test_real_pdfs_give_pdfplumbers_cells_and_texts(path, check):
    CHECKS[check](path.read_bytes())


def test_a_page_with_more_drawing_objects_than_the_bound_is_a_recorded_reason(monkeypatch):
    from xxgk.extractors import pdf_tables
    from xxgk.extractors.extract import extract

    monkeypatch.setattr(pdf_tables, "_MAX_OBJECTS", 10)
    extraction = extract(render(report("2021"), "pdf"), "report.pdf")
    assert [i.check for i in extraction.issues] == ["too_large"] and not extraction.cells
