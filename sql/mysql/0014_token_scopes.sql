-- What a bearer token may do: provisioning (every SCIM resource) or metrics (/metrics only).
-- Every token issued so far is a provisioning token.
ALTER TABLE scim_token ADD COLUMN IF NOT EXISTS scope VARCHAR(16) NOT NULL DEFAULT 'provisioning';
