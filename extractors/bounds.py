"""What a document may cost before it is read: decompressed sizes, checked before anything
is decompressed, and the cells and grids a reader may build.

A DOCX is a ZIP and a PDF keeps its text in flate streams: a file of a megabyte can
inflate to gigabytes (a decompression bomb). So a ZIP's members are judged by the sizes
its central directory declares (zipfile never inflates a member past its declared size),
and a PDF's flate streams are inflated once, in small steps into nothing, counting bytes
until a budget is spent, before any PDF library decodes them. A reader that would build
more cells or grids than a report can hold stops too. Each bound exceeded is a
`too_large` ReadError, recorded for the document.
"""

from __future__ import annotations

import re
import zipfile
import zlib

from xxgk.extractors.grid import ReadError

MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # all members of a DOCX together, as declared
MAX_MEMBER_RATIO = 200                  # declared size / compressed size of one large member
MIN_RATIO_CHECKED = 16 * 1024 * 1024    # members smaller than this are not judged by their ratio
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # a PDF's non-image flate streams together, inflated
MAX_GRID_CELLS = 250_000                # slots of one grid, spans resolved
MAX_GRIDS = 2_000                       # grids in one document

_STREAM = re.compile(rb"stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_READ, _STEP = 64 * 1024, 1024 * 1024  # compressed bytes fed, inflated bytes taken, per step


def check_zip(package: zipfile.ZipFile) -> None:
    """Raise too_large when the ZIP's members would inflate past the bounds."""
    total = 0
    for member in package.infolist():
        total += member.file_size
        if member.file_size >= MIN_RATIO_CHECKED and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1):
            raise ReadError("too_large", f"the document's part {member.filename} inflates from "
                            f"{member.compress_size:,} to {member.file_size:,} bytes, over {MAX_MEMBER_RATIO} times "
                            "its size (a decompression bomb?)")
    if total > MAX_UNZIPPED_BYTES:
        raise ReadError("too_large", f"the document's parts inflate to {total:,} bytes, over the limit of "
                        f"{MAX_UNZIPPED_BYTES:,}")


def check_pdf_streams(data: bytes) -> None:
    """Raise too_large when the PDF's flate streams other than images inflate past the
    budget. Streams that are not flate (or are encrypted) fail to inflate and count nothing."""
    spent = 0
    for match in _STREAM.finditer(data):
        if _IMAGE.search(data, max(0, match.start() - 1024), match.start()):
            continue
        spent += _inflated_size(data, match.end(), MAX_INFLATED_BYTES - spent)
        if spent > MAX_INFLATED_BYTES:
            raise ReadError("too_large", f"the PDF's streams inflate to over {MAX_INFLATED_BYTES:,} bytes "
                            "(a decompression bomb?)")


def _inflated_size(data: bytes, start: int, budget: int) -> int:
    """How many bytes the zlib stream at `start` inflates to, counting no further than
    just past `budget`; memory stays at one step whatever the stream holds."""
    inflater, view = zlib.decompressobj(), memoryview(data)
    size, position = 0, start
    try:
        while size <= budget and not inflater.eof:
            pending: bytes | memoryview = inflater.unconsumed_tail
            if not pending:
                if position >= len(data):
                    break
                pending, position = view[position:position + _READ], position + _READ
            size += len(inflater.decompress(pending, _STEP))
    except zlib.error:
        pass
    return size


def check_cells(count: int) -> None:
    if count > MAX_GRID_CELLS:
        raise ReadError("too_large", f"a table has over {MAX_GRID_CELLS:,} cells, more than any report holds")


def check_grids(count: int) -> None:
    if count > MAX_GRIDS:
        raise ReadError("too_large", f"the document has over {MAX_GRIDS:,} tables, more than any report holds")
