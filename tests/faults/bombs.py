"""Hostile documents made on the fly, a line each: decompression bombs, and documents
shaped to make a reader's cost grow faster than their size."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from xxgk.extractors.compound import MAGIC

MiB = 1024 * 1024
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


TEXT = b"BT /F1 12 Tf 72 720 Td (Disguised) Tj ET\n"


def pdf_flate_bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes of spaces."""
    return pdf_bomb(inflated, ["FlateDecode"])


def pdf_bomb(inflated: int, filters: list[str], *, decoy: bool = False) -> bytes:
    """A one-page PDF whose content stream (a line of text, then spaces to `inflated`
    bytes) is encoded through `filters` (in the order they decode); `decoy` puts an image
    dictionary just before it."""
    return pdf([TEXT, Run(b" ", inflated - len(TEXT))], filters, decoy=decoy)


class Run(NamedTuple):
    """`length` times `byte`, never built: encoders make its code directly."""

    byte: bytes
    length: int


Content = list["bytes | Run"]


def pdf(content: Content, filters: list[str], *, decoy: bool = False, filter_in: str = "stream",
        lock: Lock | None = None) -> bytes:
    """A one-page PDF whose content stream is the joined `content`, encoded through
    `filters`, named in the stream's dictionary (`filter_in` "stream"), in an object of its
    own ("object") or in one held by an object stream ("object stream"); `decoy` puts an
    image's dictionary just before the content stream; `lock` encrypts its streams."""
    encrypt_dictionary, sealed = _locked(lock) if lock else (b"", lambda _, data: data)
    stream = sealed(4, _encoded(tuple(content), tuple(filters)))
    names = " ".join(f"/{name.split('/')[0]}" for name in filters).encode()
    chain = b"[%s]" % names if len(filters) > 1 else names
    if any("/" in name for name in filters):  # a PNG predictor's parameters where one is named
        parameters = b" ".join(b"<< /Predictor 12 /Columns %d >>" % COLUMNS if "/" in name else b"null"
                               for name in filters)
        chain += b" /DecodeParms [%s]" % parameters
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                  b"/Resources << /Font << /F1 5 0 R >> >> >>",
               4: b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), chain if filter_in == "stream" else b"6 0 R")
                  + stream + b"\nendstream",
               5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    if decoy:
        pixel = sealed(7, b"\x00")
        objects[7] = (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                      b"/BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream" % (len(pixel), pixel))
    packed = {}
    if filter_in == "object":
        objects[6] = chain
    elif filter_in == "object stream":
        packed[6] = b"6 0 " + chain
        held = sealed(8, packed[6])
        objects[8] = b"<< /Type /ObjStm /N 1 /First 4 /Length %d >>\nstream\n%s\nendstream" % (len(held), held)
    trailer = b"/Root 1 0 R"
    if lock:
        objects[9] = encrypt_dictionary
        trailer += b" /Encrypt 9 0 R /ID [<%s> <%s>]" % (_ID.hex().encode(), _ID.hex().encode())
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number in sorted(objects, key=lambda n: (n != 7 and n >= 4, n)):  # the decoy before the content
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 2
    if not packed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        out += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                        for n in range(1, size))
        out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
        return bytes(out)
    offsets[size - 1] = xref = len(out)  # a cross-reference stream: how packed objects are found
    rows = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" if n in offsets
                    else b"\x02" + (8).to_bytes(4, "big") + b"\x00\x00" if n in packed else b"\x00" * 7
                    for n in range(size))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] %s /Length %d >>\nstream\n"
            % (size - 1, size, trailer, len(rows)) + rows + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


class Lock(NamedTuple):
    """How a PDF is encrypted by the standard security handler: `method` RC4-40 (V 1, R 2),
    RC4-128 (V 2, R 3), AES-128 (V 4, R 4, /AESV2) or AES-256 (V 5, R 6, /AESV3), for
    the `user` and `owner` passwords. Written here from the standard (ISO 32000-2,
    7.6.4), apart from the reader's code; a PDF library opening the result is its check."""

    method: str
    user: bytes = b""
    owner: bytes = b"owner"


_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_ID = bytes(range(100, 116))
_PERMISSIONS = -3904  # print, no copying: what "encrypted to forbid copying" sets


def _locked(lock: Lock) -> tuple[bytes, Callable[[int, bytes], bytes]]:
    """The /Encrypt dictionary of `lock`, and what encrypts object N's stream data."""
    if lock.method == "AES-256":
        return _locked_aes256(lock)
    size, revision = {"RC4-40": (5, 2), "RC4-128": (16, 3), "AES-128": (16, 4)}[lock.method]
    rounds = 50 if revision >= 3 else 0
    owner_key = hashlib.md5((lock.owner + _PASSWORD_PAD)[:32]).digest()
    for _ in range(rounds):
        owner_key = hashlib.md5(owner_key).digest()
    owner = _xor_rounds(owner_key[:size], (lock.user + _PASSWORD_PAD)[:32], range(20 if revision >= 3 else 1))
    key = hashlib.md5((lock.user + _PASSWORD_PAD)[:32] + owner + struct.pack("<i", _PERMISSIONS) + _ID).digest()
    for _ in range(rounds):
        key = hashlib.md5(key[:size]).digest()
    key = key[:size]
    user = _arc4(key, _PASSWORD_PAD) if revision == 2 else \
        _xor_rounds(key, hashlib.md5(_PASSWORD_PAD + _ID).digest(), range(20)) + bytes(16)
    head = {2: b"/V 1 /R 2 /Length 40", 3: b"/V 2 /R 3 /Length 128",
            4: b"/V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> "
               b"/StmF /StdCF /StrF /StdCF"}[revision]
    dictionary = b"<< /Filter /Standard %s /O <%s> /U <%s> /P %d >>" % (
        head, owner.hex().encode(), user.hex().encode(), _PERMISSIONS)

    def sealed(number: int, data: bytes) -> bytes:
        salt = b"sAlT" if revision == 4 else b""
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + bytes(2) + salt).digest()[:min(size + 5, 16)]
        return _aes_cbc(object_key, data) if revision == 4 else _arc4(object_key, data)
    return dictionary, sealed


def _locked_aes256(lock: Lock) -> tuple[bytes, Callable[[int, bytes], bytes]]:
    key = bytes(range(32, 64))
    user_salts, owner_salts = bytes(range(8)) + bytes(range(8, 16)), bytes(range(16, 24)) + bytes(range(24, 32))
    user = _hash_r6(lock.user, user_salts[:8], b"") + user_salts
    owner = _hash_r6(lock.owner, owner_salts[:8], user) + owner_salts
    wrap = lambda secret: Cipher(algorithms.AES(secret), modes.CBC(bytes(16))).encryptor().update(key)  # noqa: E731
    permissions = Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(
        struct.pack("<i", _PERMISSIONS) + b"\xff\xff\xff\xffTadb0000")
    dictionary = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen "
                  b"/Length 32 >> >> /StmF /StdCF /StrF /StdCF /P %d" % _PERMISSIONS
                  + b"".join(b" /%s <%s>" % (name, value.hex().encode()) for name, value in [
                      (b"O", owner), (b"U", user), (b"OE", wrap(_hash_r6(lock.owner, owner_salts[8:], user))),
                      (b"UE", wrap(_hash_r6(lock.user, user_salts[8:], b""))), (b"Perms", permissions)]) + b" >>")
    return dictionary, lambda _, data: _aes_cbc(key, data)


def _hash_r6(password: bytes, salt: bytes, user: bytes) -> bytes:
    """Algorithm 2.B: rounds of AES-128 and SHA-2 until at least 64 and the last byte says stop."""
    digest, rounds, last = hashlib.sha256(password + salt + user).digest(), 0, 255
    while rounds < 64 or last > rounds - 32:
        block = Cipher(algorithms.AES(digest[:16]), modes.CBC(digest[16:32])).encryptor().update(
            (password + digest + user) * 64)
        digest = [hashlib.sha256, hashlib.sha384, hashlib.sha512][int.from_bytes(block[:16], "big") % 3](block).digest()
        rounds, last = rounds + 1, block[-1]
    return digest[:32]


def _xor_rounds(key: bytes, data: bytes, steps: range) -> bytes:
    """RC4 of `data` under `key` XOR each step in turn (algorithms 3 and 5)."""
    for step in steps:
        data = _arc4(bytes(byte ^ step for byte in key), data)
    return data


def _arc4(key: bytes, data: bytes) -> bytes:
    return Cipher(ARC4(key), mode=None).encryptor().update(data)


def _aes_cbc(key: bytes, data: bytes) -> bytes:
    """AES-CBC with its IV first, PKCS #7 padded."""
    vector, padding = b"\x11" * 16, 16 - len(data) % 16
    return vector + Cipher(algorithms.AES(key), modes.CBC(vector)).encryptor().update(data + bytes([padding]) * padding)


def _encoded(content: tuple[bytes | Run, ...], filters: tuple[str, ...]) -> bytes:
    """`content` encoded so that decoding through `filters` in order gives it back. The
    innermost encoder sees the pieces one by one, so gigabytes of spaces cost no memory."""
    for name in reversed(filters):
        content = (_encode(name, content),)
    return _joined(content)


@cache  # a bomb is made once for all the chains that end with its filter
def _encode(name: str, content: tuple[bytes | Run, ...]) -> bytes:
    return ENCODERS[name](content)


def _flate(content: Content) -> bytes:
    packer, out = zlib.compressobj(9), bytearray()
    for part in content:
        if isinstance(part, Run):
            step = part.byte * MiB
            out += b"".join(packer.compress(step) for _ in range(part.length // MiB))
            out += packer.compress(part.byte * (part.length % MiB))
        else:
            out += packer.compress(part)
    return bytes(out + packer.flush())


def _run_length(content: Content) -> bytes:
    """Runs of one byte as repeats (128 bytes in two), single bytes as literals."""
    out = bytearray()
    for part in content:
        runs = [(part.byte, part.length)] if isinstance(part, Run) else \
            [(match[1], len(match[0])) for match in re.finditer(rb"(.)\1*", part, re.DOTALL)]
        for byte, length in runs:
            out += (b"\x81" + byte) * (length // 128)
            out += bytes([257 - length % 128]) + byte if length % 128 > 1 else b"\x00" + byte if length % 128 else b""
    return bytes(out + b"\x80")


def _lzw(content: Content) -> bytes:
    """LZW with early change; a run is coded without walking it (each code one byte longer
    than the last), so a bomb is made in a moment."""
    codes: list[int] = [256]
    for part in content:
        codes += _lzw_run(part.byte[0], part.length) if isinstance(part, Run) else _lzw_codes(part)
    return _pack(codes + [257])


def _lzw_codes(data: bytes) -> list[int]:
    table, codes, word = {bytes([n]): n for n in range(256)}, [256], b""
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        codes.append(table[word])
        table[longer] = len(table) + 2
        word = bytes([byte])
        if len(table) + 2 >= 4094:
            codes.append(256)
            table = {bytes([n]): n for n in range(256)}
    return codes + [table[word], 256]


def _lzw_run(byte: int, length: int) -> list[int]:
    """After a clear: the byte, then codes 258, 259, … each standing for one more of it."""
    codes = []
    while length > 0:
        codes.append(byte)
        length -= 1
        code = 258
        while length >= code - 256 and code < 4094:
            codes.append(code)
            length -= code - 256
            code += 1
        codes.append(256)
    return codes


def _pack(codes: list[int]) -> bytes:
    """Codes at the width a decoder with early change reads them."""
    bits = count = 0
    out, size, width = bytearray(), 258, 9
    previous = False
    for code in codes:
        bits, count = (bits << width) | code, count + width
        while count >= 8:
            count -= 8
            out.append((bits >> count) & 255)
        bits &= (1 << count) - 1
        if code == 256:
            size, width, previous = 258, 9, False
            continue
        if previous:
            size += 1
        previous = True
        if size + 1 >= 1 << width and width < 12:
            width += 1
    if count:
        out.append((bits << (8 - count)) & 255)
    return bytes(out)


def _joined(content: Content) -> bytes:
    return b"".join(part.byte * part.length if isinstance(part, Run) else part for part in content)


COLUMNS = 7  # bytes a row of predicted data


def _png_predicted(content: Content, kind: int) -> bytes:
    """Flate over rows of COLUMNS bytes, each coded by PNG filter `kind` (1 Sub, 2 Up,
    3 Average, 4 Paeth) after its type byte."""
    data = _joined(content)
    data += bytes(-len(data) % COLUMNS)
    out, above = bytearray(), bytes(COLUMNS)
    for start in range(0, len(data), COLUMNS):
        row = data[start:start + COLUMNS]
        out.append(kind)
        for i, byte in enumerate(row):
            left, up, corner = (row[i - 1] if i else 0), above[i], (above[i - 1] if i else 0)
            guess = {1: left, 2: up, 3: (left + up) // 2, 4: _paeth(left, up, corner)}[kind]
            out.append((byte - guess) & 255)
        above = row
    return _flate((bytes(out),))


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    distances = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
    return left if distances[0] <= min(distances[1:]) else up if distances[1] <= distances[2] else corner


ENCODERS = {
    **{f"FlateDecode/{name}": lambda content, kind=kind: _png_predicted(content, kind)
       for kind, name in enumerate(["Sub", "Up", "Average", "Paeth"], start=1)},
    "FlateDecode": _flate,
    "ASCIIHexDecode": lambda content: binascii.hexlify(_joined(content)) + b">",
    "ASCII85Decode": lambda content: base64.a85encode(_joined(content)) + b"~>",
    "RunLengthDecode": _run_length,
    "LZWDecode": _lzw,
}


def pdf_paths(count: int) -> bytes:
    """A PDF whose one page draws `count` lines: a few kilobytes, well within the stream
    budget, that a PDF library turns into gigabytes of path objects."""
    return pdf([TEXT, b"0 0 m 1 1 l S\n" * count], ["FlateDecode"])


def compound(streams: dict[str, bytes], *, directory_loop: bool = False) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) holding `streams` at its root,
    each padded to 4096 bytes so it lives in regular sectors; `directory_loop` chains the
    directory's sector to itself."""
    padded = {name: data.ljust(-(-max(len(data), 4096) // 512) * 512, b"\x00") for name, data in streams.items()}
    directory_sectors = -(-(len(streams) + 1) // 4)
    first_data = 1 + directory_sectors
    fat = [0xFFFFFFFD]  # the allocation table's own sector
    fat += [*range(2, 1 + directory_sectors), 1 if directory_loop else 0xFFFFFFFE]
    entries, start = [_entry("Root Entry", 5, child=1 if streams else 0xFFFFFFFF)], first_data
    for index, (name, data) in enumerate(padded.items(), start=1):
        count = len(data) // 512
        fat += [*range(start + 1, start + count), 0xFFFFFFFE]
        entries.append(_entry(name, 2, right=index + 1 if index < len(padded) else 0xFFFFFFFF, start=start,
                              size=len(streams[name])))
        start += count
    assert len(fat) <= 128, "one allocation-table sector"
    header = (MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *[0xFFFFFFFF] * 108))
    table = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    directory = b"".join(entries).ljust(directory_sectors * 512, b"\x00")
    return header + table + directory + b"".join(padded.values())


def _entry(name: str, kind: int, *, right: int = 0xFFFFFFFF, child: int = 0xFFFFFFFF, start: int = 0xFFFFFFFE,
           size: int = 0) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child) + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))


def html_rowspans(rows: int) -> bytes:
    """A table whose every row opens a cell spanning to the table's end."""
    return ("<html><body><table>" + '<tr><td rowspan="0">x</td></tr>' * rows + "</table></body></html>").encode()


def html_tables(count: int) -> bytes:
    return ("<html><body>" + "<table><tr><td>a</td><td>1</td></tr></table>" * count + "</body></html>").encode()


def text_grids(count: int) -> str:
    """`count` tab-separated one-row tables, a paragraph between each."""
    return "".join(f"label {n}\t{n}\nnote\n" for n in range(count))
