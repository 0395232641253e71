"""The warehouse's one error: it cannot be used as asked. The message is one line for the
user (the CLI prints it as it is); subclasses say which way it failed."""

from xxgk.schemas.errors import XxgkError


class WarehouseUnavailable(XxgkError):
    """The warehouse cannot be opened or written; the message is one line for the user."""


class LakeDamaged(WarehouseUnavailable):
    """The lake's catalog or data is not what it was; the message says what and where."""
