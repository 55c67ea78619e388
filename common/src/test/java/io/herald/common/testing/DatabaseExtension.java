package io.herald.common.testing;

import io.herald.common.db.Database;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated {@link TestDatabase} for every test method, dropped after it. It is made before the
 * test's own {@code @BeforeEach} methods run and dropped after its {@code @AfterEach} methods:
 * <pre>{@code
 * @RegisterExtension
 * final DatabaseExtension scratch = new DatabaseExtension();
 *
 * @BeforeEach
 * void setUp() {
 *     store = new MessageStore(scratch.database(), "master-a");
 * }
 * }</pre>
 */
public final class DatabaseExtension implements BeforeEachCallback, AfterEachCallback {
    private TestDatabase current;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        current = TestDatabase.create();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        TestDatabase done = current;
        current = null;
        if (done != null) {
            done.close();
        }
    }

    /** This test's database: its configuration and URL. */
    public TestDatabase testDatabase() {
        if (current == null) {
            throw new IllegalStateException("the extension makes its database before each test; register it on an instance field");
        }
        return current;
    }

    /** This test's pool. */
    public Database database() {
        return testDatabase().database();
    }
}
