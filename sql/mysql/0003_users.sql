-- SCIM users: the client's document plus the columns filters and uniqueness need.
-- email_key / work_email_key: scim::foldCase of the tim:1.0 email and of
-- emails[type eq "work"].value; doc: the normalised SCIM representation (JSON in TEXT, as
-- Poco's MySQL connector cannot read JSON columns) without id, meta and password.
ALTER TABLE tim_user
    ADD COLUMN IF NOT EXISTS external_id VARCHAR(255) NULL,
    ADD COLUMN IF NOT EXISTS email_key VARCHAR(320) NULL,
    ADD COLUMN IF NOT EXISTS work_email_key VARCHAR(320) NULL,
    ADD COLUMN IF NOT EXISTS manager_id VARCHAR(255) NULL,
    ADD COLUMN IF NOT EXISTS password_hash VARCHAR(255) NULL,
    ADD COLUMN IF NOT EXISTS password_change_required TINYINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS doc TEXT NULL,
    ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN IF NOT EXISTS deleted_ms BIGINT NULL,
    ADD INDEX IF NOT EXISTS tim_user_external_id (external_id),
    ADD INDEX IF NOT EXISTS tim_user_email_key (email_key),
    ADD INDEX IF NOT EXISTS tim_user_work_email_key (work_email_key),
    ADD INDEX IF NOT EXISTS tim_user_manager_id (manager_id),
    ADD INDEX IF NOT EXISTS tim_user_listing (kind, created_ms, id);
