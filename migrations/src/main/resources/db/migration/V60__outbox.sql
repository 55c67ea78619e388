-- What an admission policy of the leader's claim asks to send as a side effect (today: the soft-quota
-- warning to an application's owner). Written in the claim's fenced transaction, so it exists exactly
-- when the claim committed; turned into a message of Herald's own outside the fence (master OutboxRelay),
-- which deletes the row in the same transaction as the insert.
CREATE TABLE outbox (
  id           BIGINT         NOT NULL AUTO_INCREMENT,
  application  VARCHAR(64)    NOT NULL,
  channel      VARCHAR(16)    NOT NULL,
  target       VARCHAR(2048)  NOT NULL,
  subject      VARCHAR(255)   NULL,
  body         MEDIUMTEXT     NOT NULL,
  priority     TINYINT        NOT NULL,
  reason       VARCHAR(1024)  NOT NULL,
  created_at   TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
