-- Several emails of one type are allowed (RFC 7643 §2.4). work_email_key holds one work email;
-- users with more are flagged, so that an emails[type eq "work"] filter reads their documents.
-- Every user so far had at most one (a second was refused).
ALTER TABLE tim_user ADD COLUMN several_work_emails INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tim_user_several_work_emails ON tim_user (several_work_emails);
