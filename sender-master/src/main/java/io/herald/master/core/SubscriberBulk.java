package io.herald.master.core;

import io.herald.master.api.FieldError;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.Subscriber;
import io.herald.master.api.SubscriberReader;
import io.herald.master.db.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One bulk change of a topic's subscribers: read as the body arrives ({@link SubscriberReader}), stored in
 * chunks of {@value #CHUNK}, one statement each. A bad item stops the call there with a 4xx naming it; the
 * chunks before it stay (adding and removing are idempotent, so sending the corrected body again is safe),
 * and the error says how many items were applied before it.
 */
public record SubscriberBulk(Topics topics, SubscriberReader reader) {
    static final int CHUNK = 500;

    /** What one call did: items read, and subscribers added (new ones) or removed (ones that were there). */
    public record Result(long read, long changed) {}

    public Result add(String application, String topic, InputStream body) throws IOException, SQLException {
        return run(body, chunk -> topics.add(application, topic, chunk));
    }

    public Result remove(String application, String topic, InputStream body) throws IOException, SQLException {
        return run(body, chunk -> topics.remove(application, topic, chunk));
    }

    private interface Store {
        int apply(List<Subscriber> chunk) throws SQLException;
    }

    private Result run(InputStream body, Store store) throws IOException, SQLException {
        SubscriberReader.Items items = reader.open(body);
        List<Subscriber> chunk = new ArrayList<>(CHUNK);
        long applied = 0;
        long changed = 0;
        try {
            for (Subscriber s = items.next(); s != null; s = items.next()) {
                chunk.add(s);
                if (chunk.size() == CHUNK) {
                    changed += store.apply(chunk);
                    applied += chunk.size();
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                changed += store.apply(chunk);
                applied += chunk.size();
            }
            return new Result(applied, changed);
        } catch (InvalidRequestException e) {
            List<FieldError> errors = new ArrayList<>(e.errors());
            FieldError first = errors.get(0);
            errors.set(0, new FieldError(first.field(), first.message() + " (" + applied + " item(s) before it were applied)"));
            throw new InvalidRequestException(e.status(), errors);
        }
    }
}
