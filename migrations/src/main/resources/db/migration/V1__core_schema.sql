-- Herald core schema. Portable between MySQL 8 and MariaDB 10.11: InnoDB, utf8mb4, TIMESTAMP(3),
-- no generated columns, no CHECK constraints that the two enforce differently.
-- Every time in these tables comes from the database clock (NOW(3)), never from a node's clock.

CREATE TABLE message (
  id               BIGINT        NOT NULL AUTO_INCREMENT,
  application      VARCHAR(64)   NOT NULL,
  channel          VARCHAR(16)   NOT NULL,
  target           VARCHAR(2048) NOT NULL,
  subject          VARCHAR(255)  NULL,
  body             MEDIUMTEXT    NOT NULL,
  -- 0 urgent, 1 high, 2 medium, 3 low: claimed in ascending order.
  priority         TINYINT       NOT NULL,
  -- queued, dispatched, sending, sent, failed, unknown (see docs/ARCHITECTURE.md).
  status           VARCHAR(16)   NOT NULL,
  -- Every send attempt ever made; part of the dedup key, so it only grows.
  attempts         INT           NOT NULL DEFAULT 0,
  -- attempts already used when an operator last requeued; the retry budget counts from here.
  retry_base       INT           NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  -- dispatched: when the claim lapses back to queued; sending: when the outcome becomes unknown.
  lease_until      TIMESTAMP(3)  NULL,
  -- Fencing token of the leader that last dispatched the message.
  dispatch_token   BIGINT        NULL,
  last_error       VARCHAR(2048) NULL,
  idempotency_key  VARCHAR(255)  NULL,
  created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  sent_at          TIMESTAMP(3)  NULL,
  updated_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  -- NULL keys never collide, so messages without a key are always stored.
  UNIQUE KEY uq_message_idempotency (application, idempotency_key),
  -- The leader's claim scans this in order: status = 'queued', then priority, then due time.
  KEY ix_message_claim (status, priority, next_attempt_at, id),
  -- The lease reaper scans dispatched and sending messages by lease expiry.
  KEY ix_message_lease (status, lease_until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per send attempt, written by the worker before it sends. The unique key is what stops
-- a second worker (a duplicated or redelivered task) from sending the same attempt again.
CREATE TABLE delivery (
  dedup_key   VARCHAR(64)   NOT NULL,
  message_id  BIGINT        NOT NULL,
  attempt     INT           NOT NULL,
  worker      VARCHAR(128)  NOT NULL,
  -- Random per task claim: lets a worker read back which of its batched inserts it won.
  claim       CHAR(36)      NOT NULL,
  claimed_at  TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (dedup_key),
  KEY ix_delivery_claim (claim),
  KEY ix_delivery_message (message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The fencing token of the current dispatcher. Only ever raised; every dispatch transaction
-- reads it under a shared lock and aborts unless it is the dispatcher's own token.
CREATE TABLE leader_fence (
  name         VARCHAR(32)   NOT NULL,
  token        BIGINT        NOT NULL,
  holder       VARCHAR(128)  NULL,
  -- Cluster-wide pause switch (admin task pause-dispatch), read in the same locked read.
  paused       TINYINT       NOT NULL DEFAULT 0,
  acquired_at  TIMESTAMP(3)  NULL,
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO leader_fence (name, token, holder, paused) VALUES ('dispatch', -1, NULL, 0);

-- Every fence change and every refused write, so drills can check that accepted tokens never go backwards.
CREATE TABLE fence_event (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  name         VARCHAR(32)   NOT NULL,
  token        BIGINT        NOT NULL,
  holder       VARCHAR(128)  NULL,
  accepted     TINYINT       NOT NULL,
  created_at   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
