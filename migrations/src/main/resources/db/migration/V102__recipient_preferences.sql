-- Recipients and their preferences (README, "Recipients and preferences"; docs/DELIVERY-POLICY.md).
-- A message's recipient is its `recipient` field, else its target; recipient_hash is the SHA-256 of
-- that, so the leader's claim joins a pass's messages to the opt-outs by primary key. category names
-- what kind of message it is; critical = 1 bypasses opt-outs.
ALTER TABLE message
  ADD COLUMN category        VARCHAR(64)  NULL,
  ADD COLUMN critical        TINYINT      NOT NULL DEFAULT 0,
  ADD COLUMN recipient_hash  BINARY(32)   NULL;

-- One row per opt-out: scope 'all' (name ''), 'channel' (a channel) or 'category' (a category).
-- recipient keeps the recipient's UTF-8 bytes, to be read back.
CREATE TABLE recipient_opt_out (
  application     VARCHAR(64)      NOT NULL,
  recipient_hash  BINARY(32)       NOT NULL,
  recipient       VARBINARY(1020)  NOT NULL,
  scope           VARCHAR(16)      NOT NULL,
  name            VARCHAR(64)      NOT NULL,
  created_at      TIMESTAMP(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (application, recipient_hash, scope, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Set once an application has stored any opt-out: the claim reads opt-outs only for those, so the
-- others pay nothing (it comes with the policy row the claim already reads).
ALTER TABLE application_policy
  ADD COLUMN has_opt_outs  TINYINT  NOT NULL DEFAULT 0;

-- A bulk import's progress, readable while it runs (GET /v1/recipients/imports/{id}).
CREATE TABLE recipient_import (
  application  VARCHAR(64)    NOT NULL,
  id           VARCHAR(128)   NOT NULL,
  state        VARCHAR(16)    NOT NULL,
  recipients   BIGINT         NOT NULL DEFAULT 0,
  error        VARCHAR(2048)  NULL,
  started_at   TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (application, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
