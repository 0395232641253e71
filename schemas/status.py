"""One status vocabulary for what became of a document and its report.

`documents.status`, `reports.status`, the coverage view and the loader's summary all use
these words, so `status <> 'ok'` means the same thing on every table:

- ok: the document gave a report and no check found an error;
- issues: the document gave a report and checks found errors (the figures are kept as
  published; `quality_issues` says what is wrong);
- unreadable: no report could be read from the document (`documents.reason` says why);
- unkeyed: a report was read but its jurisdiction, organ or year could not be
  determined, so it has no report key (`documents.reason` says which).

`reports.status` is only ever ok or issues: the other two documents give no report.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    ISSUES = "issues"
    UNREADABLE = "unreadable"
    UNKEYED = "unkeyed"

    @property
    def has_report(self) -> bool:
        return self in (Status.OK, Status.ISSUES)
