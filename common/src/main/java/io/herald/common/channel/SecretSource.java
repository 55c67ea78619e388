package io.herald.common.channel;

import java.sql.SQLException;
import java.util.List;

/** An application's current signing secrets, for webhooks and callbacks ({@code db.SigningSecrets}). */
@FunctionalInterface
public interface SecretSource {
    /** The secrets that sign now, current first; empty if the application does not exist. */
    List<String> of(String application) throws SQLException;
}
