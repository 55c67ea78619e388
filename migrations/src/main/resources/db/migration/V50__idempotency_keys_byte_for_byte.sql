-- Idempotency keys compare byte for byte. As utf8mb4_bin VARCHAR they compared with PAD SPACE on
-- MariaDB ('k' equal to 'k '), so a second key could hit the unique key although the lookup before the
-- insert had not found it. VARBINARY has no collation and no padding; 1020 bytes hold 255 characters
-- of UTF-8. idempotency_hash is a SHA-256 of the message as first submitted: the same key with other
-- content is refused (409) instead of answered with the first message. Rows from before have none
-- and answer as before.
ALTER TABLE message
  MODIFY idempotency_key VARBINARY(1020) NULL,
  ADD COLUMN idempotency_hash BINARY(32) NULL AFTER idempotency_key;
