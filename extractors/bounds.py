"""What a document may cost before it is read: decompressed sizes, checked before anything
is decompressed, and the cells and grids a reader may build.

A DOCX is a ZIP and a PDF keeps its text in compressed streams: a file of a megabyte can
inflate to gigabytes (a decompression bomb). So a ZIP's members are judged by the sizes
its central directory declares (zipfile never inflates a member past its declared size),
and every stream of a PDF, whatever it is for and however its filters are written, is
decoded once through its filter chain in small steps into nothing, counting bytes until a
budget is spent, before any PDF library decodes it (pdf_streams.py); an encrypted PDF's
streams are decrypted first (pdf_crypt.py). A reader that would build more cells or
grids than a report can hold stops too. Each bound exceeded is a `too_large`
ReadError, recorded for the document.
"""

from __future__ import annotations

import zipfile

from xxgk.extractors.grid import ReadError
from xxgk.extractors.pdf_crypt import Locked
from xxgk.extractors.pdf_streams import Objects, TooCostly, decoded
from xxgk.schemas.records import Issue

MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # all members of a DOCX together, as declared
MAX_MEMBER_RATIO = 200                  # declared size / compressed size of one large member
MIN_RATIO_CHECKED = 16 * 1024 * 1024    # members smaller than this are not judged by their ratio
MAX_STREAM_BYTES = 256 * 1024 * 1024    # one PDF stream, decoded through its filters
MAX_INFLATED_BYTES = 1024 * 1024 * 1024 # all of a PDF's streams together, decoded
MAX_GRID_CELLS = 250_000                # slots of one grid, spans resolved
MAX_GRIDS = 2_000                       # grids in one document



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


def check_pdf_streams(data: bytes) -> list[Issue]:
    """Raise too_large when one of the PDF's streams, or all of them together, decode past
    their budget through their filter chains, whatever they are for (pdf_streams.py), and
    encrypted_document when no password a reader could try opens it. An encrypted PDF
    whose streams cannot be decrypted here is judged as it is, and a warning says so."""
    objects, spent = Objects(data, MAX_STREAM_BYTES), 0
    if isinstance(objects.undecryptable, Locked):
        raise ReadError("encrypted_document", f"{objects.undecryptable}; it cannot be opened without it")
    try:
        for stream in objects.streams():
            size = 0
            for piece in decoded(objects, stream):
                size += len(piece)
                if size > MAX_STREAM_BYTES:
                    raise ReadError("too_large", f"the PDF's stream (object {stream.number}) decodes to over "
                                    f"{MAX_STREAM_BYTES:,} bytes (a decompression bomb?)")
                if spent + size > MAX_INFLATED_BYTES:
                    raise ReadError("too_large", f"the PDF's streams decode to over {MAX_INFLATED_BYTES:,} bytes "
                                    "together (a decompression bomb?)")
            spent += size
    except TooCostly as error:
        raise ReadError("too_large", f"the PDF's stream cannot be judged within its bounds: {error}") from None
    if objects.undecryptable is None:
        return []
    return [Issue("streams_unjudged", "warning", f"the PDF is encrypted and its streams could not be decrypted to "
                  f"judge their size ({objects.undecryptable}): only the reading's memory limit bounds them")]


def check_cells(count: int) -> None:
    if count > MAX_GRID_CELLS:
        raise ReadError("too_large", f"a table has over {MAX_GRID_CELLS:,} cells, more than any report holds")


def check_grids(count: int) -> None:
    if count > MAX_GRIDS:
        raise ReadError("too_large", f"the document has over {MAX_GRIDS:,} tables, more than any report holds")
