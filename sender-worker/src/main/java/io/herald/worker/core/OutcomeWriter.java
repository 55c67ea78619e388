package io.herald.worker.core;

import java.sql.SQLException;
import java.util.List;

/** Where outcomes are written, in one transaction per call ({@code db.OutcomeStore}). */
@FunctionalInterface
public interface OutcomeWriter {
    /** @return how many outcomes applied; the others belonged to attempts already superseded */
    int record(List<Outcome> outcomes) throws SQLException;
}
