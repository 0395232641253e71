-- Every link discovery met on a portal's listing pages, and why it was taken or not
-- (taken, year not asked, not a report title, page limit, a declared total not reached),
-- per run: what `xxgk explain` reads to say why a jurisdiction-year is or is not here.

CREATE TABLE discovery_log (
    run_id       VARCHAR,
    portal       VARCHAR NOT NULL,
    listed_on    VARCHAR NOT NULL,       -- the listing page or list-API request (URL POST form)
    url          VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    title        VARCHAR,
    year         INTEGER,
    jurisdiction VARCHAR,                -- whose report discovery took it for (report titles only)
    logged_at    TIMESTAMP NOT NULL
);
