package io.herald.master.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Leadership set by hand: a term with a token, valid until the test says otherwise. */
final class FakeLeadership implements Leadership {
    final List<String> stepDowns = new ArrayList<>();
    private Term term;
    boolean valid = true;

    void lead(long token) {
        term = new Term() {
            @Override
            public long token() {
                return token;
            }

            @Override
            public boolean isValid() {
                return valid;
            }
        };
    }

    @Override
    public Optional<Term> currentTerm() {
        return Optional.ofNullable(term);
    }

    @Override
    public boolean stepDown(String reason) {
        stepDowns.add(reason);
        boolean led = term != null;
        term = null;
        return led;
    }

    @Override
    public void addListener(Runnable listener) {}
}
