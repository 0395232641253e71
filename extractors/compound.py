"""The names in an OLE compound file's directory, and the head of a stream (the container
of legacy .doc, .xls and .wps files, and of password-protected Office files of any age).

A password-protected .docx is not a ZIP: Office encrypts the package and wraps it in a
compound file holding `EncryptionInfo` and `EncryptedPackage` streams, where a legacy
Word file holds `WordDocument`. Only the directory tells the two apart, so it is read
here: the header, the sector allocation table, the directory's chain of sectors. The
file is hostile input, so every chain is followed at most once per sector (a loop ends
it) and a sector outside the file ends the read with what was found. A stream's head
tells the Word format's generations apart: their FIBs open with the same two bytes and
then the version.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_97 = "Word 97-2003 (.doc)"  # what a compound file holding a WordDocument stream is called in findings
_END = 0xFFFFFFFE   # ENDOFCHAIN, and anything from here up is no sector
_ENTRY = 128        # bytes per directory entry
_HEADER_DIFAT = 109  # allocation-table sectors the header lists itself


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: int   # 1 storage, 2 stream, 5 root
    start: int  # first sector (of the mini stream when size is below the cutoff)
    size: int


def entry_names(data: bytes) -> set[str]:
    """The names of the storages and streams in the directory (empty when the header is
    not a compound file's)."""
    return {entry.name for entry in _directory(data)}


def stream_head(data: bytes, name: str) -> bytes:
    """The first bytes of the named stream, at most a sector: enough for a header such as
    a Word file's FIB. Empty when the stream is absent, kept in the mini stream (streams
    under the cutoff, never a real document's text) or starts outside the file."""
    for entry in _directory(data):
        if entry.name == name and entry.kind == 2 and entry.size >= struct.unpack_from("<I", data, 56)[0]:
            return _sectors(data)[0](entry.start)[:entry.size]
    return b""


def _directory(data: bytes) -> list[_Entry]:
    if not data.startswith(MAGIC) or len(data) < 512 or struct.unpack_from("<H", data, 30)[0] not in (9, 12):
        return []
    sector, count = _sectors(data)
    table = _allocation_table(data, sector, count)
    entries = []
    for number in _chain(struct.unpack_from("<I", data, 48)[0], table, count):
        block = sector(number)
        for start in range(0, len(block) - _ENTRY + 1, _ENTRY):
            length, kind = struct.unpack_from("<HB", block, start + 64)
            if kind in (1, 2, 5) and 2 <= length <= 64:
                entries.append(_Entry(block[start:start + length - 2].decode("utf-16-le", "replace"), kind,
                                      *struct.unpack_from("<II", block, start + 116)))
    return entries


def _sectors(data: bytes) -> tuple[Callable[[int], bytes], int]:
    """A reader of the file's sectors by number (empty past the end), and how many there are."""
    shift = struct.unpack_from("<H", data, 30)[0]
    size = 1 << shift
    count = max(0, -(-(len(data) - size) // size))  # sector n starts at (n + 1) × size

    def sector(number: int) -> bytes:
        start = (number + 1) << shift
        return data[start:start + size] if number < count else b""
    return sector, count


def _allocation_table(data: bytes, sector: Callable[[int], bytes], sectors: int) -> list[int]:
    """The sector allocation table: each sector's next sector in its chain."""
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    listed = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 76))
    more, seen = struct.unpack_from("<I", data, 68)[0], set()
    while more < min(_END, sectors) and more not in seen:  # further DIFAT sectors, chained
        seen.add(more)
        block = sector(more)
        if len(block) < size:
            break
        *entries, more = struct.unpack_from(f"<{size // 4}I", block)
        listed += entries
    table: list[int] = []
    for number in listed:
        if number >= min(_END - 1, sectors):  # FREESECT or beyond the file
            continue
        block = sector(number)
        table += struct.unpack_from(f"<{len(block) // 4}I", block)
    return table


def _chain(first: int, table: list[int], sectors: int) -> list[int]:
    chain, seen, number = [], set(), first
    while number < min(_END, sectors) and number not in seen:
        seen.add(number)
        chain.append(number)
        number = table[number] if number < len(table) else _END
    return chain
