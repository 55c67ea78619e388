package io.herald.master.api;

/** {@code GET/PUT /v1/topics/{name}}: a topic and how many subscribers it has now. */
public record TopicView(String name, String description, long subscribers, String createdAt, String updatedAt) {}
