package io.herald.mariadb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one {@link EmbeddedMariaDb} until this JVM is told to stop (SIGTERM or SIGINT), then shuts it
 * down cleanly. {@code bin/herald test} starts it once for the whole run on a machine where no server
 * answers, so the test JVMs of every module, the quick bench and the drill share one server instead
 * of each starting its own.
 *
 * <p>Usage: {@code RunEmbeddedMariaDb <data directory> <console log> <port file>}. The port is written
 * to the port file (atomically, by a rename) once the server accepts connections.
 */
public final class RunEmbeddedMariaDb {
    private RunEmbeddedMariaDb() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: RunEmbeddedMariaDb <data directory> <console log> <port file>");
            System.exit(2);
        }
        if (!EmbeddedMariaDb.supported()) {
            System.err.println("herald: " + EmbeddedMariaDb.unsupportedReason()
                    + "; start MySQL 8 or MariaDB 10.11 and set HERALD_TEST_DB_URL=jdbc:mysql://<host>:<port>/");
            System.exit(1);
        }
        Path data = Path.of(args[0]);
        Path log = Path.of(args[1]);
        Path portFile = Path.of(args[2]);
        Files.createDirectories(data.toAbsolutePath().getParent());
        Files.createDirectories(log.toAbsolutePath().getParent());
        EmbeddedMariaDb server = EmbeddedMariaDb.start(data, log);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "embedded-mariadb-stop"));
        Path written = Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"), server.port() + "\n");
        Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("embedded MariaDB %s on 127.0.0.1:%d, data in %s%n", EmbeddedMariaDb.VERSION, server.port(), data);
        stopped.await();
    }
}
