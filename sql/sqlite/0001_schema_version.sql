-- The record of applied migrations (written by the migration runner).
CREATE TABLE IF NOT EXISTS scim_schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    checksum CHAR(40) NOT NULL,
    applied_at VARCHAR(40) NOT NULL
);
