-- Per-target rate limit and digests (docs/DELIVERY-POLICY.md). NULL: the default from config.yml.
ALTER TABLE application_policy
  ADD COLUMN digest_enabled    TINYINT  NULL AFTER owner_email,
  ADD COLUMN digest_threshold  INT      NULL AFTER digest_enabled,
  ADD COLUMN digest_window_ms  BIGINT   NULL AFTER digest_threshold;

-- A digest is itself a row of message (is_digest = 1), queued until its window ends and then
-- dispatched, deduplicated and recorded like any other message. Each message held for it has
-- status 'digested' and digest_id set; when the digest is sent, they become 'sent' and keep digest_id.
ALTER TABLE message
  ADD COLUMN is_digest  TINYINT  NOT NULL DEFAULT 0,
  ADD COLUMN digest_id  BIGINT   NULL,
  ADD KEY ix_message_digest (digest_id);

-- The current window of each (application, channel, target), written only by the leader inside its
-- fenced claim transaction, so it holds across failover.
CREATE TABLE digest_window (
  -- SHA-256 (hex) of application, channel and target: targets are too long for a key of their own.
  window_key   CHAR(64)       NOT NULL,
  application  VARCHAR(64)    NOT NULL,
  channel      VARCHAR(16)    NOT NULL,
  target       VARCHAR(2048)  NOT NULL,
  window_end   TIMESTAMP(3)   NOT NULL,
  -- Messages dispatched one by one in this window.
  sent         INT            NOT NULL,
  -- The digest collecting the messages past the threshold, once there is one.
  digest_id    BIGINT         NULL,
  PRIMARY KEY (window_key),
  KEY ix_digest_window_end (window_end)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
