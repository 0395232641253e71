"""Word 97-2003 (.doc) reports → paragraphs and grids, through the DOCX they convert to.

Portals still post reports as .doc, and WPS Office saves its .wps files in the same
binary format (an OLE compound file holding a `WordDocument` stream). In that format a
table lives in paragraph properties: the text marks each cell's end and each row's end
with the same character, and only the properties of the paragraph tell an empty cell
from the end of a row, or a merged cell from two. So the text alone cannot be read as
a table; a wrong split would be a wrong figure. doc2docx (the `msdoc2docx` package) is a
pure-Python converter that follows Microsoft's published specification with bounded
parsers; it rewrites the file as the DOCX it would have been, and the DOCX reader reads
that, merges and all: one reading of Word tables for both formats. The converter works
on files, so the document passes through a private temporary folder, removed after.
Time and memory are bounded by the worker a document is extracted in (flows/isolation.py);
the converted package is judged by the DOCX reader's bounds like any other.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from doc2docx import convert
from doc2docx.errors import Doc2DocxError, EncryptedDocumentError, UnsupportedFeatureError

from xxgk.extractors.compound import WORD_97
from xxgk.extractors.docx import read_docx
from xxgk.extractors.grid import ParsedDocument, ReadError


def read_doc(data: bytes) -> ParsedDocument:
    """The document's paragraphs and grids in reading order, as the DOCX reader gives them."""
    return dataclasses.replace(read_docx(converted(data)), kind="doc")


def converted(data: bytes) -> bytes:
    """The DOCX the converter makes of the document. Raises ReadError: encrypted_document
    for a password-protected file, unsupported_format for what the converter declares
    beyond it, corrupt_document for a file it rejects."""
    with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as folder:
        source, target = Path(folder, "report.doc"), Path(folder, "report.docx")
        source.write_bytes(data)
        try:
            convert(source, target)
        except EncryptedDocumentError:
            raise ReadError("encrypted_document", "the document cannot be read without its password: "
                            f"a password-protected {WORD_97} document") from None
        except UnsupportedFeatureError as error:
            raise ReadError("unsupported_format", f"a {WORD_97} document the converter cannot read: {error}") from None
        except Doc2DocxError as error:
            raise ReadError("corrupt_document", f"the document is damaged: a {WORD_97} file the converter "
                            f"rejects ({error})") from None
        return target.read_bytes()
