package io.herald.it;

import io.herald.common.testing.TestDatabase;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives an integration test its ZooKeeper server (curator-test), a fresh migrated database
 * ({@link TestDatabase}, on the server the whole run shares) and a {@link ClusterHarness} pointed at
 * both, and stops the cluster's nodes, drops the database and stops ZooKeeper afterwards, in that
 * order.
 *
 * <p>Registered on a static field, one set serves the whole class; on an instance field, every test
 * method gets a set of its own. Settings go on {@link #cluster()} before the test starts its nodes:
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension HERALD = new ClusterExtension();
 *
 * @BeforeAll
 * static void startCluster() throws Exception {
 *     cluster = HERALD.cluster().set("master.taskSize", "50");
 *     cluster.startMaster("m1");
 * }
 * }</pre>
 */
final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private TestingServer zooKeeper;
    private TestDatabase database;
    private ClusterHarness cluster;
    private boolean perClass;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            stop();
        }
    }

    private void start() throws Exception {
        zooKeeper = new TestingServer(true);
        database = TestDatabase.create();
        cluster = new ClusterHarness(database.config(), zooKeeper.getConnectString());
    }

    /** Every step runs even when one before it fails; the first failure is thrown with the others suppressed. */
    private void stop() throws Exception {
        Exception failure = null;
        for (AutoCloseable step : new AutoCloseable[] {cluster, database, zooKeeper}) {
            try {
                if (step != null) {
                    step.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        cluster = null;
        database = null;
        zooKeeper = null;
        if (failure != null) {
            throw failure;
        }
    }

    TestingServer zooKeeper() {
        return started(zooKeeper);
    }

    TestDatabase database() {
        return started(database);
    }

    ClusterHarness cluster() {
        return started(cluster);
    }

    private static <T> T started(T part) {
        if (part == null) {
            throw new IllegalStateException("the extension starts its cluster before each test class (static field) or test (instance field)");
        }
        return part;
    }
}
