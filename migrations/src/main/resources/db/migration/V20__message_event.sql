-- The audit trail: one row per status change of a message, written in the same transaction as the
-- change itself (io.herald.common.audit.MessageEvents). Rows are only ever inserted, and deleted
-- together with their message by retention.
CREATE TABLE message_event (
  id          BIGINT        NOT NULL AUTO_INCREMENT,
  message_id  BIGINT        NOT NULL,
  -- The status the message changed to (see MessageStatus).
  status      VARCHAR(16)   NOT NULL,
  -- The node that made the change: a master's or a worker's node id.
  node        VARCHAR(128)  NOT NULL,
  reason      VARCHAR(1024) NOT NULL,
  -- Database clock, like every time in Herald.
  created_at  TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  -- GET /v1/messages/{id}/events reads one message's events in order; retention deletes by message.
  KEY ix_message_event_message (message_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
