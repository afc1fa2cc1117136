-- Exact list totals without counting rows: how many persons are not deleted, and how many
-- groups there are, kept by triggers in every writing transaction (SCIM's, TIM's, the
-- purge's). Split over slots, the first two characters of the id, so that concurrent writers
-- (and Galera nodes) rarely update one row.
CREATE TABLE IF NOT EXISTS scim_count (
    resource VARCHAR(16) NOT NULL,
    slot VARCHAR(2) NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (resource, slot)
) ENGINE=InnoDB;
DELETE FROM scim_count;
INSERT INTO scim_count (resource, slot, n)
    SELECT 'person', LEFT(id, 2), COUNT(*) FROM tim_user
    WHERE kind = 'person' AND deleted_ms IS NULL GROUP BY LEFT(id, 2);
INSERT INTO scim_count (resource, slot, n)
    SELECT 'group', LEFT(id, 2), COUNT(*) FROM tim_group GROUP BY LEFT(id, 2);
CREATE TRIGGER IF NOT EXISTS scim_count_user_insert AFTER INSERT ON tim_user FOR EACH ROW
    INSERT INTO scim_count (resource, slot, n)
    SELECT 'person', LEFT(NEW.id, 2), 1 FROM DUAL
    WHERE NEW.kind = 'person' AND NEW.deleted_ms IS NULL
    ON DUPLICATE KEY UPDATE n = n + 1;
CREATE TRIGGER IF NOT EXISTS scim_count_user_update AFTER UPDATE ON tim_user FOR EACH ROW
    INSERT INTO scim_count (resource, slot, n)
    SELECT 'person', LEFT(NEW.id, 2),
           (NEW.kind = 'person' AND NEW.deleted_ms IS NULL) -
           (OLD.kind = 'person' AND OLD.deleted_ms IS NULL) FROM DUAL
    WHERE (NEW.kind = 'person' AND NEW.deleted_ms IS NULL) <>
          (OLD.kind = 'person' AND OLD.deleted_ms IS NULL)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
CREATE TRIGGER IF NOT EXISTS scim_count_user_delete AFTER DELETE ON tim_user FOR EACH ROW
    UPDATE scim_count SET n = n - 1
    WHERE resource = 'person' AND slot = LEFT(OLD.id, 2)
      AND OLD.kind = 'person' AND OLD.deleted_ms IS NULL;
CREATE TRIGGER IF NOT EXISTS scim_count_group_insert AFTER INSERT ON tim_group FOR EACH ROW
    INSERT INTO scim_count (resource, slot, n) VALUES ('group', LEFT(NEW.id, 2), 1)
    ON DUPLICATE KEY UPDATE n = n + 1;
CREATE TRIGGER IF NOT EXISTS scim_count_group_delete AFTER DELETE ON tim_group FOR EACH ROW
    UPDATE scim_count SET n = n - 1 WHERE resource = 'group' AND slot = LEFT(OLD.id, 2);
