"""Regular expressions that turn a starting position away at its first character.

Python's `re` skips quickly over the text only for a pattern that opens with a literal or
a class. One opening with a look-behind or an optional word (`(?<!申请)(?:主动)?公开…`, or
an alternation of such, as the prose's subjects do) is tried in full at every character,
and on a report's prose that is most of the reading's cost. `guarded` puts before it a
look-ahead for the characters a match can start with, read from the pattern itself: the
same matches, found several times faster. A pattern whose first character could be
anything, or that can match nothing at all, is returned as it is.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import Any

# The standard library's own parser of patterns: what it makes of a pattern is what `re`
# runs. (The module is private; anything it gives that is not understood here leaves the
# pattern unguarded, never wrong.)
_parser = importlib.import_module("re._parser")
_c = importlib.import_module("re._constants")
_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_SPACE: r"\s", _c.CATEGORY_WORD: r"\w"}
_ZERO_WIDTH = (_c.ASSERT, _c.ASSERT_NOT, _c.AT)
_MAX_RANGE = 256  # a wider class than this guards little


class _Open(Exception):
    """The first character is not known: the pattern stays as it is."""


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern`, behind a look-ahead for the characters its matches start with."""
    return _guarded(pattern.pattern, pattern.flags) or pattern


def first_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of the pattern can start with, where they are a list (None:
    a class, a range or any character): a text holding none of them holds no match."""
    starts = _starts(pattern.pattern, pattern.flags)
    return None if starts is None or not all(len(atom) == 1 for atom in starts) else frozenset(starts)


@cache  # keyed by the source, whose hash a string keeps (a compiled pattern hashes its code at each call)
def _guarded(source: str, flags: int) -> re.Pattern[str] | None:
    starts = _starts(source, flags)
    if starts is None:
        return None
    atoms = (re.escape(atom) if len(atom) == 1 else atom for atom in sorted(starts))
    try:
        return re.compile(f"(?=[{''.join(atoms)}])(?:{source})", flags)
    except re.error:  # flags set inside the pattern ((?m)^…) must open it: left as it is
        return None


@cache
def _starts(source: str, flags: int) -> frozenset[str] | None:
    """The atoms of a class that every match opens with: characters, escaped ranges (a-z),
    class escapes (\\d). None where not known, or where the pattern can match nothing."""
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        starts, empty = _first(_parser.parse(source, flags))
    except (_Open, re.error, RecursionError):
        return None
    return None if empty or not starts else frozenset(starts)


def _first(items: Any) -> tuple[set[str], bool]:
    """The class atoms a match of the item sequence can open with, and whether it can match
    the empty string."""
    starts: set[str] = set()
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue  # a look-around or an anchor takes no character: the next item opens
        if op is _c.LITERAL:
            return starts | {chr(arg)}, False
        if op is _c.IN:
            return starts | _class(arg), False
        if op is _c.SUBPATTERN:
            if arg[1] & re.IGNORECASE:  # (?i:…): a letter opens in either case
                raise _Open
            found, empty = _first(arg[3])
        elif op is _c.BRANCH:
            alternatives = [_first(alternative) for alternative in arg[1]]
            found = {atom for atoms, _ in alternatives for atom in atoms}
            empty = any(empty for _, empty in alternatives)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            found, empty = _first(arg[2])
            empty = empty or arg[0] == 0
        else:  # any character, a character excluded, a back-reference, an atomic group …
            raise _Open
        starts |= found
        if not empty:
            return starts, False
    return starts, True


def _class(items: Any) -> set[str]:
    atoms: set[str] = set()
    for op, arg in items:
        if op is _c.LITERAL:
            atoms.add(chr(arg))
        elif op is _c.RANGE and arg[1] - arg[0] <= _MAX_RANGE:
            atoms.add(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is _c.CATEGORY and arg in _CATEGORIES:
            atoms.add(_CATEGORIES[arg])
        else:  # a negated class, a wide range
            raise _Open
    return atoms
