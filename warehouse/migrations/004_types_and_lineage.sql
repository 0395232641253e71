-- Counts become integers and money a decimal in the unit its key names (template
-- columns amount_yuan, amount_10k_yuan; the legacy row fees_yuan); one status
-- vocabulary (schemas/status.py) on documents as on reports; a document keeps the
-- identity its listing gave it (jurisdiction, organ, year) even when it gives no report;
-- every row written remembers the run that wrote it.

ALTER TABLE cells ADD COLUMN amount DECIMAL(24, 4);
ALTER TABLE cells ADD COLUMN count_value BIGINT;
UPDATE cells SET
    amount = CASE WHEN col_key LIKE 'amount\_%' ESCAPE '\' OR table_name = 'legacy_summary' AND row_key LIKE '%\_yuan' ESCAPE '\'
        THEN value END,
    count_value = CASE WHEN NOT (col_key LIKE 'amount\_%' ESCAPE '\' OR table_name = 'legacy_summary' AND row_key LIKE '%\_yuan' ESCAPE '\')
        AND value = trunc(value) THEN CAST(value AS BIGINT) END;
ALTER TABLE cells DROP COLUMN value;
ALTER TABLE cells RENAME COLUMN count_value TO value;

UPDATE documents SET status = coalesce(
    (SELECT max(r.status) FROM reports r WHERE r.document_sha256 = documents.sha256), 'ok')
WHERE status = 'loaded';
ALTER TABLE documents ADD COLUMN jurisdiction_code VARCHAR;
ALTER TABLE documents ADD COLUMN organ VARCHAR;
ALTER TABLE documents ADD COLUMN year INTEGER;
UPDATE documents SET jurisdiction_code = r.jurisdiction_code, organ = r.organ, year = r.year
FROM reports r WHERE r.document_sha256 = documents.sha256;

ALTER TABLE documents ADD COLUMN run_id VARCHAR;
ALTER TABLE reports ADD COLUMN run_id VARCHAR;
ALTER TABLE quality_issues ADD COLUMN run_id VARCHAR;
