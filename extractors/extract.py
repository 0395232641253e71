"""One document in, one `Extraction` out: sniff, read, metadata, normalize, validate.

A report with a template table is normalized and validated, then its narrative is
checked against the table; a report before the template (format `legacy`) is read into
`legacy_summary` from its statistics table or its prose; OCR'd figures are doubted
where the scan or the identities give reason.

This is the function `xxgk extract` and the pipeline call. It never raises for a bad
document: a document that cannot be read yields an Extraction whose issue says why (its
`unreadable_reason`), so a batch records the reason and goes on.
"""

from __future__ import annotations

import hashlib

from xxgk.extractors.grid import ParsedDocument, ReadError
from xxgk.extractors.legacy import extract_legacy, is_legacy
from xxgk.extractors.metadata import detect_metadata
from xxgk.extractors.narrative import check_narrative
from xxgk.extractors.normalize import detect_template, detect_template_in_text
from xxgk.extractors.normalize import normalize as normalize_blocks
from xxgk.extractors.ocr import distrust_ocr
from xxgk.extractors.reconcile import needs_second_reading, reconcile
from xxgk.extractors.script import as_simplified
from xxgk.extractors.sniff import sniff
from xxgk.schemas.catalog import TEMPLATES, template_for_year
from xxgk.schemas.charset import decode
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.records import Extraction, Issue
from xxgk.schemas.validate import validate

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


def extract(data: bytes, source: str, *, charset: str | None = None, listing: ReportIdentity = ReportIdentity(),
            given: ReportIdentity = ReportIdentity(), max_bytes: int = MAX_DOCUMENT_BYTES) -> Extraction:
    """Extract one report. `charset` is what the server declared (Content-Type), if anything;
    `listing` is what the portal's listing says of the report, `given` what the caller
    states (CLI --jurisdiction, --organ, --year): the identity is settled from them and the
    document by schemas/identity.py."""
    extraction = Extraction(source=source, sha256=hashlib.sha256(data).hexdigest())
    try:
        document = read(data, source, charset, max_bytes)
    except ReadError as error:
        extraction.issues.append(Issue(error.check, "error", error.message))
        return extraction
    except MemoryError:  # over the memory limit of an isolated worker (flows/isolation.py)
        extraction.issues.append(Issue("too_large", "error", "reading the document ran out of memory"))
        return extraction
    except Exception as error:  # a library choking on an odd file: recorded, never a traceback in a batch
        extraction.issues.append(Issue("extraction_failed", "error",
                                       f"the reader failed on this document: {type(error).__name__}: {error}"))
        return extraction
    extraction.kind = document.kind
    extraction.issues.extend(document.issues)
    meta = detect_metadata(document.text, document.title_hint, listing=listing, given=given)
    extraction.title, extraction.organ, extraction.year = meta.title, meta.organ, meta.year
    extraction.jurisdiction_code, extraction.jurisdiction_name = meta.jurisdiction_code, meta.jurisdiction_name
    extraction.issues.extend(meta.issues)
    expected, templates = template_for_year(meta.year), list(TEMPLATES.values())
    if document.grids:
        template = detect_template(document.grids, templates) or expected
    else:  # a stream of text, read against the template it prints where its year has one
        template = expected and detect_template_in_text(document.text, templates, expected)
    if template is None and is_legacy(meta.year, document.blocks):
        extraction.format = "legacy"
        extraction.cells, legacy_issues = extract_legacy(document.blocks, meta.year)
        extraction.issues.extend(distrust_ocr(extraction.cells, legacy_issues))
        return extraction
    if template is None:
        extraction.issues.append(Issue("template_unknown", "error",
                                       "no statistical table of the 2019 or 2021 template was found"))
        return extraction
    extraction.format = template.name
    cells, issues = normalize_blocks(document.blocks, template)
    issues = distrust_ocr(cells, issues, template.name)
    findings = validate(cells, template.name, issues)
    if _read_twice(document) and needs_second_reading(issues + findings):
        cells, issues = reconcile(document.blocks, template, cells, issues)
        findings = validate(cells, template.name, issues)
    extraction.cells = cells
    extraction.issues.extend(issues)
    extraction.issues.extend(findings)
    extraction.issues.extend(check_narrative(document.blocks, cells, issues))
    return extraction


def _read_twice(document: ParsedDocument) -> bool:
    """Grids read from a layout (HTML, PDF, DOCX) get a second, template-anchored reading of
    their text where the first leaves something open; a text dump has had it already, and an
    OCR'd page's text is no second witness of its cells."""
    return document.kind != "text" and bool(document.grids) and not any(i.check == "ocr" for i in document.issues)


def read(data: bytes, source: str, charset: str | None = None, max_bytes: int = MAX_DOCUMENT_BYTES) -> ParsedDocument:
    """The reader for the document's kind; raises ReadError when nothing can be read."""
    if not data.strip():
        raise ReadError("empty_document", "the document is empty")
    if len(data) > max_bytes:
        raise ReadError("too_large", f"the document has {len(data):,} bytes, over the limit of {max_bytes:,}")
    kind = sniff(data, source)
    if kind.startswith("unsupported:"):
        raise ReadError("unsupported_format", f"unsupported document format: {kind.split(':', 1)[1]}")
    if kind.startswith("encrypted:"):
        raise ReadError("encrypted_document",
                        f"the document cannot be read without its password: {kind.split(':', 1)[1]}")
    if kind.startswith("corrupt:"):
        raise ReadError("corrupt_document", f"the document is damaged: {kind.split(':', 1)[1]}")
    if kind == "pdf":
        from xxgk.extractors.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from xxgk.extractors.docx import read_docx

        return read_docx(data)
    if kind == "doc":
        from xxgk.extractors.doc import read_doc

        return read_doc(data)
    if kind == "html":
        from xxgk.extractors.html import read_html

        return read_html(data, charset)
    from xxgk.extractors.text import read_text

    text, notes = as_simplified(decode(data, charset)[0])
    document = read_text(text)
    document.issues.extend(notes)
    return document
