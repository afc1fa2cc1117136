-- Lists page through visible users in creation order: one index answers the filter, the
-- order and the offset without reading rows (startIndex=50000 read 50,000 rows before).
ALTER TABLE tim_user ADD INDEX IF NOT EXISTS tim_user_visible_listing (kind, deleted_ms, created_ms, id);
-- Superseded by the index above (MariaDB kept choosing it and read 50,000 rows).
ALTER TABLE tim_user DROP INDEX IF EXISTS tim_user_listing;
