"""Word 97-2003 (.doc) reports: read through the DOCX they convert to, whatever they are
named; a file the converter cannot take is a recorded reason, never a traceback.

The fixtures are generated reports saved as .doc by LibreOffice (tests/data/word97/make.py),
each with the figures it states beside it."""

from __future__ import annotations

import json
import random
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from xxgk.extractors.extract import extract
from xxgk.schemas.records import Extraction

FIXTURES = Path(__file__).parent / "data" / "word97"
REPORTS = sorted(FIXTURES.glob("*.doc"))
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def stated(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def figures(extraction: Extraction) -> dict[tuple[str, str, str], Decimal | None]:
    return {(c.table, c.row, c.col): None if c.value is None else Decimal(str(c.value)) for c in extraction.cells}


def fib_start(doc: bytes) -> int:
    """Where the WordDocument stream's FIB begins: the sector opening with its wIdent."""
    return next(i for i in range(512, len(doc), 512) if doc[i:i + 2] == b"\xec\xa5")


def with_encryption_flag(doc: bytes) -> bytes:
    """The same file with the FIB's fEncrypted bit set, as Word sets it when a password is given."""
    start = fib_start(doc)
    return doc[:start + 11] + bytes([doc[start + 11] | 0x01]) + doc[start + 12:]


def with_fib_version(doc: bytes, version: int) -> bytes:
    """The same file with the FIB's nFib saying another generation of Word wrote it."""
    start = fib_start(doc)
    return doc[:start + 2] + version.to_bytes(2, "little") + doc[start + 4:]


def test_there_are_word_97_reports_to_read():
    assert len(REPORTS) >= 4


@pytest.mark.parametrize("path", REPORTS, ids=lambda path: path.stem)
def test_a_word_97_report_gives_every_figure_it_states(path):
    expected = {tuple(key): None if value is None else Decimal(value) for *key, value in stated(path)["cells"]}
    assert figures(extract(path.read_bytes(), path.name)) == expected


@pytest.mark.parametrize("path", REPORTS, ids=lambda path: path.stem)
def test_a_word_97_report_is_read_as_doc_with_its_identity_and_no_findings(path):
    extraction = extract(path.read_bytes(), path.name)
    assert (extraction.kind, extraction.organ, extraction.year) == ("doc", stated(path)["organ"], stated(path)["year"])
    assert extraction.issues == []


@pytest.mark.parametrize("name", ["report.wps", "report.docx", "report"])
def test_a_word_97_report_is_read_whatever_its_name_says(name):
    path = FIXTURES / "template-2021.doc"
    assert figures(extract(path.read_bytes(), name)) == figures(extract(path.read_bytes(), path.name))


def test_a_password_protected_word_97_report_is_an_encrypted_document():
    extraction = extract(with_encryption_flag((FIXTURES / "template-2021.doc").read_bytes()), "report.doc")
    assert [i.check for i in extraction.issues] == ["encrypted_document"]
    assert "password" in extraction.unreadable_reason and "Word 97-2003" in extraction.unreadable_reason


@pytest.mark.parametrize("version", [0x0065, 0x0068], ids=["Word 6.0", "Word 95"])
def test_a_word_document_older_than_word_97_is_an_unsupported_format_named_as_such(version):
    extraction = extract(with_fib_version((FIXTURES / "template-2021.doc").read_bytes(), version), "report.doc")
    assert [i.check for i in extraction.issues] == ["unsupported_format"]
    assert "Word 6.0/95" in extraction.unreadable_reason


def test_a_compound_file_named_doc_without_a_word_stream_is_a_corrupt_document():
    extraction = extract(OLE2 + random.Random(0).randbytes(4096), "report.doc")
    assert [i.check for i in extraction.issues] == ["corrupt_document"]
    assert "Word 97-2003 (.doc)" in extraction.unreadable_reason


def test_a_word_97_report_cut_short_is_a_corrupt_document():
    data = (FIXTURES / "template-2021.doc").read_bytes()
    assert [i.check for i in extract(data[:len(data) // 2], "report.doc").issues] == ["corrupt_document"]


@pytest.mark.parametrize("name, kind", [("figures.xls", "Excel 97-2003"), ("report.wps", "WPS's own format")])
def test_another_compound_file_without_a_word_stream_stays_an_unsupported_format_and_names_its_kind(name, kind):
    extraction = extract(OLE2 + random.Random(0).randbytes(4096), name)
    assert [i.check for i in extraction.issues] == ["unsupported_format"]
    assert kind in extraction.unreadable_reason


def test_reading_a_word_97_report_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = (FIXTURES / "template-2021.doc").read_bytes()
    extract(data, "report.doc")
    extract(with_encryption_flag(data), "report.doc")
    assert list(tmp_path.iterdir()) == []
