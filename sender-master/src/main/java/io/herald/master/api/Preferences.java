package io.herald.master.api;

/** {@code GET/PUT /v1/recipients/preferences?recipient=}: one recipient's opt-outs. */
public record Preferences(String recipient, OptOut optOut) {}
