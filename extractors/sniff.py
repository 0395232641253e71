"""What kind of document the bytes are, from their content rather than their name.

Portals mislabel attachments (a PDF served as .html, a .doc renamed .docx), so the name
and the declared content type are only hints; the magic bytes decide.
"""

from __future__ import annotations

import io
import re
import zipfile

from xxgk.extractors.bounds import check_zip
from xxgk.extractors.compound import MAGIC, WORD_97, entry_names, stream_head

_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|meta|div|p)[\s>/]", re.IGNORECASE)
_ENCRYPTED = {"EncryptionInfo", "EncryptedPackage"}  # a compound file wrapping an encrypted .docx/.xlsx
_FIB_IDENT = b"\xec\xa5"  # how a WordDocument stream begins, in every Word generation
_FIRST_WORD_97_VERSION = 0x00C1  # the FIB's version from Word 97 on; Word 6.0 wrote 0x0065, Word 95 0x0068
_OLDER_WORD = "a Word 6.0/95 document (.doc), older than the Word 97-2003 format read"
# Compound files that hold no WordDocument stream, by their name; a .doc without one is
# damaged, a .wps one of WPS Office's own formats (its later ones are Word's, read as .doc).
_OTHER_OFFICE = {".wps": "a WPS Office document in WPS's own format (.wps)", ".xls": "an Excel 97-2003 workbook (.xls)",
                 ".ppt": "a PowerPoint 97-2003 presentation (.ppt)"}


def sniff(data: bytes, name: str = "") -> str:
    """One of html, pdf, docx, doc, text, `unsupported:<what it is>`, `encrypted:<what it is>`
    or `corrupt:<what is wrong>`. An OLE compound file whose directory holds an encrypted
    package is a password-protected .docx or .xlsx; one holding a `WordDocument` stream is
    a Word 97-2003 document (doc), whatever its name, unless its FIB says Word 6.0 or 95
    wrote it (another layout of the same stream, beyond the converter); any other is a
    damaged .doc when its name says .doc, else another legacy Office file (.wps in WPS's
    own format, .xls, .ppt).
    A ZIP whose parts would inflate past the bounds raises ReadError(too_large)."""
    head = data[:2048]
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(MAGIC):
        names = entry_names(data)
        if names >= _ENCRYPTED:
            return "encrypted:a password-protected Office document (its package is encrypted)"
        if "WordDocument" in names and _older_than_word_97(stream_head(data, "WordDocument")):
            return "unsupported:" + _OLDER_WORD
        if "WordDocument" in names:
            return "doc"
        if name.lower().endswith(".doc"):
            return f"corrupt:a {WORD_97} file whose directory holds no WordDocument stream"
        suffix = name[name.rfind("."):].lower() if "." in name else ""
        return "unsupported:" + _OTHER_OFFICE.get(suffix, "an OLE2 compound document that is not a Word document")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, what in ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
                        (b"{\\rtf", "an RTF document"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7z archive")):
        if head.startswith(magic):
            return "unsupported:" + what
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unsupported:binary data"
    return "html" if _HTML.search(head) else "text"


def _older_than_word_97(fib: bytes) -> bool:
    """Whether the WordDocument stream's FIB is a Word 6.0/95 one: same identifier, lower version."""
    return fib[:2] == _FIB_IDENT and len(fib) >= 4 and int.from_bytes(fib[2:4], "little") < _FIRST_WORD_97_VERSION


def _zip_kind(data: bytes) -> str:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        check_zip(package)
        names = set(package.namelist())
        macro_enabled = (b"macroEnabled" in package.read("[Content_Types].xml") if "[Content_Types].xml" in names
                         else False)
    except (zipfile.BadZipFile, OSError, EOFError):
        return "corrupt:a damaged ZIP container (a truncated .docx?)"
    if "word/document.xml" in names:
        return "unsupported:a macro-enabled Word document (.docm)" if macro_enabled else "docx"
    if "content.xml" in names:
        return "unsupported:an OpenDocument file (.odt)"
    if "OFD.xml" in names:  # GB/T 33190, the fixed-layout format some government systems publish in
        return "unsupported:an OFD document (.ofd)"
    if "xl/workbook.xml" in names:
        return "unsupported:an Excel workbook (.xlsx)"
    return "unsupported:a ZIP archive"
