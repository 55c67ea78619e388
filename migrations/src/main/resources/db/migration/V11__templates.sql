-- Message templates, per application and channel (README, "Templates").

CREATE TABLE template (
  application       VARCHAR(64)   NOT NULL,
  channel           VARCHAR(16)   NOT NULL,
  name              VARCHAR(128)  NOT NULL,
  -- Mustache sources; checked when saved, rendered by the worker at each send attempt.
  subject_template  VARCHAR(1024) NULL,
  body_template     MEDIUMTEXT    NOT NULL,
  -- text, or html (email only: values are HTML-escaped and the mail goes out as text/html).
  body_format       VARCHAR(8)    NOT NULL,
  created_at        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (application, channel, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A templated message stores the template's name and its context (a JSON object) instead of a body.
ALTER TABLE message
  MODIFY body MEDIUMTEXT NULL,
  ADD COLUMN template_name VARCHAR(128) NULL,
  ADD COLUMN template_context MEDIUMTEXT NULL;
