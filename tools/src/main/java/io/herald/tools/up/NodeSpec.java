package io.herald.tools.up;

/** A node that {@code bin/herald up} starts: its id, its kind and its API port (its admin port is the next one). */
record NodeSpec(String id, boolean master, int api) {
}
