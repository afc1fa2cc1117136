-- When a user was disabled (active=false); NULL while active. The purge reads it and deleted_ms.
ALTER TABLE tim_user ADD COLUMN disabled_ms BIGINT NULL;
CREATE INDEX tim_user_deleted ON tim_user (deleted_ms);
CREATE INDEX tim_user_disabled ON tim_user (disabled_ms);
UPDATE tim_user SET disabled_ms = modified_ms WHERE active = 0 AND disabled_ms IS NULL;

-- Small facts shared by every instance, such as when the purge last ran.
CREATE TABLE scim_state (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    value VARCHAR(255) NOT NULL
);
