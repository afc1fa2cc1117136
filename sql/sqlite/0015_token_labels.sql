-- Which client holds a token (the operator's label) and when it was last used (to the minute):
-- what an operator needs to rotate the right token and to find the ones nobody uses.
ALTER TABLE scim_token ADD COLUMN label VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE scim_token ADD COLUMN last_used_ms BIGINT;
