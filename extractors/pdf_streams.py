"""A PDF's streams found in its bytes and decoded through their filter chains a step at
a time: what the decompression bound (bounds.py) measures each stream by.

A PDF library decodes a stream through every filter its dictionary names, whatever the
stream is for, so a stream is measured the same way: its /Filter chain (names spelled
with #xx escapes or abbreviated, direct or held in another object, even one inside an
object stream) is decoded stage by stage, each stage a generator handing on pieces of at
most `STEP` bytes, so memory stays at a few steps and the caller can stop as soon as the
count passes its budget. A stage that meets bad data ends there, as a PDF library's
decoder ends with what it decoded so far. Image codecs (DCT, JPX, CCITT, JBIG2) end the
chain: their output is a bitmap of the declared size, which the reader never builds
beyond the pages it renders, and the bytes that reach them are counted instead.

Objects are found by their `N G obj` headers, as a PDF library rebuilding a damaged
cross-reference table finds them; the last definition of a number wins, as with an
incremental update. A document encrypted by the standard security handler for the
empty password (most are, only to forbid copying) has its streams decrypted first
(pdf_crypt.py), by the trailer's /Encrypt a PDF library reads: the one the last
`startxref` points to. A document whose streams cannot be decrypted says why
(`Objects.undecryptable`); its streams are then bounded only by the extraction worker's
memory limit (flows/isolation.py).
"""

from __future__ import annotations

import binascii
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from xxgk.extractors.pdf_crypt import IDENTITY, CryptError, Handler, handler

STEP = 1024 * 1024      # bytes a stage hands on at most per piece
_READ = 64 * 1024       # raw bytes read per piece
# LZW and a predictor in the middle of a chain decode in Python, a microsecond a code or
# byte: one stream's input to either may be this long (the judgment ends within seconds)
MAX_SLOW_BYTES = 16 * 1024 * 1024
_DEPTH = 32             # nesting of arrays and dictionaries parsed, and references followed

_WHITE = b"\x00\t\n\x0c\r "
_HEADER = re.compile(rb"(?<![0-9])([0-9]{1,10})[\x00\t\n\x0c\r ]+([0-9]{1,5})[\x00\t\n\x0c\r ]+obj(?![A-Za-z])")
_REF = re.compile(rb"[\x00\t\n\x0c\r ]+([0-9]{1,5})[\x00\t\n\x0c\r ]+R(?![A-Za-z0-9])")
_TOKEN = re.compile(rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ENDSTREAM = b"endstream"
_STARTXREF = re.compile(rb"startxref[\x00\t\n\x0c\r ]+([0-9]{1,12})")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\r\n]|.)", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\r": b"", b"\n": b""}


class Name(bytes):
    """A PDF name, #xx escapes resolved, without its slash."""


class String(bytes):
    """A PDF string's bytes, escapes resolved (literal) or digits decoded (hex)."""


@dataclass(frozen=True)
class Ref:
    number: int


@dataclass(frozen=True)
class Stream:
    number: int                 # its object number
    generation: int
    start: int                  # its first data byte
    end: int                    # past the last byte its decoders may read
    dictionary: dict = field(hash=False, compare=False)


class _Keyword(bytes):
    """A bare word that is not a value (stream, endobj, …)."""


# ── parsing objects ─────────────────────────────────────────────────────────────────


def _skip(data: bytes, position: int) -> int:
    """Past whitespace and comments."""
    while position < len(data):
        byte = data[position]
        if byte in _WHITE:
            position += 1
        elif byte == 0x25:  # %
            ends = [i for i in (data.find(b"\n", position), data.find(b"\r", position)) if i >= 0]
            position = min(ends) if ends else len(data)
        else:
            break
    return position


def parse(data: bytes, position: int, depth: int = 0) -> tuple[object, int]:
    """The value at `position` and where it ends; anything malformed raises ValueError."""
    position = _skip(data, position)
    if position >= len(data) or depth > _DEPTH:
        raise ValueError("no value")
    head = data[position:position + 2]
    if head == b"<<":
        found: dict[Name, object] = {}
        position += 2
        while True:
            position = _skip(data, position)
            if data[position:position + 2] == b">>":
                return found, position + 2
            key, position = parse(data, position, depth + 1)
            if not isinstance(key, Name):
                raise ValueError("a dictionary key that is not a name")
            found[key], position = parse(data, position, depth + 1)
    if head[:1] == b"[":
        items: list[object] = []
        position += 1
        while True:
            position = _skip(data, position)
            if data[position:position + 1] == b"]":
                return items, position + 1
            item, position = parse(data, position, depth + 1)
            items.append(item)
    if head[:1] == b"/":
        token = _matched(_TOKEN.match(data, position + 1)).group()
        return Name(_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), token)), position + 1 + len(token)
    if head[:1] == b"(":
        end = _string_end(data, position)
        return String(_ESCAPE.sub(_unescaped, data[position + 1:end - 1])), end
    if head[:1] == b"<":
        end = data.find(b">", position)
        if end < 0:
            raise ValueError("an unterminated hex string")
        digits = data[position + 1:end].translate(None, _WHITE)
        try:
            return String(binascii.unhexlify(digits + b"0" * (len(digits) % 2))), end + 1
        except binascii.Error:
            raise ValueError("a hex string with a character that is no hex digit") from None
    token = _matched(_TOKEN.match(data, position)).group()
    if not token:
        raise ValueError(f"unexpected {data[position:position + 1]!r}")
    position += len(token)
    if token.isdigit():
        reference = _REF.match(data, position)
        if reference:
            return Ref(int(token)), reference.end()
        return int(token), position
    try:
        return float(token), position
    except ValueError:
        pass
    return {b"true": True, b"false": False, b"null": None}.get(token, _Keyword(token)), position


def _unescaped(escape: re.Match[bytes]) -> bytes:
    code = escape[1]
    return bytes([int(code, 8) & 255]) if code[0] in b"01234567" else _ESCAPED.get(code, code)


def _string_end(data: bytes, position: int) -> int:
    depth, position = 0, position
    while position < len(data):
        byte = data[position]
        if byte == 0x5C:  # backslash: the next byte is escaped
            position += 2
            continue
        depth += (byte == 0x28) - (byte == 0x29)
        position += 1
        if depth == 0:
            return position
    raise ValueError("an unterminated string")


# ── finding streams and resolving references ──────────────────────────────────────


class Objects:
    """The objects of a PDF's bytes, by number, parsed on demand."""

    def __init__(self, data: bytes, limit: int):
        """`limit`: the bytes an object stream is decoded to, at most, to find the objects
        it holds."""
        self.data, self._limit = data, limit
        self._found = [(int(header[1]), int(header[2]), header.end()) for header in _HEADER.finditer(data)]
        self._headers = {number: position for number, _, position in self._found}
        self._packed: dict[int, tuple[bytes, int]] | None = None
        # how the streams are decrypted (None: they are not encrypted), or why they cannot be
        self.encryption: Handler | None = None
        self.undecryptable: CryptError | None = None
        trailer = self.trailer()
        if trailer.get(Name(b"Encrypt")) is not None:
            encrypt = self._direct(trailer.get(Name(b"Encrypt")))
            identifiers = self._direct(trailer.get(Name(b"ID")))
            first = identifiers[0] if isinstance(identifiers, list) and identifiers else b""
            try:
                self.encryption = handler(encrypt if isinstance(encrypt, dict) else {},
                                          first if isinstance(first, bytes) else b"")
            except CryptError as error:
                self.undecryptable = error

    def streams(self) -> Iterator[Stream]:
        """Every stream, in file order, with its dictionary."""
        for index, (number, generation, position) in enumerate(self._found):
            following = self._found[index + 1][2] if index + 1 < len(self._found) else len(self.data)
            if self.data.find(b"stream", position, following) < 0:
                continue  # not a stream: no need to parse it
            stream = self._stream_at(number, generation, position)
            if stream is not None:
                yield stream

    def trailer(self) -> dict:
        """The trailer a PDF library reads: the dictionary after the cross-reference table
        the last `startxref` points to, or that cross-reference stream's; else (a damaged
        table, which a library rebuilds) the last trailer or cross-reference stream."""
        pointer = _STARTXREF.match(self.data, max(self.data.rfind(b"startxref"), 0))
        if pointer:
            found = self._trailer_at(int(pointer[1]))
            if found is not None:
                return found
        last = self.data.rfind(b"trailer")
        positions = [last] if last >= 0 else []
        positions += [header.start() for header in _HEADER.finditer(self.data, max(last, 0))]
        for position in sorted(positions, reverse=True):
            found = self._trailer_at(position)
            if found is not None:
                return found
        return {}

    def _trailer_at(self, position: int) -> dict | None:
        try:
            if self.data.startswith(b"xref", position) or self.data.startswith(b"trailer", position):
                keyword = self.data.find(b"trailer", position)
                found = parse(self.data, keyword + len(b"trailer"))[0] if keyword >= 0 else None
            else:
                header = _HEADER.match(self.data, position)
                found = parse(self.data, header.end())[0] if header else None
                found = found if isinstance(found, dict) and found.get(Name(b"Type")) == b"XRef" else None
        except (ValueError, IndexError):
            return None
        return found if isinstance(found, dict) else None

    def _direct(self, value: object) -> object:
        """The value, a reference followed to an object outside object streams (the
        trailer's entries are, and an object stream may be encrypted)."""
        for _ in range(_DEPTH):
            if not isinstance(value, Ref):
                return value
            try:
                value = parse(self.data, self._headers[value.number])[0] if value.number in self._headers else None
            except (ValueError, IndexError):
                return None
        return None

    def _stream_at(self, number: int, generation: int, position: int) -> Stream | None:
        try:
            dictionary, position = parse(self.data, position)
            keyword, position = parse(self.data, position)
        except (ValueError, IndexError):
            return None
        if not isinstance(dictionary, dict) or keyword != b"stream":
            return None
        if self.data[position:position + 2] == b"\r\n":
            position += 2
        elif self.data[position:position + 1] in (b"\n", b"\r"):
            position += 1
        length = self.resolve(dictionary.get(Name(b"Length")))
        ends = [self.data.find(_ENDSTREAM, position)]
        if isinstance(length, int) and 0 <= length <= len(self.data) - position:
            ends.append(position + length)
        end = max(ends) if max(ends) >= 0 else len(self.data)
        return Stream(number, generation, position, end, dictionary)

    def resolve(self, value: object, depth: int = 0) -> object:
        """The value, a reference followed to its object (None when there is none)."""
        while isinstance(value, Ref) and depth < _DEPTH:
            value, depth = self._object(value.number), depth + 1
        return None if isinstance(value, Ref) else value

    def _object(self, number: int) -> object:
        try:
            if number in self._headers:
                return parse(self.data, self._headers[number])[0]
            if self._packed is None:
                self._packed = self._unpack()
            if number in self._packed:
                text, offset = self._packed[number]
                return parse(text, offset)[0]
        except (ValueError, IndexError):
            pass
        return None

    def _unpack(self) -> dict[int, tuple[bytes, int]]:
        """The objects held in object streams: number → (decoded stream, offset)."""
        packed: dict[int, tuple[bytes, int]] = {}
        for stream in self.streams():
            if stream.dictionary.get(Name(b"Type")) != b"ObjStm":
                continue
            text = _joined(decoded(self, stream), self._limit)
            first = self.resolve(stream.dictionary.get(Name(b"First")))
            count = self.resolve(stream.dictionary.get(Name(b"N")))
            if not isinstance(first, int) or not isinstance(count, int):
                continue
            pairs = re.findall(rb"[0-9]+", text[:first])[:2 * count]
            for number, offset in zip(pairs[::2], pairs[1::2], strict=False):
                packed.setdefault(int(number), (text, first + int(offset)))
        return packed

    def decrypted(self, stream: Stream, chain: list[tuple[bytes, dict]], pieces: Iterable[bytes]) -> Iterable[bytes]:
        """The stream's data decrypted as its crypt filter, or the document's, says (a
        cross-reference stream is never encrypted, nor metadata the dictionary exempts);
        a crypt filter the document does not define leaves it as it is, and says so."""
        kind = stream.dictionary.get(Name(b"Type"))
        if self.encryption is None or kind == b"XRef" or (kind == b"Metadata" and not self.encryption.metadata):
            return pieces
        method = self.encryption.streams
        if chain and chain[0][0] == b"Crypt":
            name = chain[0][1].get(Name(b"Name"), b"Identity")
            try:
                method = self.encryption.method(bytes(name) if isinstance(name, bytes) else b"Identity")
            except CryptError as error:
                self.undecryptable = self.undecryptable or error
                return pieces
        if method == IDENTITY:
            return pieces
        return self.encryption.decrypt(pieces, method, stream.number, stream.generation)

    def chain(self, stream: Stream) -> list[tuple[bytes, dict]]:
        """The stream's filters in the order they decode, each with its parameters."""
        filters = self.resolve(stream.dictionary.get(Name(b"Filter")))
        params = self.resolve(stream.dictionary.get(Name(b"DecodeParms")))
        filters = [filters] if isinstance(filters, Name) else filters if isinstance(filters, list) else []
        params = params if isinstance(params, list) else [params] * len(filters)
        chain = []
        for index, name in enumerate(filters):
            name = self.resolve(name)
            if not isinstance(name, Name):
                continue
            parameters = self.resolve(params[index]) if index < len(params) else None
            chain.append((bytes(name), parameters if isinstance(parameters, dict) else {}))
        return chain


# ── decoding, a piece at a time ───────────────────────────────────────────────────


class TooCostly(Exception):
    """Decoding a stream would cost more than judging one may (the message says why)."""


def _joined(pieces: Iterable[bytes], limit: int) -> bytes:
    out = bytearray()
    for piece in pieces:
        out += piece
        if len(out) > limit:
            break
    return bytes(out)


def raw(data: bytes, stream: Stream) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(stream.start, stream.end, _READ):
        yield bytes(view[start:min(start + _READ, stream.end)])


def decoded(objects: Objects, stream: Stream) -> Iterator[bytes]:
    """The stream's data through its filter chain, in pieces of at most STEP bytes (an image
    codec, or a filter this module does not know, ends the chain with what reaches it)."""
    chain = objects.chain(stream)
    pieces = objects.decrypted(stream, chain, raw(objects.data, stream))
    for index, (name, parameters) in enumerate(chain):
        stage = DECODERS.get(name)
        if stage is None:
            break
        pieces = stage(pieces, parameters)
        if index < len(chain) - 1 and stage in (flate, lzw) and _predictor(parameters):
            pieces = predicted(pieces, parameters)  # last in the chain, it only shortens the count
    return iter(pieces)


def crypt(pieces: Iterable[bytes], _: dict) -> Iterator[bytes]:
    """A /Crypt filter: the data, decrypted already (Objects.decrypted)."""
    return iter(pieces)


def flate(pieces: Iterable[bytes], _: dict) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for piece in pieces:
        while piece:
            try:
                out = inflater.decompress(piece, STEP)
            except zlib.error:
                return
            if out:
                yield out
            if inflater.eof:
                return
            piece = inflater.unconsumed_tail


def ascii_hex(pieces: Iterable[bytes], _: dict) -> Iterator[bytes]:
    carry = b""
    for piece in pieces:
        digits = piece.translate(None, _WHITE)
        end = re.search(rb"[^0-9A-Fa-f]", digits)
        digits, done = (carry + digits[:end.start()], True) if end else (carry + digits, False)
        if done:
            yield binascii.unhexlify(digits + b"0" * (len(digits) % 2))  # an odd last digit: followed by 0
            return
        cut = len(digits) - len(digits) % 2
        carry = digits[cut:]
        if cut:
            yield binascii.unhexlify(digits[:cut])


_A85_BAD = re.compile(rb"[^!-u]")


def ascii85(pieces: Iterable[bytes], _: dict) -> Iterator[bytes]:
    carry = b""
    for piece in pieces:
        # 'z' stands for four zero bytes, as does the group '!!!!!'
        for part in _split(piece.translate(None, _WHITE).replace(b"z", b"!!!!!"), _READ):
            end = _A85_BAD.search(part)
            groups = carry + (part[:end.start()] if end else part)
            if end:
                if groups:
                    yield _a85(groups)
                return
            cut = len(groups) - len(groups) % 5
            carry = groups[cut:]
            if cut:
                yield _a85(groups[:cut])
    if carry:
        yield _a85(carry)


def _a85(groups: bytes) -> bytes:
    """Base-85 groups to bytes, vectorized (the standard library's decoder runs in Python);
    a short last group is padded with 'u' and cut, as the format says."""
    short = len(groups) % 5
    if short == 1:
        groups, short = groups[:-1], 0  # a lone last character decodes to nothing
    digits = np.frombuffer(groups + b"u" * ((5 - short) % 5), dtype=np.uint8).reshape(-1, 5).astype(np.uint64) - 33
    values = digits @ np.array([85 ** 4, 85 ** 3, 85 ** 2, 85, 1], dtype=np.uint64)
    if (values > 0xFFFFFFFF).any():
        values = values[:np.argmax(values > 0xFFFFFFFF)]  # a group over 2^32 ends the data
        short = 0
    out = values.astype(">u4").tobytes()
    return out[:len(out) - (5 - short) % 5] if short else out


def run_length(pieces: Iterable[bytes], _: dict) -> Iterator[bytes]:
    out, pending = bytearray(), b""
    for piece in pieces:
        data, position = pending + piece, 0
        while position < len(data):
            length = data[position]
            if length == 128:
                yield bytes(out)
                return
            if length < 128:
                if position + 1 + length >= len(data):
                    break
                out += data[position + 1:position + 2 + length]
                position += 2 + length
            else:
                if position + 1 >= len(data):
                    break
                # the same repeat over and over (a bomb's shape) is taken at once
                repeats = _matched(_repeats(data[position:position + 2]).match(data, position)).end() - position
                left = (257 - length) * (repeats // 2)
                while left:
                    taken = min(left, STEP)
                    out += data[position + 1:position + 2] * taken
                    left -= taken
                    if len(out) >= STEP:
                        yield bytes(out)
                        out.clear()
                position += repeats
            if len(out) >= STEP:
                yield bytes(out)
                out.clear()
        pending = data[position:]
    yield bytes(out)


@cache
def _repeats(pair: bytes) -> re.Pattern[bytes]:
    return re.compile(b"(?:" + re.escape(pair) + b")+")


def _matched(found: re.Match[bytes] | None) -> re.Match[bytes]:
    """The match of a pattern that cannot fail where it is tried (it matches the empty
    string, or the bytes it starts at); None would be a bug, not a document's fault."""
    if found is None:
        raise AssertionError("a pattern that cannot fail did not match")
    return found


def lzw(pieces: Iterable[bytes], parameters: dict) -> Iterator[bytes]:
    early = 1 if parameters.get(Name(b"EarlyChange"), 1) != 0 else 0
    table = [bytes([n]) for n in range(256)] + [b"", b""]
    width, bits, count, previous, out, spent = 9, 0, 0, b"", bytearray(), 0
    for piece in pieces:
        spent += len(piece)
        if spent > MAX_SLOW_BYTES:
            raise TooCostly(f"LZW data over {MAX_SLOW_BYTES:,} bytes")
        for byte in piece:
            bits, count = (bits << 8) | byte, count + 8
            if count < width:
                continue
            count -= width
            code, bits = bits >> count, bits & ((1 << count) - 1)
            if code == 256:
                del table[258:]
                width, previous = 9, b""
                continue
            if code == 257:
                yield bytes(out)
                return
            if code < len(table):
                entry = table[code]
                if previous:
                    table.append(previous + entry[:1])
            elif code == len(table) and previous:
                entry = previous + previous[:1]
                table.append(entry)
            else:
                yield bytes(out)
                return
            del table[4096:]
            previous = entry
            out += entry
            if len(table) + early >= 1 << width and width < 12:
                width += 1
            if len(out) >= STEP:
                yield bytes(out)
                out.clear()
    yield bytes(out)


def _predictor(parameters: dict) -> int:
    predictor = parameters.get(Name(b"Predictor"), 1)
    return predictor if isinstance(predictor, int) and predictor >= 2 else 0


def predicted(pieces: Iterable[bytes], parameters: dict) -> Iterator[bytes]:
    """A PNG (Predictor ≥ 10) or TIFF (2) predictor undone, row by row: needed only when
    another filter decodes its output, which no writer does. It runs in Python, so past
    MAX_SLOW_BYTES the stream is too costly to judge."""
    def number(key: bytes, default: int) -> int:
        value = parameters.get(Name(key), default)
        return value if isinstance(value, int) and 0 < value < 1 << 16 else default
    colors, bits, columns = number(b"Colors", 1), number(b"BitsPerComponent", 8), number(b"Columns", 1)
    width, unit = (colors * bits * columns + 7) // 8, max(1, colors * bits // 8)
    png = _predictor(parameters) >= 10
    row, buffer, spent = bytes(width), b"", 0
    for piece in pieces:
        spent += len(piece)
        if spent > MAX_SLOW_BYTES:
            raise TooCostly(f"a predictor before another filter, over {MAX_SLOW_BYTES:,} bytes")
        buffer += piece
        size = width + png
        rows, out = len(buffer) // size, bytearray()
        for start in range(0, rows * size, size):
            line = buffer[start:start + size]
            row = _png_row(line[0], line[1:], row, unit) if png else _tiff_row(line, unit, bits)
            out += row
        buffer = buffer[rows * size:]
        if out:
            yield bytes(out)


def _png_row(kind: int, line: bytes, above: bytes, unit: int) -> bytes:
    if kind == 0:
        return line
    if kind == 2:
        return bytes((a + b) & 255 for a, b in zip(line, above, strict=False))
    if kind > 4:
        return line
    row = bytearray(line)
    for i in range(len(row)):
        left = row[i - unit] if i >= unit else 0
        up = above[i]
        if kind == 1:
            row[i] = (row[i] + left) & 255
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 255
        elif kind == 4:
            corner = above[i - unit] if i >= unit else 0
            guess = left + up - corner
            pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
            row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return bytes(row)


def _tiff_row(line: bytes, unit: int, bits: int) -> bytes:
    if bits != 8:
        return line
    row = bytearray(line)
    for i in range(unit, len(row)):
        row[i] = (row[i] + row[i - unit]) & 255
    return bytes(row)


def _split(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


DECODERS: dict[bytes, Callable[[Iterable[bytes], dict], Iterator[bytes]]] = {
    b"FlateDecode": flate, b"Fl": flate,
    b"LZWDecode": lzw, b"LZW": lzw,
    b"ASCIIHexDecode": ascii_hex, b"AHx": ascii_hex,
    b"ASCII85Decode": ascii85, b"A85": ascii85,
    b"RunLengthDecode": run_length, b"RL": run_length,
    b"Crypt": crypt,
}
