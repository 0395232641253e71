-- Every run that wrote to the warehouse, with what it did; documents, reports, findings
-- and crawl-log entries carry its run_id, and its snapshots its id as commit note.

CREATE TABLE runs (
    run_id         VARCHAR NOT NULL,
    command        VARCHAR NOT NULL,   -- crawl (xxgk crawl, run, backfill, the flows) | load (xxgk load)
    started_at     TIMESTAMP NOT NULL,
    ended_at       TIMESTAMP NOT NULL,
    portals        INTEGER,
    portals_failed INTEGER,
    found          INTEGER,            -- reports the crawl found
    extracted      INTEGER,
    loaded         INTEGER,            -- reports loaded (ok or issues)
    with_errors    INTEGER,            -- of those, reports with errors (status issues)
    unreadable     INTEGER,
    unkeyed        INTEGER,
    failures       INTEGER             -- portals, URLs and documents that failed
);
