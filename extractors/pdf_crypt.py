"""The standard security handler of a PDF opened with the empty password: its key, and
its streams decrypted a piece at a time (ISO 32000-2, 7.6.4).

Most government PDFs are "encrypted" with an empty user password, only to forbid
copying: every reader opens them, and their streams cannot be judged (pdf_streams.py,
bounds.py) until they are decrypted. The key is derived as the PDF library derives it
opening the file without a password: from the empty password as the user password
(algorithms 2 and 6 for revisions 2-4; 2.A and 2.B for 5 and 6; pdfium never tries an
empty password as the owner's, so neither does this). Streams are
decrypted with RC4 keyed per object (V 1, 2, and crypt filters /V2), AES-128 keyed per
object (/AESV2) or AES-256 with the file key (/AESV3), in pieces, so memory stays at a
piece and the cost is linear in the stream's size.

A document whose user password is not empty cannot be opened here (`Locked`);
one with another handler or an algorithm outside the standard (`Unsupported`) may be
opened by the PDF library but not judged before.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_BLOCK = 16

IDENTITY, RC4, AES128, AES256 = "Identity", "RC4", "AESV2", "AESV3"
_METHODS = {b"None": IDENTITY, b"V2": RC4, b"AESV2": AES128, b"AESV3": AES256}
_LOCKED = "the PDF is encrypted with a password (its user password is not empty)"


class CryptError(Exception):
    """Why a document's streams cannot be decrypted (the message says so)."""


class Locked(CryptError):
    """The user password is not empty."""


class Unsupported(CryptError):
    """A security handler or algorithm the standard handler does not define."""


@dataclass(frozen=True)
class Handler:
    """What decrypts a document's streams: the file key, the method of its streams (and
    of each named crypt filter), and whether its metadata stream is encrypted."""

    key: bytes
    streams: str
    filters: Mapping[bytes, str] = field(default_factory=dict)
    metadata: bool = True

    def method(self, crypt_filter: bytes) -> str:
        """The method of a stream's /Crypt filter named `crypt_filter`."""
        if crypt_filter == b"Identity":
            return IDENTITY
        if crypt_filter not in self.filters:
            raise Unsupported(f"a stream names the crypt filter {crypt_filter.decode('latin-1')}, which the "
                              "encryption dictionary does not define")
        return self.filters[crypt_filter]

    def decrypt(self, pieces: Iterable[bytes], method: str, number: int, generation: int) -> Iterator[bytes]:
        """The stream of object `number` `generation`, decrypted by `method`."""
        if method == IDENTITY:
            return iter(pieces)
        if method == AES256:
            return _aes(pieces, self.key)
        salt = (number & 0xFFFFFF).to_bytes(3, "little") + (generation & 0xFFFF).to_bytes(2, "little")
        key = hashlib.md5(self.key + salt + (b"sAlT" if method == AES128 else b""), usedforsecurity=False).digest()
        key = key[:min(len(self.key) + 5, 16)]
        return _aes(pieces, key) if method == AES128 else _rc4(pieces, key)


def handler(encryption: Mapping[bytes, object], first_id: bytes) -> Handler:
    """The handler of a document encrypted by `encryption` (its /Encrypt dictionary, names
    as bytes), the first element of its /ID given, opened with the empty password."""
    if not encryption:
        raise Unsupported("the trailer's /Encrypt is not a dictionary outside object streams")
    if encryption.get(b"Filter") != b"Standard":
        raise Unsupported(f"the security handler {_text(encryption.get(b'Filter'))} is not the standard one")
    version, revision = _integer(encryption.get(b"V"), 0), _integer(encryption.get(b"R"), 0)
    filters = {name: _method(value) for name, value in _mapping(encryption.get(b"CF")).items()}
    metadata = encryption.get(b"EncryptMetadata") is not False
    if version in (1, 2) and revision in (2, 3, 4):
        return Handler(_key_rc4(encryption, revision, first_id, metadata, 0), RC4, filters, metadata)
    if version not in (4, 5) or revision not in ((4,) if version == 4 else (5, 6)):
        raise Unsupported(f"the standard security handler's version {version}, revision {revision} is not defined")
    named = encryption.get(b"StmF", b"Identity")  # crypt filters (V 4, 5): the streams' is named
    stream_filter = bytes(named) if isinstance(named, bytes) else b""
    streams = IDENTITY if stream_filter == b"Identity" else filters.get(stream_filter)
    if streams is None:
        raise Unsupported(f"the stream filter {_text(named)} is not defined by the encryption dictionary")
    if version == 5:
        return Handler(_key_aes256(encryption, revision), streams, filters, metadata)
    stream_crypt = _mapping(_mapping(encryption.get(b"CF")).get(stream_filter))  # AES-128 needs a 128-bit key
    bits = 128 if AES128 in filters.values() else _integer(stream_crypt.get(b"Length"), 0)
    return Handler(_key_rc4(encryption, revision, first_id, metadata, bits), streams, filters, metadata)


# ── revisions 2 to 4: MD5 and RC4 (algorithms 2 and 6) ──────────────────────────────


def _key_rc4(encryption: Mapping[bytes, object], revision: int, first_id: bytes, metadata: bool, bits: int) -> bytes:
    """The file key of revisions 2-4; `bits`, its length a crypt filter states (0: the
    dictionary's /Length, 40 bits by default)."""
    owner, user = _string(encryption, b"O")[:32], _string(encryption, b"U")
    bits = bits or _integer(encryption.get(b"Length"), 40)
    size = 5 if revision == 2 else max(5, min(16, bits // 8 if bits >= 40 else bits))
    permissions = struct.pack("<I", _integer(encryption.get(b"P"), 0) & 0xFFFFFFFF)

    digest = hashlib.md5(_PAD + owner + permissions + first_id + (b"" if metadata or revision < 4 else b"\xff" * 4),
                         usedforsecurity=False).digest()
    for _ in range(50 if revision >= 3 else 0):
        digest = hashlib.md5(digest[:size], usedforsecurity=False).digest()
    key = digest[:size]
    if revision == 2:
        opens = _rc4_once(key, _PAD) == user[:32]
    else:
        check = _rc4_once(key, hashlib.md5(_PAD + first_id, usedforsecurity=False).digest())
        for step in range(1, 20):
            check = _rc4_once(bytes(byte ^ step for byte in key), check)
        opens = check == user[:16]
    if not opens:
        raise Locked(_LOCKED)
    return key


def _rc4_once(key: bytes, data: bytes) -> bytes:
    return Cipher(ARC4(key), mode=None).decryptor().update(data)


def _rc4(pieces: Iterable[bytes], key: bytes) -> Iterator[bytes]:
    decryptor = Cipher(ARC4(key), mode=None).decryptor()
    for piece in pieces:
        yield decryptor.update(piece)


# ── revisions 5 and 6: SHA-2 and AES-256 (algorithms 2.A, 2.B) ──────────────────────


def _key_aes256(encryption: Mapping[bytes, object], revision: int) -> bytes:
    user, wrapped = _string(encryption, b"U")[:48], _string(encryption, b"UE")[:32]
    if len(user) < 48 or len(wrapped) < 32:
        raise Unsupported("the encryption dictionary's /U or /UE is too short for AES-256")
    if _hash(revision, user[32:40]) != user[:32]:
        raise Locked(_LOCKED)
    unwrap = Cipher(algorithms.AES(_hash(revision, user[40:48])), modes.CBC(bytes(16))).decryptor()
    return unwrap.update(wrapped) + unwrap.finalize()


def _hash(revision: int, salt: bytes) -> bytes:
    """The hash of the empty password with `salt`: SHA-256 for revision 5, algorithm
    2.B's rounds for 6."""
    digest = hashlib.sha256(salt).digest()
    if revision == 5:
        return digest
    round_ = 0
    while True:
        repeated = digest * 64
        encrypted = Cipher(algorithms.AES(digest[:16]), modes.CBC(digest[16:32])).encryptor().update(repeated)
        digest = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[sum(encrypted[:16]) % 3](encrypted).digest()
        round_ += 1
        if round_ >= 64 and encrypted[-1] <= round_ - 32:
            return digest[:32]


def _aes(pieces: Iterable[bytes], key: bytes) -> Iterator[bytes]:
    """AES-CBC: the first block is the IV; the padding of the last block is removed (a
    last block cut short or badly padded ends the data, as readers end it)."""
    decryptor, vector, held = None, b"", b""
    for piece in pieces:
        if decryptor is None:
            vector += piece
            if len(vector) < _BLOCK:
                continue
            decryptor = Cipher(algorithms.AES(key), modes.CBC(vector[:_BLOCK])).decryptor()
            piece = vector[_BLOCK:]
        out = held + decryptor.update(piece)
        out, held = out[:-_BLOCK], out[-_BLOCK:]
        if out:
            yield out
    padding = held[-1] if held else 0
    if 1 <= padding <= _BLOCK and held.endswith(bytes([padding]) * padding):
        held = held[:-padding]
    if held:
        yield held


# ── the encryption dictionary's values ───────────────────────────────────────────────


def _integer(value: object, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return int(value)


def _mapping(value: object) -> Mapping[bytes, object]:
    return value if isinstance(value, Mapping) else {}


def _string(encryption: Mapping[bytes, object], key: bytes) -> bytes:
    value = encryption.get(key)
    if not isinstance(value, bytes):
        raise Unsupported(f"the encryption dictionary has no /{key.decode()} string")
    return bytes(value)


def _method(crypt_filter: object) -> str:
    method = _mapping(crypt_filter).get(b"CFM", b"None")
    if not isinstance(method, bytes) or bytes(method) not in _METHODS:
        raise Unsupported(f"the crypt filter method {_text(method)} is not defined")
    return _METHODS[bytes(method)]


def _text(value: object) -> str:
    return "/" + value.decode("latin-1") if isinstance(value, bytes) else "(none)"
