-- A status change rewrites a message row in place only if the row keeps its size (docs/PERFORMANCE.md,
-- "Rows that keep their size"). With status VARCHAR ('queued' 6 bytes, 'dispatched' 10), dispatch_token
-- NULL until the claim and sent_at NULL until the send, each of the three changes on the way to sent grew
-- the row: InnoDB moved it within its page, often reorganising the page, and logged it all. Measured on
-- MariaDB 10.11 with 5,000 rows of the bench's shape: 8,800 bytes of redo log per message for the three
-- updates, 610 bytes once no row grows.
--
-- status:         CHAR(10), the longest status ('dispatched', 'suppressed'); an ASCII CHAR in utf8mb4
--                 keeps at least its 10 bytes, and trailing spaces are dropped on read and ignored in
--                 comparison (PAD SPACE), so SQL and Java see the same words as before.
-- dispatch_token: 0 until a fenced claim sets it (fencing tokens start at 1).
-- sent_at:        when it was sent, for a sent message; for any other status it holds when the row was
--                 stored and means nothing (readers use StatusSql.SENT_AT).
UPDATE message SET dispatch_token = 0 WHERE dispatch_token IS NULL;
UPDATE message SET sent_at = created_at WHERE sent_at IS NULL;
ALTER TABLE message
  MODIFY status          CHAR(10)      NOT NULL,
  MODIFY dispatch_token  BIGINT        NOT NULL DEFAULT 0,
  MODIFY sent_at         TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3);
