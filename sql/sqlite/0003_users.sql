-- SCIM users: the client's document plus the columns filters and uniqueness need.
ALTER TABLE tim_user ADD COLUMN external_id VARCHAR(255) NULL;
-- scim::foldCase of the tim:1.0 email and of emails[type eq "work"].value
ALTER TABLE tim_user ADD COLUMN email_key VARCHAR(320) NULL;
ALTER TABLE tim_user ADD COLUMN work_email_key VARCHAR(320) NULL;
ALTER TABLE tim_user ADD COLUMN manager_id VARCHAR(255) NULL;
ALTER TABLE tim_user ADD COLUMN password_hash VARCHAR(255) NULL;
ALTER TABLE tim_user ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;
-- the normalised SCIM representation (JSON) without id, meta and password
ALTER TABLE tim_user ADD COLUMN doc TEXT NULL;
ALTER TABLE tim_user ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tim_user ADD COLUMN deleted_ms BIGINT NULL;
CREATE INDEX tim_user_external_id ON tim_user (external_id);
CREATE INDEX tim_user_email_key ON tim_user (email_key);
CREATE INDEX tim_user_work_email_key ON tim_user (work_email_key);
CREATE INDEX tim_user_manager_id ON tim_user (manager_id);
CREATE INDEX tim_user_listing ON tim_user (kind, created_ms, id);
