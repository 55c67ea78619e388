-- Topics and their fan-out (README, "Topics"; docs/ARCHITECTURE.md, "Fan-out"). A topic is a named list
-- of an application's subscribers; a message sent to a topic becomes one message per subscriber on its
-- channel, created in chunks by the leader's fan-out loop.
CREATE TABLE topic (
  application  VARCHAR(64)    NOT NULL,
  name         VARCHAR(128)   NOT NULL,
  description  VARCHAR(1024)  NULL,
  created_at   TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (application, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per subscriber: a recipient (channel and target, and the recipient its opt-outs are kept
-- under, if not the target). subscriber_hash is the SHA-256 of channel, NUL, target: a target is too
-- long for a unique key of its own. The id orders the fan-out's walk and the listing's pages; the walk
-- reads (application, topic, channel, id), one range per chunk.
CREATE TABLE topic_subscriber (
  id               BIGINT           NOT NULL AUTO_INCREMENT,
  application      VARCHAR(64)      NOT NULL,
  topic            VARCHAR(128)     NOT NULL,
  channel          VARCHAR(16)      NOT NULL,
  target           VARCHAR(2048)    NOT NULL,
  recipient        VARBINARY(1020)  NULL,
  subscriber_hash  BINARY(32)       NOT NULL,
  created_at       TIMESTAMP(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_topic_subscriber (application, topic, subscriber_hash),
  KEY ix_topic_subscriber_walk (application, topic, channel, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The parent record of one fan-out: what each subscriber's message is made of, the subscribers it goes to
-- (channel, ids up to max_subscriber_id), the walk's cursor (last_subscriber_id, moved in the transaction
-- that inserts the chunk, so a new leader resumes exactly there), and the counts last read from its
-- messages. Each message carries the reserved idempotency key NUL 'fanout/<id>/<subscriber id>', which
-- no API key can spell (control characters are refused), so uq_message_idempotency never lets one
-- subscriber's message be created twice. state: creating, sending (all created), done (all final).
CREATE TABLE fanout (
  id                  BIGINT           NOT NULL AUTO_INCREMENT,
  application         VARCHAR(64)      NOT NULL,
  topic               VARCHAR(128)     NOT NULL,
  channel             VARCHAR(16)      NOT NULL,
  state               VARCHAR(16)      NOT NULL,
  subject             VARCHAR(255)     NULL,
  body                MEDIUMTEXT       NULL,
  priority            TINYINT          NOT NULL,
  template_name       VARCHAR(128)     NULL,
  template_context    MEDIUMTEXT       NULL,
  callback_url        VARCHAR(2048)    NULL,
  send_at             TIMESTAMP(3)     NULL,
  cancel_key          VARCHAR(255)     NULL,
  category            VARCHAR(64)      NULL,
  critical            TINYINT          NOT NULL DEFAULT 0,
  traceparent         VARCHAR(55)      NULL,
  idempotency_key     VARBINARY(1020)  NULL,
  idempotency_hash    BINARY(32)       NULL,
  max_subscriber_id   BIGINT           NOT NULL,
  last_subscriber_id  BIGINT           NOT NULL DEFAULT 0,
  total               BIGINT           NOT NULL,
  created             BIGINT           NOT NULL DEFAULT 0,
  sent                BIGINT           NOT NULL DEFAULT 0,
  suppressed          BIGINT           NOT NULL DEFAULT 0,
  dead                BIGINT           NOT NULL DEFAULT 0,
  cancelled           BIGINT           NOT NULL DEFAULT 0,
  rejected            BIGINT           NOT NULL DEFAULT 0,
  counted_at          TIMESTAMP(3)     NULL,
  created_at          TIMESTAMP(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at          TIMESTAMP(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_fanout_idempotency (application, idempotency_key),
  KEY ix_fanout_state (state, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
