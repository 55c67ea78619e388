-- The suppression list (README, "Suppression list"; docs/DELIVERY-POLICY.md). One row per application,
-- channel and target that Herald no longer sends to: a mailbox a server said does not exist (SMTP 5.1.x,
-- 5.2.1), a webhook that answered 410 Gone, or an operator's entry. target_hash is the SHA-256 of the
-- target's UTF-8 bytes (a target may be 2048 characters, too long for a key), so the leader's claim joins
-- a pass's messages to it by primary key. expires_at NULL: until removed; an expired row suppresses nothing
-- and the lease reaper deletes it (ix_suppression_expiry).
CREATE TABLE suppression (
  application  VARCHAR(64)    NOT NULL,
  channel      VARCHAR(16)    NOT NULL,
  target_hash  BINARY(32)     NOT NULL,
  target       VARCHAR(2048)  NOT NULL,
  reason       VARCHAR(1024)  NOT NULL,
  source       VARCHAR(16)    NOT NULL,
  message_id   BIGINT         NULL,
  created_at   TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at   TIMESTAMP(3)   NULL,
  PRIMARY KEY (application, channel, target_hash),
  KEY ix_suppression_expiry (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Set once an application has a suppression entry: the claim reads the list only for those, so the others
-- pay nothing (it comes with the policy row the claim already reads).
ALTER TABLE application_policy
  ADD COLUMN has_suppressions  TINYINT  NOT NULL DEFAULT 0;

-- One-click unsubscribe (README, "Unsubscribe links"): a message's `recipient` field, when it has one, so the
-- worker can sign it into the email's link (opt-outs are kept under it). NULL when the recipient is the target.
ALTER TABLE message
  ADD COLUMN recipient  VARBINARY(1020)  NULL;
