-- A lake knows it is a lake: its id, made once (and written beside its data, warehouse/
-- integrity.py), so a catalog emptied, lost or swapped for another is noticed; and what
-- each data file held when it was written, so `xxgk verify` finds one changed since.

CREATE TABLE lake_identity (
    lake_id    VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO lake_identity SELECT CAST(uuid() AS VARCHAR), now();

CREATE TABLE data_file_checksums (
    path        VARCHAR NOT NULL,   -- as the catalog names it, below the data folder (main/cells/….parquet)
    size        BIGINT NOT NULL,    -- bytes
    sha256      VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
