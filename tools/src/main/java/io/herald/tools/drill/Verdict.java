package io.herald.tools.drill;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The drill-wide invariants, decided from the receivers' ledger for every message the API accepted:
 * delivered or dead-lettered with a reason (else lost), and delivered once (else duplicated) unless the
 * repeat follows an attempt Herald itself recorded as ambiguous (counted apart). A message the lease
 * reaper resent (unknownOutcome=resend) has that resend recorded as an ambiguous attempt, so its repeat
 * is an ambiguous repeat too, provided it carried the same ids; a message of a resending application
 * parked for an operator with attempts left breaks the verdict. The drill's report
 * lists its fields as its {@code totals}, in this order.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE)
@JsonPropertyOrder({"accepted", "delivered", "deadLettered", "lost", "duplicated", "ambiguousMessages", "ambiguousRepeats",
    "unrecordedAmbiguity", "unfinished", "fenceTokensNeverWentBack", "resentAfterUnknown", "resendRepeats", "idMismatches",
    "resendApplicationParkedWithAttemptsLeft", "lostSample", "duplicatedSample"})
final class Verdict {
    long accepted;
    long delivered;
    long deadLettered;
    long lost;
    long duplicated;
    long ambiguousMessages;
    long ambiguousRepeats;
    /** Messages the receivers kept without answering more often than Herald recorded an ambiguous attempt. */
    long unrecordedAmbiguity;
    long unfinished;
    @JsonProperty("fenceTokensNeverWentBack")
    boolean fenceMonotonic;
    /** Messages the reaper resent, and the repeats among them (each also an ambiguous repeat). */
    @JsonProperty("resentAfterUnknown")
    long resentMessages;
    long resendRepeats;
    /** Deliveries whose webhook-id differed from their Idempotency-Key: a receiver could not drop the repeat. */
    long idMismatches;
    /** Messages of a resending application left unknown for an operator while they had attempts left. */
    @JsonProperty("resendApplicationParkedWithAttemptsLeft")
    long resendParked;
    final List<Long> lostSample = new ArrayList<>();
    final List<Long> duplicatedSample = new ArrayList<>();

    /**
     * @param ambiguous per message, the attempts Herald recorded as possibly acted on without its knowing:
     *     its {@code ambiguousAttempts} (the request was written and the answer lost: a timeout, a dropped
     *     connection) plus each time it became {@code unknown} (a worker died mid-send and an operator
     *     requeued it). Each allows one repeat, counted as ambiguous; a repeat beyond them, such as the
     *     same attempt sent twice, is a duplicate.
     */
    static Verdict of(Set<Long> accepted, DeliveryLedger ledger, Map<Long, String> deadLetters, Map<Long, Integer> ambiguous,
            List<Long> acceptedTokens, long unfinished) {
        Verdict v = new Verdict();
        v.accepted = accepted.size();
        v.unfinished = unfinished;
        for (long id : accepted) {
            DeliveryLedger.Entry entry = ledger.entry(id);
            int kept = entry == null ? 0 : entry.kept.get();
            if (kept == 0) {
                v.countUndelivered(id, deadLetters.get(id));
                continue;
            }
            v.delivered++;
            int allowedRepeats = ambiguous.getOrDefault(id, 0);
            if (entry.keptUnacknowledged.get() > allowedRepeats) {
                v.unrecordedAmbiguity++;
            }
            int repeats = kept - 1;
            if (repeats > 0) {
                v.ambiguousMessages++;
                v.ambiguousRepeats += Math.min(repeats, allowedRepeats);
            }
            if (repeats > allowedRepeats) {
                v.duplicated += repeats - allowedRepeats;
                sample(v.duplicatedSample, id);
            }
        }
        v.fenceMonotonic = nonDecreasing(acceptedTokens);
        return v;
    }

    /** With the lease reaper's resends: {@code resent} ids, and {@code parked} messages it should have resent. */
    Verdict withResends(Set<Long> accepted, DeliveryLedger ledger, Set<Long> resent, long parked) {
        resendParked = parked;
        for (long id : accepted) {
            DeliveryLedger.Entry entry = ledger.entry(id);
            if (entry == null) {
                continue;
            }
            idMismatches += entry.idMismatches.get();
            if (resent.contains(id)) {
                resentMessages++;
                resendRepeats += Math.max(0, entry.kept.get() - 1);
            }
        }
        return this;
    }

    private void countUndelivered(long id, String deadLetterReason) {
        if (deadLetterReason != null && !deadLetterReason.isBlank()) {
            deadLettered++;
        } else {
            lost++;
            sample(lostSample, id);
        }
    }

    private static void sample(List<Long> sample, long id) {
        if (sample.size() < 20) {
            sample.add(id);
        }
    }

    static boolean nonDecreasing(List<Long> tokens) {
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i) < tokens.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    boolean holds() {
        return lost == 0 && duplicated == 0 && fenceMonotonic && unfinished == 0 && idMismatches == 0 && resendParked == 0;
    }
}
