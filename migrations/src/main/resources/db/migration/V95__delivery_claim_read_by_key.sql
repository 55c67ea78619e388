-- A worker reads back which of its dedup keys it inserted by those keys (the primary key) and its
-- claim, so the claim column needs no index: one secondary-index entry fewer written per send attempt.
ALTER TABLE delivery DROP INDEX ix_delivery_claim;
