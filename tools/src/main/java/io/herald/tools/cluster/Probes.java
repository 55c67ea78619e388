package io.herald.tools.cluster;

import io.herald.mariadb.EmbeddedMariaDb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Whether a port answers, whether ZooKeeper is up, and waiting until a condition holds: what the launchers ask of a machine. */
public final class Probes {
    private Probes() {}

    /** Whether something on this machine accepts connections on {@code port}. */
    public static boolean portInUse(int port) {
        return EmbeddedMariaDb.answers(port);
    }

    static boolean zooKeeperAnswers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).equals("imok");
        } catch (IOException e) {
            return false;
        }
    }

    /** A condition that may throw; checked every 100 ms until true or the deadline. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void awaitCondition(Duration limit, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException | java.sql.SQLException e) {
                // not up yet, or not reachable this moment: ask again
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(what + " did not come up within " + limit.toSeconds() + " s");
    }
}
