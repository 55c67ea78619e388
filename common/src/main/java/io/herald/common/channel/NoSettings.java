package io.herald.common.channel;

/** The settings of a channel that has none: {@code channels.<name>:} must then be absent or empty. */
public final class NoSettings {}
