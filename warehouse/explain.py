"""Why a jurisdiction-year is or is not in the warehouse (`xxgk explain CODE YEAR`), from
what the crawls recorded: the portals crawled for the jurisdiction (`portal_crawls`) or
that listed a report of it (`discovery_log`), each one's last run: the listing pages it
read, what its listing gave, whether its column fell short of what it declares; each
candidate link of the year with the reason discovery took or passed it by (a passed-by
title with the cues of its reading, schemas/titles.py); what fetching the taken ones
gave; the reports loaded with their findings, and the documents listed for it that gave
no report, with why. Read-only. The registry is the caller's: it only says which portals
are registered now (None: it was not read), never which were crawled."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from xxgk.schemas.status import Status
from xxgk.schemas.titles import read_title

_PORTAL_REASONS = ("page limit",)  # rows about a portal, not a link (and "column declares …", its run's shortfall)
_MAX_ROWS = 200                    # of each kind shown
_MAX_PASSED_BY = 5000              # passed-by titles read to find the year's


@dataclass(frozen=True)
class PortalRun:
    """One portal's last recorded crawl: what its listing gave, by reason, and whether its
    column fell short of the size it declares."""

    portal: str
    run_id: str
    jurisdiction_code: str | None     # the portal's own, where the run recorded it
    reports_found: int | None         # reports it fetched (None: the run did not record the portal)
    error: str | None
    listed: dict[str, int]            # discovery's reasons and how many links each
    shortfall: str | None


@dataclass(frozen=True)
class Explanation:
    code: str
    year: int
    name: str | None
    portals: list[tuple[str, str]] | None               # (name, entry) registered now; None: no registry read
    crawled: list[PortalRun]                            # the portals the warehouse recorded for the code
    pages: list[tuple[str, str, str | None]]            # (listing page, outcome, error)
    candidates: list[tuple[str, str | None, str, str]]  # (portal, title, url, reason)
    fetches: list[tuple[str, str, str | None]]          # (url, outcome, error) of the links taken
    reports: list[tuple[str, str, str | None, str | None]]  # (organ, status, title, document url)
    findings: list[tuple[str, str, str]]                # (organ, severity, message)
    # documents that gave no report, found by their listing's identity: (organ, status, reason, url)
    unread: list[tuple[str | None, str, str | None, str | None]]

    @property
    def run_id(self) -> str | None:
        """The latest run that met these portals."""
        return self.crawled[0].run_id if self.crawled else None

    def lines(self) -> list[str]:
        out = [f"{self.name or '(unknown division)'} {self.code}, {self.year}"]
        out += self._registered()
        if not self.crawled:
            out.append("  no crawl has recorded a portal of this jurisdiction (`xxgk crawl`)")
        for run in self.crawled:
            out += run_lines(run)
        out.append(f"  {len(self.pages)} listing page(s) read")
        out += [f"    {url}: {outcome or 'not in the crawl log'}" + (f" ({error})" if error else "")
                for url, outcome, error in self.pages]
        out += [candidate_line(*candidate) for candidate in self.candidates]
        out += [f"  fetched {url}: {outcome}" + (f" ({error})" if error else "")
                for url, outcome, error in self.fetches]
        if not self.reports:
            out.append("  no report of this jurisdiction and year is in the warehouse")
        out += [f"  document {url or '(local)'}: {status}, {reason or ''}" + (f" [{organ}]" if organ else "")
                for organ, status, reason, url in self.unread]
        out += [f"  report {organ}: {status}, {title or ''} ({url or 'local'})"
                for organ, status, title, url in self.reports]
        out += [f"    {severity}: {message}" + (f" [{organ}]" if len(self.reports) > 1 else "")
                for organ, severity, message in self.findings]
        return out

    def _registered(self) -> list[str]:
        if self.portals is None:
            return ["  registry not read (give `--registry` to see which portals are registered now)"]
        if not self.portals:
            return ["  registered now: none (`xxgk portals add`)"]
        return [f"  registered now: {name}: {entry}" for name, entry in self.portals]


def run_lines(run: PortalRun) -> list[str]:
    """A portal's last crawl in a line or two: its run, what its listing gave, its shortfall or error."""
    listed = ", ".join(f"{n} {reason}" for reason, n in sorted(run.listed.items(), key=lambda item: -item[1]))
    found = f", {run.reports_found} report(s) fetched" if run.reports_found is not None else ""
    out = [f"  crawled {run.portal} in run {run.run_id}: listing gave {listed or 'no link'}{found}"]
    if run.shortfall:
        out.append(f"    short: {run.shortfall}")
    if run.error:
        out.append(f"    error: {run.error}")
    return out


def candidate_line(portal: str, title: str | None, url: str, reason: str) -> str:
    """A candidate link and why it was taken or passed by; a title passed by says what its reading found."""
    line = f"  {reason}: {title or ''} {url}".rstrip() + f"  [{portal}]"
    return line + f"  {read_title(title).why}" if title and reason == "not a report title" else line


def explain(con: duckdb.DuckDBPyConnection, code: str, year: int,
            registered: list[tuple[str, str]] | None = None) -> Explanation:
    name = _one(con, "SELECT name FROM jurisdictions WHERE code = ?", [code])
    crawled = _crawled(con, code, year, [portal for portal, _ in registered or []])
    runs = [[run.portal, run.run_id] for run in crawled]
    ours = [run.portal for run in crawled if run.jurisdiction_code in (code, None)]
    candidates = con.execute(f"""
        SELECT portal, title, url, reason FROM discovery_log
        WHERE [portal, run_id] IN (SELECT unnest(?)) AND ((jurisdiction = ? AND year = ?)
              OR (portal IN (SELECT unnest(?)) AND reason IN (SELECT unnest(?))))
        ORDER BY reason <> 'taken', portal, url LIMIT {_MAX_ROWS}""",
                             [runs, code, year, ours, list(_PORTAL_REASONS)]).fetchall()
    candidates += _passed_by(con, runs, ours, year)
    pages = con.execute(f"""
        SELECT DISTINCT d.listed_on, c.outcome, c.error FROM discovery_log d
        LEFT JOIN crawl_log c ON c.url = d.listed_on AND c.run_id = d.run_id
        WHERE [d.portal, d.run_id] IN (SELECT unnest(?)) AND d.portal IN (SELECT unnest(?))
        ORDER BY d.listed_on LIMIT {_MAX_ROWS}""", [runs, ours]).fetchall()
    taken = [url for _, _, url, reason in candidates if reason == "taken"]
    fetches = con.execute(f"""SELECT url, outcome, error FROM crawl_log
                              WHERE run_id IN (SELECT unnest(?)) AND url IN (SELECT unnest(?))
                              ORDER BY url LIMIT {_MAX_ROWS}""", [[run_id for _, run_id in runs], taken]).fetchall()
    reports = con.execute("""SELECT r.organ, r.status, r.title, d.url FROM reports r
                             LEFT JOIN documents d ON d.sha256 = r.document_sha256
                             WHERE r.jurisdiction_code = ? AND r.year = ? ORDER BY r.organ""", [code, year]).fetchall()
    findings = con.execute(f"""SELECT r.organ, q.severity, q.message FROM quality_issues q
                               JOIN reports r ON r.report_key = q.report_key
                               WHERE r.jurisdiction_code = ? AND r.year = ?
                               ORDER BY r.organ, q.severity, q.message LIMIT {_MAX_ROWS}""", [code, year]).fetchall()
    unread = con.execute(f"""SELECT organ, status, reason, url FROM documents
                             WHERE status IN (?, ?) AND jurisdiction_code = ? AND year = ?
                             ORDER BY organ, url LIMIT {_MAX_ROWS}""",
                         [Status.UNREADABLE.value, Status.UNKEYED.value, code, year]).fetchall()
    return Explanation(code, year, name, registered, crawled, pages, candidates, fetches, reports, findings, unread)


def _crawled(con: duckdb.DuckDBPyConnection, code: str, year: int, registered: list[str]) -> list[PortalRun]:
    """The portals crawled for the code (or registered for it, or that listed a report of
    its year), each at its last recorded run, the latest first."""
    rows = con.execute(f"""
        WITH met AS (SELECT portal FROM portal_crawls WHERE jurisdiction_code = ?
                     UNION SELECT portal FROM discovery_log WHERE jurisdiction = ? AND year = ?
                     UNION SELECT unnest(?)),
             last AS (SELECT portal, arg_max(run_id, logged_at) AS run_id, max(logged_at) AS at FROM discovery_log
                      WHERE portal IN (SELECT portal FROM met) GROUP BY portal)
        SELECT l.portal, l.run_id, p.jurisdiction_code, p.reports_found, p.error,
               (SELECT list(reason) FROM discovery_log d WHERE d.portal = l.portal AND d.run_id = l.run_id)
        FROM last l LEFT JOIN portal_crawls p ON p.portal = l.portal AND p.run_id = l.run_id
        ORDER BY l.at DESC, l.portal LIMIT {_MAX_ROWS}""", [code, code, year, registered]).fetchall()
    runs = []
    for portal, run_id, jurisdiction_code, found, error, reasons in rows:
        listed: dict[str, int] = {}
        for reason in reasons or []:
            if not reason.startswith("column declares"):
                listed[reason] = listed.get(reason, 0) + 1
        shortfall = next((r for r in reasons or [] if r.startswith("column declares")), None)
        runs.append(PortalRun(portal, run_id, jurisdiction_code, found, error, listed, shortfall))
    return runs


def _passed_by(con: duckdb.DuckDBPyConnection, runs: list[list[str]], ours: list[str],
               year: int) -> list[tuple[str, str | None, str, str]]:
    """The titles of the jurisdiction's portals discovery passed by that name the year, as
    the title reading finds it (in Chinese digits, without 年 …)."""
    rows = con.execute(f"""SELECT portal, title, url, reason FROM discovery_log
                           WHERE [portal, run_id] IN (SELECT unnest(?)) AND portal IN (SELECT unnest(?))
                             AND reason = 'not a report title' ORDER BY portal, url LIMIT {_MAX_PASSED_BY}""",
                       [runs, ours]).fetchall()
    return [row for row in rows if row[1] and read_title(row[1]).year == year][:_MAX_ROWS]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list):
    row = con.execute(sql, params).fetchone()
    return row[0] if row else None
