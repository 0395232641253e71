-- What each crawl of a portal came to, so coverage can tell "no portal registered" from
-- "the column was not found" from "crawled, no report found".

CREATE TABLE portal_crawls (
    run_id            VARCHAR NOT NULL,
    portal            VARCHAR NOT NULL,   -- the registry's name for it
    jurisdiction_code VARCHAR NOT NULL,
    organ             VARCHAR,
    reports_found     INTEGER NOT NULL,
    error             VARCHAR,            -- why the portal could not be crawled (its column not found, …)
    crawled_at        TIMESTAMP NOT NULL
);
