package io.herald.tools.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The drill-wide invariants, decided from the receivers' ledger for every message the API accepted:
 * delivered or dead-lettered with a reason (else lost), and delivered once (else duplicated) unless the
 * repeat follows a delivery the sender could not know about (ambiguous, counted apart).
 */
final class Verdict {
    long accepted;
    long delivered;
    long deadLettered;
    long lost;
    long duplicated;
    long ambiguousMessages;
    long ambiguousRepeats;
    long unfinished;
    boolean fenceMonotonic;
    final List<Long> lostSample = new ArrayList<>();
    final List<Long> duplicatedSample = new ArrayList<>();

    /**
     * @param attempts every message's attempt count as Herald recorded it. An attempt the receiver did not
     *     refuse outright may have been kept without Herald learning it: the receiver kept it and its answer
     *     was lost, came too late (a worker starved of CPU times out too), or the worker died before it
     *     recorded the outcome (then an operator requeued the {@code unknown} message). Each such attempt
     *     allows one repeat, counted as ambiguous; a repeat beyond them, such as the same attempt sent
     *     twice, is a duplicate.
     */
    static Verdict of(Set<Long> accepted, DeliveryLedger ledger, Map<Long, String> deadLetters, Map<Long, Integer> attempts,
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
            int mayHaveBeenKept = attempts.getOrDefault(id, 1) - entry.refused.get();
            int allowedRepeats = Math.max(entry.keptUnacknowledged.get(), mayHaveBeenKept - 1);
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
        return lost == 0 && duplicated == 0 && fenceMonotonic && unfinished == 0;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accepted", accepted);
        json.put("delivered", delivered);
        json.put("deadLettered", deadLettered);
        json.put("lost", lost);
        json.put("duplicated", duplicated);
        json.put("ambiguousMessages", ambiguousMessages);
        json.put("ambiguousRepeats", ambiguousRepeats);
        json.put("unfinished", unfinished);
        json.put("fenceTokensNeverWentBack", fenceMonotonic);
        json.put("lostSample", lostSample);
        json.put("duplicatedSample", duplicatedSample);
        return json;
    }
}
