-- The warehouse's tables (ARCHITECTURE.md). A report is keyed by jurisdiction, organ and
-- year; report_key spells that key as one value so cells and issues can point at it.
-- A DuckLake has no keys or unique constraints: the loader keeps keys unique by replacing
-- what it loads, in transactions that hold the writer's turn (turn.py).

CREATE TABLE writer_turn (turn BIGINT NOT NULL);
INSERT INTO writer_turn VALUES (0);

-- What the code derives from its own tables (the views, the dictionary): recreated only
-- when the fingerprint of their definitions changes, not on every writer's start.
CREATE TABLE derived_objects (name VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL);

CREATE TABLE jurisdictions (
    code          VARCHAR NOT NULL,   -- GB/T 2260, 6 digits
    name          VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,      -- province | prefecture | county
    parent_code   VARCHAR,
    province_code VARCHAR NOT NULL
);

CREATE TABLE documents (
    sha256     VARCHAR NOT NULL,
    url        VARCHAR,                  -- where it was fetched, or the local path it was loaded from
    kind       VARCHAR,                  -- html | pdf | docx | text (null when unreadable)
    size       BIGINT,
    fetched_at TIMESTAMP,
    stored_at  VARCHAR,                  -- where the bytes are kept (raw store), if anywhere
    status     VARCHAR NOT NULL,         -- loaded | unreadable | unkeyed
    reason     VARCHAR                   -- why a document gave no report
);

CREATE TABLE reports (
    report_key        VARCHAR NOT NULL,
    jurisdiction_code VARCHAR NOT NULL,
    organ             VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    title             VARCHAR,
    template          VARCHAR,
    jurisdiction_name VARCHAR,
    document_sha256   VARCHAR NOT NULL,
    extracted_at      TIMESTAMP NOT NULL,
    status            VARCHAR NOT NULL   -- ok | issues (errors found; figures kept as published)
);

CREATE TABLE cells (
    report_key VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    row_key    VARCHAR NOT NULL,
    col_key    VARCHAR NOT NULL,
    value      DECIMAL(24, 4),           -- null when blank or not found; never 0 for blank
    is_blank   BOOLEAN NOT NULL,
    raw        VARCHAR,                  -- the published text; null when the row was not found
    page       INTEGER,
    position   VARCHAR
);

CREATE TABLE quality_issues (
    report_key      VARCHAR,             -- null for a document that gave no report
    document_sha256 VARCHAR NOT NULL,
    check_name      VARCHAR NOT NULL,
    severity        VARCHAR NOT NULL,
    table_name      VARCHAR,
    row_key         VARCHAR,
    col_key         VARCHAR,
    expected        DECIMAL(24, 4),
    actual          DECIMAL(24, 4),
    message         VARCHAR NOT NULL
);

CREATE TABLE crawl_log (
    url         VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,        -- fetched | unchanged | refused | failed
    http_status INTEGER,
    error       VARCHAR,
    run_id      VARCHAR,
    logged_at   TIMESTAMP NOT NULL
);
