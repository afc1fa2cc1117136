-- SCIM groups; role_key is set for role.<name> groups (scim::foldCase of <name>).
CREATE TABLE tim_group (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    display_name VARCHAR(255) NOT NULL,
    display_name_key VARCHAR(255) NOT NULL,
    external_id VARCHAR(255) NULL,
    role_key VARCHAR(255) NULL,
    doc TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_ms BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX tim_group_display_name_key ON tim_group (display_name_key);
CREATE INDEX tim_group_external_id ON tim_group (external_id);
CREATE INDEX tim_group_role_key ON tim_group (role_key);
CREATE INDEX tim_group_listing ON tim_group (created_ms, id);

-- One row per (group, member): adding or removing a member never rewrites the group.
CREATE TABLE tim_group_member (
    group_id VARCHAR(36) NOT NULL,
    member_id VARCHAR(36) NOT NULL,
    member_type VARCHAR(8) NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX tim_group_member_member ON tim_group_member (member_id);

-- The roles TIM knows; internal ones are never granted through SCIM.
CREATE TABLE tim_role (
    name_key VARCHAR(255) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    internal INTEGER NOT NULL DEFAULT 0
);
INSERT INTO tim_role (name_key, name, internal) VALUES ('workflow-designer', 'workflow-designer', 0);
INSERT INTO tim_role (name_key, name, internal) VALUES ('processmanager', 'processmanager', 0);
INSERT INTO tim_role (name_key, name, internal) VALUES ('system', 'system', 1);
INSERT INTO tim_role (name_key, name, internal) VALUES ('timer', 'timer', 1);
INSERT INTO tim_role (name_key, name, internal) VALUES ('viewer', 'viewer', 1);

-- Static roles of users; source 'scim' rows are recomputed from role groups, others are
-- TIM's own and never touched by SCIM.
CREATE TABLE tim_user_role (
    user_id VARCHAR(36) NOT NULL,
    role_key VARCHAR(255) NOT NULL,
    source VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, role_key, source)
);
CREATE INDEX tim_user_role_role ON tim_user_role (role_key);
