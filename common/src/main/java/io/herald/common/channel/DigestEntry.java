package io.herald.common.channel;

import io.herald.common.model.Priority;
import java.time.Instant;

/** One message listed in a digest. */
public record DigestEntry(long id, String subject, String body, Priority priority, Instant createdAt) {}
