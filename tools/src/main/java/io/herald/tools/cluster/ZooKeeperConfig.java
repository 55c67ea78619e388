package io.herald.tools.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The one writer of zoo.cfg, for a standalone server and for each server of an ensemble. */
final class ZooKeeperConfig {
    private ZooKeeperConfig() {
    }

    /**
     * Writes {@code file}: ticks of 500 ms, sessions of at most 20 s, clients on 127.0.0.1 only, the
     * four-letter words the tools use, no admin server. {@code peers} are {@code server.N=...} lines
     * for an ensemble (none for a standalone server); initLimit leaves a slow machine 10 s to sync.
     */
    static void write(Path file, Path dataDir, int clientPort, List<String> peers) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "tickTime=500", "initLimit=20", "syncLimit=5", "dataDir=" + dataDir,
                "clientPort=" + clientPort, "clientPortAddress=127.0.0.1", "admin.enableServer=false",
                "4lw.commands.whitelist=ruok,srvr,mntr,stat", "maxSessionTimeout=20000"));
        lines.addAll(peers);
        Files.writeString(file, String.join("\n", lines) + "\n");
    }
}
