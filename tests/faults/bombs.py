"""Hostile documents made on the fly, a line each: decompression bombs, and documents
shaped to make a reader's cost grow faster than their size."""

from __future__ import annotations

import io
import zipfile
import zlib

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>',
}


def docx(body: str) -> bytes:
    """A minimal Word package whose body is `body` (WordprocessingML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in _PARTS.items():
            package.writestr(name, text)
        package.writestr("word/document.xml",
                         f'<?xml version="1.0"?><w:document {_W}><w:body>{body}</w:body></w:document>')
    return out.getvalue()


def docx_bomb(inflated: int) -> bytes:
    """A Word package whose document part inflates to `inflated` bytes (of one repeated paragraph)."""
    out = io.BytesIO()
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1024
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, text in _PARTS.items():
            package.writestr(name, text)
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode())
            for _ in range(inflated // len(paragraph)):
                part.write(paragraph)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def docx_vertical_merge(rows: int) -> bytes:
    """A two-column table whose first column is one cell merged down `rows` rows."""
    def row(first: bool, n: int) -> str:
        merge = '<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>"
        text = "<w:p><w:r><w:t>merged</w:t></w:r></w:p>" if first else "<w:p/>"
        return (f"<w:tr><w:tc><w:tcPr>{merge}</w:tcPr>{text}</w:tc>"
                f"<w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc></w:tr>")
    grid = '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
    return docx(f"<w:tbl>{grid}{''.join(row(n == 0, n) for n in range(rows))}</w:tbl>")


def pdf_flate_bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk))) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def html_rowspans(rows: int) -> bytes:
    """A table whose every row opens a cell spanning to the table's end."""
    return ("<html><body><table>" + '<tr><td rowspan="0">x</td></tr>' * rows + "</table></body></html>").encode()


def html_tables(count: int) -> bytes:
    return ("<html><body>" + "<table><tr><td>a</td><td>1</td></tr></table>" * count + "</body></html>").encode()


def text_grids(count: int) -> str:
    """`count` tab-separated one-row tables, a paragraph between each."""
    return "".join(f"label {n}\t{n}\nnote\n" for n in range(count))
