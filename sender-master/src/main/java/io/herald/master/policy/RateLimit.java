package io.herald.master.policy;

/** An application's request rate limit: requests per second (0: unlimited) and the bucket's size. */
public record RateLimit(int perSecond, int burst) {}
