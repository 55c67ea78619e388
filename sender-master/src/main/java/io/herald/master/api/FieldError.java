package io.herald.master.api;

/** One problem with one field of a request; {@code field} is a path such as {@code [3].target}. */
public record FieldError(String field, String message) {}
