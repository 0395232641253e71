-- What each URL's last successful fetch left (ETag, Last-Modified, content hash), so the
-- next crawl asks conditionally and an unchanged page costs a 304; a permanent redirect
-- is remembered and followed without asking again.

CREATE TABLE fetch_state (
    url           VARCHAR NOT NULL,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,
    moved_to      VARCHAR,               -- target of a permanent redirect
    updated_at    TIMESTAMP NOT NULL
);
