package io.herald.common.channel;

import java.util.Optional;

/** Whether a channel can deliver to a target: the problem, worded to follow the field's name ("target must ..."), or empty. */
@FunctionalInterface
public interface TargetCheck {
    Optional<String> problem(String target);
}
