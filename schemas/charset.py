"""Bytes → text for pages and text dumps that may be UTF-8 or GBK, declared or not.

Declarations are not trusted blindly: portals declare gb2312 and serve GBK characters, or
declare GBK and serve UTF-8. Strict UTF-8 goes first (GBK text practically never decodes
as UTF-8), then the declarations; GBK and GB2312 are decoded as GB18030, their superset,
so no declared-GB page loses a character.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, *declared: str | None) -> tuple[str, str]:
    """The text and the encoding that decoded it: a BOM, strict UTF-8, each declared
    charset (in the caller's order of trust), GB18030, then charset detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    for candidate in ["utf-8", *(_canonical(d) for d in declared if d), "gb18030"]:
        try:
            return data.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8"


def _canonical(name: str) -> str:
    name = name.strip().strip("'\"").lower()
    return _SUPERSET.get(name, name)


def decode_page(data: bytes, declared: str | None) -> tuple[str, str]:
    """An HTML page's text: the server's declaration first, then the page's own <meta>."""
    return decode(data, declared, _meta_charset(data))


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None
