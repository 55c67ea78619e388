-- Applications and their API keys (docs/API.md, "Authentication").

CREATE TABLE application (
  name            VARCHAR(64)   NOT NULL,
  -- Signs status callbacks (HMAC-SHA256). Stored as is: Herald must compute the HMAC with it.
  signing_secret  VARCHAR(128)  NOT NULL,
  -- Who hears about the application (quota warnings); optional.
  owner_email     VARCHAR(320)  NULL,
  created_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- An application may hold several keys at once, so a key can be rotated without downtime.
CREATE TABLE api_key (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  -- Hex SHA-256 of the key; the key itself is never stored (see ApiKeys for why a fast hash suffices).
  key_hash     CHAR(64)      NOT NULL,
  application  VARCHAR(64)   NOT NULL,
  created_at   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  revoked_at   TIMESTAMP(3)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_api_key_hash (key_hash),
  KEY ix_api_key_application (application),
  CONSTRAINT fk_api_key_application FOREIGN KEY (application) REFERENCES application (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

