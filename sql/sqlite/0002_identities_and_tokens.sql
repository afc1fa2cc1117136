-- TIM identities. sys.scim is a system identity; SCIM users join it in a later migration.
CREATE TABLE tim_user (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_name VARCHAR(255) NOT NULL,
    -- scim::foldCase(user_name): case-insensitive uniqueness, the same on every engine
    user_name_key VARCHAR(255) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_ms BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX tim_user_name_key ON tim_user (user_name_key);

-- Every bearer token issued; the token itself is never stored.
CREATE TABLE scim_token (
    jti VARCHAR(64) NOT NULL PRIMARY KEY,
    subject VARCHAR(255) NOT NULL,
    issued_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    revoked_ms BIGINT NULL
);

-- Secrets every instance of a cluster shares, such as the token signing key.
CREATE TABLE scim_secret (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    secret VARCHAR(255) NOT NULL,
    created_ms BIGINT NOT NULL
);
