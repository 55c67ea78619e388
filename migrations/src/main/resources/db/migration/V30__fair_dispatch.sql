-- Per-application delivery policy (docs/DELIVERY-POLICY.md), keyed by the application's name as
-- messages carry it. A NULL column means "the default from config.yml (policy.*)".
CREATE TABLE application_policy (
  application  VARCHAR(64)   NOT NULL,
  -- Share of each claim batch, relative to other applications' weights.
  weight       INT           NULL,
  updated_at   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (application)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The fair claim reads (application, priority) groups of queued messages with a loose index scan
-- (GROUP BY application, priority with MIN(next_attempt_at): one index dive per group), then each
-- group's oldest due messages with a range read. This index serves both; the old claim index
-- (status, priority, next_attempt_at, id) served only the global priority order and is dropped.
ALTER TABLE message
  DROP KEY ix_message_claim,
  ADD KEY ix_message_fair (application, priority, status, next_attempt_at, id);
