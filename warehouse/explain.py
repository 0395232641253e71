"""Why a jurisdiction-year is or is not in the warehouse (`xxgk explain CODE YEAR`): the
portals registered for it, the listing pages the last run read, each candidate link with
the reason discovery took or rejected it, what fetching the taken ones gave, and the
reports loaded with their findings, and the documents listed for it that gave no report,
with why. Read-only; the registry's portals are the caller's
(the warehouse does not read the registry)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

_PORTAL_REASONS = ("page limit",)  # and "column declares …": rows about a portal, not a link
_MAX_ROWS = 200                    # of each kind shown


@dataclass(frozen=True)
class Explanation:
    code: str
    year: int
    name: str | None
    portals: list[tuple[str, str]]                      # (name, entry) registered for the code
    run_id: str | None                                  # the last run that met them
    pages: list[tuple[str, str, str | None]]            # (listing page, outcome, error)
    candidates: list[tuple[str, str | None, str, str]]  # (portal, title, url, reason)
    fetches: list[tuple[str, str, str | None]]          # (url, outcome, error) of the links taken
    reports: list[tuple[str, str, str | None, str | None]]  # (organ, status, title, document url)
    findings: list[tuple[str, str, str]]                # (organ, severity, message)
    # documents that gave no report, found by their listing's identity: (organ, status, reason, url)
    unread: list[tuple[str | None, str, str | None, str | None]]

    def lines(self) -> list[str]:
        out = [f"{self.name or '(unknown division)'} {self.code}, {self.year}"]
        if not self.portals:
            out.append("  no portal is registered for this jurisdiction (`xxgk portals add`)")
        out += [f"  portal {name}: {entry}" for name, entry in self.portals]
        if self.run_id is None:
            out.append("  no crawl has met these portals yet (`xxgk crawl`)")
        else:
            out.append(f"  last run {self.run_id}: {len(self.pages)} listing page(s) read")
            out += [f"    {url}: {outcome}" + (f" ({error})" if error else "") for url, outcome, error in self.pages]
        out += [f"  {reason}: {title or ''} {url}".rstrip() + f"  [{portal}]"
                for portal, title, url, reason in self.candidates]
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


def explain(con: duckdb.DuckDBPyConnection, code: str, year: int, portals: list[tuple[str, str]]) -> Explanation:
    names = [name for name, _ in portals]
    name = _one(con, "SELECT name FROM jurisdictions WHERE code = ?", [code])
    run_id = _one(con, """SELECT run_id FROM discovery_log
                          WHERE portal IN (SELECT unnest(?)) OR (jurisdiction = ? AND year = ?)
                          ORDER BY logged_at DESC LIMIT 1""", [names, code, year])
    candidates = con.execute(f"""
        SELECT portal, title, url, reason FROM discovery_log
        WHERE run_id = ? AND ((jurisdiction = ? AND year = ?)
              OR (portal IN (SELECT unnest(?)) AND (reason IN (SELECT unnest(?)) OR reason LIKE 'column declares%'
                                                    OR (reason = 'not a report title' AND title LIKE ?))))
        ORDER BY reason <> 'taken', portal, url LIMIT {_MAX_ROWS}""",
                             [run_id, code, year, names, list(_PORTAL_REASONS), f"%{year}%"]).fetchall()
    pages = con.execute(f"""
        SELECT DISTINCT d.listed_on, c.outcome, c.error FROM discovery_log d
        LEFT JOIN crawl_log c ON c.url = d.listed_on AND c.run_id = d.run_id
        WHERE d.run_id = ? AND d.portal IN (SELECT unnest(?)) ORDER BY d.listed_on LIMIT {_MAX_ROWS}""",
                        [run_id, names]).fetchall()
    taken = [url for _, _, url, reason in candidates if reason == "taken"]
    fetches = con.execute(f"""SELECT url, outcome, error FROM crawl_log WHERE run_id = ? AND url IN (SELECT unnest(?))
                              ORDER BY url LIMIT {_MAX_ROWS}""", [run_id, taken]).fetchall()
    reports = con.execute("""SELECT r.organ, r.status, r.title, d.url FROM reports r
                             LEFT JOIN documents d ON d.sha256 = r.document_sha256
                             WHERE r.jurisdiction_code = ? AND r.year = ? ORDER BY r.organ""", [code, year]).fetchall()
    findings = con.execute(f"""SELECT r.organ, q.severity, q.message FROM quality_issues q
                               JOIN reports r ON r.report_key = q.report_key
                               WHERE r.jurisdiction_code = ? AND r.year = ?
                               ORDER BY r.organ, q.severity, q.message LIMIT {_MAX_ROWS}""", [code, year]).fetchall()
    unread = con.execute(f"""SELECT organ, status, reason, url FROM documents
                             WHERE status IN ('unreadable', 'unkeyed') AND jurisdiction_code = ? AND year = ?
                             ORDER BY organ, url LIMIT {_MAX_ROWS}""", [code, year]).fetchall()
    return Explanation(code, year, name, portals, run_id, pages, candidates, fetches, reports, findings, unread)


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list):
    row = con.execute(sql, params).fetchone()
    return row[0] if row else None
