"""Hostile documents against the readers: each ends as a recorded reason or a complete
reading, within its bound of time and memory."""

from __future__ import annotations

import functools
import random
import time
import tracemalloc
from contextlib import contextmanager

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from tests.faults import bombs
from xxgk.extractors import pdf_streams
from xxgk.extractors.bounds import MAX_GRIDS, MAX_STREAM_BYTES, check_pdf_streams
from xxgk.extractors.docx import read_docx
from xxgk.extractors.extract import extract
from xxgk.extractors.grid import ReadError
from xxgk.extractors.html import read_html
from xxgk.extractors.pdf import page_texts
from xxgk.extractors.pdf_streams import Objects, decoded
from xxgk.extractors.text import read_text
from xxgk.samples import pdf as sample_pdf
from xxgk.samples.figures import random_report
from xxgk.samples.render import render

MiB = 1024 * 1024


@contextmanager
def bounded(seconds: float, megabytes: float):
    """Assert the block ran within `seconds` and allocated at most `megabytes` at its peak."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1] / MiB
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < seconds and peak < megabytes, f"{elapsed:.1f} s, {peak:.0f} MiB"


def unreadable(extraction) -> str:
    [issue] = [i for i in extraction.issues if i.severity == "error"]
    return issue.check


def test_a_docx_that_inflates_hundreds_of_times_its_size_is_too_large_before_inflating(docx_bomb):
    with bounded(seconds=3, megabytes=20):
        extraction = extract(docx_bomb, "bomb.docx")
    assert unreadable(extraction) == "too_large" and "decompression bomb" in extraction.unreadable_reason


CHAINS = [["FlateDecode"], ["ASCIIHexDecode"], ["ASCII85Decode"], ["RunLengthDecode"], ["LZWDecode"],
          ["ASCIIHexDecode", "FlateDecode"], ["ASCII85Decode", "FlateDecode"], ["ASCII85Decode", "LZWDecode"],
          ["FlateDecode", "RunLengthDecode"], ["FlateDecode", "FlateDecode"],
          ["ASCII85Decode", "ASCIIHexDecode", "FlateDecode"],
          # a predictor between
          *[[f"FlateDecode/{kind}", "FlateDecode"] for kind in ("Sub", "Up", "Average", "Paeth")]]
NAMES = ["-".join(chain) for chain in CHAINS]
TEXT_ENCODINGS = ("ASCIIHexDecode", "ASCII85Decode")  # no bomb by themselves: they shrink


def decoded_sizes(document: bytes) -> dict[int, int]:
    objects = Objects(document, MAX_STREAM_BYTES)
    return {stream.number: sum(map(len, decoded(objects, stream))) for stream in objects.streams()}


@pytest.mark.parametrize("chain", CHAINS, ids=NAMES)
def test_a_stream_is_measured_by_what_a_pdf_reader_decodes_it_to(chain):
    content = [bombs.TEXT, bombs.Run(b" ", 70_000), b"BT /F1 9 Tf 72 700 Td (" + b"abcab" * 900 + b") Tj ET"]
    document = bombs.pdf(content, chain)
    assert "Disguised" in page_texts(document)[0] and "abcab" * 100 in page_texts(document)[0]
    assert decoded_sizes(document)[4] == len(bombs.TEXT) + 70_000 + len(content[2])


@pytest.mark.parametrize("chain", [c for c in CHAINS if c[-1] not in TEXT_ENCODINGS],
                         ids=[n for c, n in zip(CHAINS, NAMES, strict=True) if c[-1] not in TEXT_ENCODINGS])
@pytest.mark.slow
def test_a_bomb_behind_any_filter_chain_is_too_large(chain):
    bomb = bombs.pdf_bomb(MAX_STREAM_BYTES + MiB, chain)
    with bounded(seconds=60, megabytes=64):
        extraction = extract(bomb, "bomb.pdf")
    assert unreadable(extraction) == "too_large" and "decodes to over" in extraction.unreadable_reason


DISGUISES = {  # how a filter chain can be written, each read by a PDF library the same way
    "image dictionary before it": lambda content, chain: bombs.pdf(content, chain, decoy=True),
    "escaped filter names":
        lambda content, chain: bombs.pdf(content, chain).replace(b"/FlateDecode", b"/Fl#61teDecode"),
    "filter chain in its own object": lambda content, chain: bombs.pdf(content, chain, filter_in="object"),
    "filter chain in an object stream": lambda content, chain: bombs.pdf(content, chain, filter_in="object stream"),
}


@pytest.mark.parametrize("disguise", DISGUISES)
def test_a_disguised_stream_is_measured_by_what_a_pdf_reader_decodes_it_to(disguise):
    document = DISGUISES[disguise]([bombs.TEXT, bombs.Run(b" ", 70_000)], ["ASCIIHexDecode", "FlateDecode"])
    assert "Disguised" in page_texts(document)[0]
    assert decoded_sizes(document)[4] == len(bombs.TEXT) + 70_000


@pytest.mark.slow
@pytest.mark.parametrize("disguise", DISGUISES)
def test_a_disguised_bomb_is_too_large(disguise):
    document = DISGUISES[disguise]([bombs.TEXT, bombs.Run(b" ", MAX_STREAM_BYTES + MiB)],
                                   ["ASCIIHexDecode", "FlateDecode"])
    with bounded(seconds=60, megabytes=64):
        extraction = extract(document, "bomb.pdf")
    assert unreadable(extraction) == "too_large" and "decodes to over" in extraction.unreadable_reason


def test_an_lzw_stream_too_long_to_judge_quickly_is_too_large(monkeypatch):
    monkeypatch.setattr(pdf_streams, "MAX_SLOW_BYTES", 64 * 1024)
    document = bombs.pdf([bombs.TEXT, random.Random(0).randbytes(100_000)], ["LZWDecode"])  # no shorter coded
    extraction = extract(document, "slow.pdf")
    assert unreadable(extraction) == "too_large" and "LZW data over 65,536 bytes" in extraction.unreadable_reason


def test_a_vertical_merge_of_thousands_of_rows_is_read_in_linear_time():
    with bounded(seconds=15, megabytes=200):  # a recursion once: 70 s, then RecursionError
        [grid] = read_docx(bombs.docx_vertical_merge(3000)).grids
    assert len(grid.rows) == 3000 and grid.rows[-1][0].spanned and grid.rows[-1][0].text == "merged"
    assert grid.rows[-1][1].text == "2999"


@pytest.mark.slow
def test_rowspans_to_the_end_of_a_long_table_are_bounded():
    with bounded(seconds=15, megabytes=300):  # rows² once: 900 MB
        extraction = extract(bombs.html_rowspans(8000), "rowspans.html")
    assert unreadable(extraction) == "too_large"


def test_text_grids_up_to_the_cap_are_all_read_in_linear_time():
    with bounded(seconds=10, megabytes=100):
        document = read_text(bombs.text_grids(MAX_GRIDS))
    assert [g.index for g in document.grids] == list(range(MAX_GRIDS))


def test_html_tables_up_to_the_cap_are_all_read_in_linear_time():
    with bounded(seconds=10, megabytes=200):
        document = read_html(bombs.html_tables(MAX_GRIDS))
    assert [g.index for g in document.grids] == list(range(MAX_GRIDS))


@pytest.mark.parametrize("document, name", [(bombs.text_grids(MAX_GRIDS + 1).encode(), "grids.txt"),
                                            (bombs.html_tables(60_000), "tables.html")], ids=["text", "html"])
@pytest.mark.slow
def test_more_grids_than_any_report_holds_is_too_large(document, name):
    with bounded(seconds=20, megabytes=600):  # 60k tables once: over 90 s
        extraction = extract(document, name)
    assert unreadable(extraction) == "too_large" and "tables" in extraction.unreadable_reason


ENCRYPTED_PACKAGE = {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + bytes(200),
                     "EncryptedPackage": bytes(9000)}


@pytest.mark.parametrize("name", ["report.docx", "report.doc", "report"])
def test_a_password_protected_docx_is_an_encrypted_document_whatever_its_name(name):
    extraction = extract(bombs.compound(ENCRYPTED_PACKAGE), name)
    assert unreadable(extraction) == "encrypted_document" and "password" in extraction.unreadable_reason


def test_a_word_stream_the_converter_rejects_is_a_corrupt_document_whatever_its_name():
    for name in ("report.doc", "report"):
        extraction = extract(bombs.compound({"WordDocument": bytes(5000), "1Table": bytes(10)}), name)
        assert unreadable(extraction) == "corrupt_document" and "Word 97-2003" in extraction.unreadable_reason


def test_a_compound_file_whose_directory_chain_loops_is_read_once():
    with bounded(seconds=5, megabytes=20):
        extraction = extract(bombs.compound(ENCRYPTED_PACKAGE, directory_loop=True), "loop.docx")
    assert unreadable(extraction) == "encrypted_document"


# ── encrypted PDFs: the standard security handler for the empty password (pdf_crypt.py) ──

LOCKS = ["RC4-40", "RC4-128", "AES-128", "AES-256"]


@pytest.mark.parametrize("disguise", ["plain", "image dictionary before it", "filter chain in an object stream"])
@pytest.mark.parametrize("method", LOCKS)
def test_an_encrypted_stream_is_measured_by_what_it_decrypts_and_decodes_to(method, disguise):
    content = [bombs.TEXT, bombs.Run(b" ", 70_000)]
    options = {"plain": {}, "image dictionary before it": {"decoy": True},
               "filter chain in an object stream": {"filter_in": "object stream"}}[disguise]
    document = bombs.pdf(content, ["ASCIIHexDecode", "FlateDecode"], lock=bombs.Lock(method), **options)
    assert "Disguised" in page_texts(document)[0]  # the PDF library opens it without a password
    assert decoded_sizes(document)[4] == len(bombs.TEXT) + 70_000


@pytest.mark.parametrize("chain", [["FlateDecode"], ["ASCII85Decode", "LZWDecode"], ["FlateDecode", "FlateDecode"]],
                         ids=["flate", "ascii85-lzw", "flate-flate"])
@pytest.mark.parametrize("method", LOCKS)
@pytest.mark.slow
def test_a_bomb_in_an_encrypted_pdf_is_too_large(method, chain):
    bomb = bombs.pdf([bombs.TEXT, bombs.Run(b" ", MAX_STREAM_BYTES + MiB)], chain, decoy=True,
                     lock=bombs.Lock(method))
    with bounded(seconds=60, megabytes=64):
        extraction = extract(bomb, "bomb.pdf")
    assert unreadable(extraction) == "too_large" and "decodes to over" in extraction.unreadable_reason


def test_a_report_encrypted_to_forbid_copying_is_read_as_its_plain_twin(monkeypatch):
    report = render(random_report(random.Random(3)), "pdf")
    monkeypatch.setattr(sample_pdf, "SimpleDocTemplate", functools.partial(
        sample_pdf.SimpleDocTemplate, encrypt=StandardEncryption("", "owner", canCopy=0, strength=128)))
    locked = render(random_report(random.Random(3)), "pdf")
    assert b"/Encrypt" in locked and Objects(locked, MAX_STREAM_BYTES).encryption is not None
    plain, read = extract(report, "report.pdf"), extract(locked, "report.pdf")
    assert read.cells == plain.cells and len(read.cells) > 50
    assert [i.check for i in read.issues] == [i.check for i in plain.issues]
    # the same streams decrypted (the encryption dictionary shifts their numbers)
    assert sorted(decoded_sizes(locked).values()) == sorted(decoded_sizes(report).values())


@pytest.mark.parametrize("method", LOCKS)
def test_a_pdf_whose_user_password_is_not_empty_is_an_encrypted_document_before_it_is_read(method):
    document = bombs.pdf([bombs.TEXT], ["FlateDecode"], lock=bombs.Lock(method, user=b"secret"))
    with pytest.raises(ReadError) as refused:
        check_pdf_streams(document)
    assert refused.value.check == "encrypted_document" and "user password is not empty" in str(refused.value)
    assert unreadable(extract(document, "locked.pdf")) == "encrypted_document"


@pytest.mark.parametrize("written, instead", [
    (b"/Filter /Standard /V 2 /R 3", b"/Filter /Adobe.PubSec /V 4 /R 4"),
    (b"/Filter /Standard /V 2 /R 3", b"/Filter /Standard /V 3 /R 3"),
    (b"/Encrypt 9 0 R", b"/Encrypt 99 0 R"),
], ids=["public-key handler", "undefined algorithm", "encryption dictionary not found"])
def test_an_encrypted_pdf_the_check_cannot_decrypt_is_judged_as_it_is_with_a_warning(written, instead):
    document = bombs.pdf([bombs.TEXT], ["FlateDecode"], lock=bombs.Lock("RC4-128")).replace(written, instead)
    [warning] = check_pdf_streams(document)
    assert warning.check == "streams_unjudged" and warning.severity == "warning"
    assert "only the reading's memory limit bounds them" in warning.message
