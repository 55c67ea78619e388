-- Channel fallback (docs/DELIVERY-POLICY.md): where an application's messages go when they fail for
-- good on their own channel. Both NULL: no fallback.
ALTER TABLE application_policy
  ADD COLUMN fallback_channel  VARCHAR(16)    NULL AFTER digest_window_ms,
  ADD COLUMN fallback_target   VARCHAR(2048)  NULL AFTER fallback_channel;

-- Set when a message falls back: the channel and target it failed on. A message falls back once.
ALTER TABLE message
  ADD COLUMN original_channel  VARCHAR(16)    NULL,
  ADD COLUMN original_target   VARCHAR(2048)  NULL;
