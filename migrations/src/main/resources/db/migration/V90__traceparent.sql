-- The W3C traceparent of the request that submitted the message (version 00, 55 characters), sent on
-- its webhook so that a trace spans submit to delivery. NULL when the request had none, or an invalid one.
ALTER TABLE message ADD COLUMN traceparent VARCHAR(55) NULL;
-- Appended and nullable: an instant change on MariaDB 10.3+ and MySQL 8.0.12+, whatever the table holds.
