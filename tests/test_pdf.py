"""PDF reports: ruled tables with merged cells, continued over pages, and bad PDFs."""

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.roundtrip import assert_roundtrip, extracted, report
from xxgk.extractors.pdf import page_texts, table_page_numbers
from xxgk.samples.render import render


@pytest.mark.parametrize("repeat_header", [False, True])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_table_3_continued_on_the_next_page_with_an_empty_first_cell(template, repeat_header):
    spec = report(template)
    assert_roundtrip(render(spec, "pdf", continuation="split", repeat_header=repeat_header), spec)


def test_a_six_page_report_reads_only_its_table_pages_with_pdfplumber():
    data = render(report("2021"), "pdf", pages=6)
    texts = page_texts(data)
    assert len(texts) == 6 and table_page_numbers(texts) == [5, 6]


def test_cells_carry_their_page():
    spec = report("2021")
    extraction = assert_roundtrip(render(spec, "pdf", continuation="split"), spec)
    pages = {c.row: c.page for c in extraction.cells if c.col == "total"}
    assert pages["new_received"] == 1 and pages["carried_forward"] == 2


@pytest.mark.slow
def test_a_scanned_report_has_no_text_layer():
    extraction = extracted(render(report("2021"), "pdf", scanned=True), "scan.pdf")
    assert extraction.unreadable_reason and [i.check for i in extraction.issues] == ["no_text_layer"]


def test_a_truncated_pdf_is_corrupt_not_a_crash():
    data = render(report("2021"), "pdf")
    extraction = extracted(data[: len(data) // 2], "cut.pdf")
    assert extraction.unreadable_reason and extraction.issues[0].check == "corrupt_document"


def test_an_encrypted_pdf_says_it_needs_its_password():
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, encrypt="secret")
    page.drawString(100, 700, "report")
    page.save()
    extraction = extracted(buffer.getvalue(), "locked.pdf")
    assert extraction.unreadable_reason and extraction.issues[0].check == "encrypted_document"
