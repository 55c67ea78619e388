package io.herald.common.zk;

/** What a node publishes in its ephemeral registration znode. */
public record NodeInfo(String id, String role, String api, String admin) {}
