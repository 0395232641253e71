-- A lake knows it is a lake: its id, made once and written beside its catalog too
-- (warehouse/integrity.py), so a catalog emptied, lost or swapped for another is noticed.
-- (What each data file held when written is kept in the catalog database itself, beside
-- DuckLake's own tables, so that recording it writes no data file of its own.)

CREATE TABLE lake_identity (
    lake_id    VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO lake_identity SELECT CAST(uuid() AS VARCHAR), now();
