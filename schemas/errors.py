"""The one base of every error xxgk raises on purpose.

Each is something a user can act on, with a message of one line; the CLI catches
`XxgkError` once, prints the message and exits with the error's `exit_code` (1: an input,
the registry or the warehouse could not be used; 2: an argument is wrong). Documents never
raise: a document that cannot be read is data (an extraction whose issue says why).
"""

from __future__ import annotations


class XxgkError(Exception):
    exit_code = 1


class UsageError(XxgkError):
    """An argument or parameter is out of its domain (a year, a division code, …)."""

    exit_code = 2
