package io.herald.master.api;

import java.util.List;

/** {@code GET /v1/suppressions}: one page of entries, by channel and then an order of its own; {@code next} the cursor of the following page, or null. */
public record SuppressionPage(List<SuppressionView> entries, String next) {}
