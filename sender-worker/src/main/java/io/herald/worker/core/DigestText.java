package io.herald.worker.core;

import io.herald.common.channel.DigestEntry;
import java.util.List;

/** The subject and plain-text body of a digest: every message it holds, oldest first. */
public final class DigestText {
    private DigestText() {}

    public static String subject(String application, int count) {
        return count + " message" + (count == 1 ? "" : "s") + " from " + application;
    }

    public static String body(String application, List<DigestEntry> entries) {
        StringBuilder body = new StringBuilder(subject(application, entries.size()))
                .append(", held because more were sent to you in a short time than the limit allows.\n");
        for (DigestEntry e : entries) {
            body.append("\n--- message ").append(e.id()).append(", ").append(e.priority().wireName())
                    .append(", ").append(e.createdAt()).append('\n');
            if (e.subject() != null) {
                body.append(e.subject()).append("\n\n");
            }
            body.append(e.body()).append('\n');
        }
        return body.toString();
    }
}
