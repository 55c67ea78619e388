-- Dead letters: messages that failed permanently or used up their retries (status 'dead'). A row here
-- exists exactly while its message is dead; it is written and removed in the same transaction as the
-- status change. Kept apart from `message` so that the hot path pays nothing for these indexes, and
-- the count and the oldest age stay cheap to read however large `message` grows.
CREATE TABLE dead_letter (
  message_id   BIGINT        NOT NULL,
  application  VARCHAR(64)   NOT NULL,
  -- Database clock: when the message became dead.
  dead_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (message_id),
  -- Listing oldest first with cursor paging, the oldest dead letter's age, "olderThan" selections.
  KEY ix_dead_letter_age (dead_at, message_id),
  -- The same, within one application.
  KEY ix_dead_letter_application (application, dead_at, message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- 'failed' is now 'dead': existing failed messages become dead letters, dated by their last change.
INSERT INTO dead_letter (message_id, application, dead_at)
  SELECT id, application, updated_at FROM message WHERE status = 'failed';
UPDATE message SET status = 'dead' WHERE status = 'failed';
