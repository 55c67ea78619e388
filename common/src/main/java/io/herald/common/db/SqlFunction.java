package io.herald.common.db;

import java.sql.SQLException;

/** A function that may throw {@link SQLException}. */
@FunctionalInterface
public interface SqlFunction<T, R> {
    R apply(T input) throws SQLException;
}
