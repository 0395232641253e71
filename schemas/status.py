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


class Coverage(StrEnum):
    """What the warehouse knows of a division's report for a year (the `coverage` view),
    from the best outcome down: a report loaded, loaded with errors, only unreadable
    documents, a portal crawled that listed none, a portal whose annual-report column
    could not be crawled, no portal crawled at all (none registered)."""

    LOADED = "loaded"
    LOADED_WITH_ERRORS = "loaded_with_errors"
    UNREADABLE = "unreadable"
    NO_REPORT_FOUND = "no_report_found"
    COLUMN_NOT_FOUND = "column_not_found"
    NO_PORTAL = "no_portal"
