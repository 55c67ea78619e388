package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The services' container images, as Jib wrote them under the {@code images} profile
 * ({@code <module>/target/jib-image.tar}, an OCI image layout): each starts its service with
 * {@code server /etc/herald/config.yml} as the unprivileged user, exposes the API and admin ports, and
 * carries its own Java runtime and the repository's config.yml. Runs only under that profile, which
 * builds the tarballs ({@code ./mvnw -Pimages ...}; .ci/run does).
 */
@EnabledIfSystemProperty(named = "herald.images", matches = "true")
class ContainerImageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"sender-master, io.herald.master.MasterApplication", "sender-worker, io.herald.worker.WorkerApplication"})
    void the_image_runs_its_service_as_herald_on_the_api_and_admin_ports(String module, String mainClass) throws Exception {
        Path tarball = ROOT.resolve(module + "/target/jib-image.tar");
        assertThat(tarball).as("built by ./mvnw -Pimages package").exists();
        Map<String, byte[]> files = entries(Files.newInputStream(tarball), name -> true);

        JsonNode index = JSON.readTree(files.get("index.json"));
        assertThat(index.path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asText())
                .startsWith("herald/" + module + ":");
        JsonNode manifest = JSON.readTree(blob(files, index.path("manifests").get(0).path("digest").asText()));
        JsonNode config = JSON.readTree(blob(files, manifest.path("config").path("digest").asText())).path("config");

        assertThat(texts(config.path("Entrypoint"))).startsWith("java").endsWith(mainClass);
        assertThat(texts(config.path("Cmd"))).containsExactly("server", "/etc/herald/config.yml");
        assertThat(config.path("ExposedPorts").fieldNames()).toIterable().containsExactlyInAnyOrder("8080/tcp", "8081/tcp");
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        assertThat(texts(config.path("Env"))).contains("ADMIN_HOST=0.0.0.0").anyMatch(e -> e.startsWith("PATH=/opt/java/bin"));

        Map<String, byte[]> layered = new HashMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            layered.putAll(entries(new GZIPInputStream(new java.io.ByteArrayInputStream(blob(files, layer.path("digest").asText()))),
                    name -> name.equals("etc/herald/config.yml") || name.equals("opt/java/bin/java") || name.equals("etc/passwd")));
        }
        assertThat(layered).containsKeys("opt/java/bin/java", "etc/passwd");
        assertThat(new String(layered.get("etc/passwd"), StandardCharsets.UTF_8)).contains("herald:x:10001:10001:");
        assertThat(layered.get("etc/herald/config.yml")).isEqualTo(Files.readAllBytes(ROOT.resolve("config.yml")));
    }

    private static byte[] blob(Map<String, byte[]> files, String digest) {
        byte[] blob = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(blob).as("blob " + digest).isNotNull();
        return blob;
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /**
     * The regular files of a tar stream whose names {@code wanted} accepts, by name without a leading
     * "./" or "/". A ustar reader of the least it needs: names (with the prefix field, or from a PAX
     * {@code path} record), sizes and types.
     */
    private static Map<String, byte[]> entries(InputStream stream, java.util.function.Predicate<String> wanted) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (DataInputStream in = new DataInputStream(stream)) {
            byte[] header = new byte[512];
            String paxPath = null;
            while (true) {
                try {
                    in.readFully(header);
                } catch (EOFException e) {
                    return files;
                }
                if (header[0] == 0) {
                    return files;
                }
                String name = field(header, 345, 155).isEmpty() ? field(header, 0, 100) : field(header, 345, 155) + "/" + field(header, 0, 100);
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                byte type = header[156];
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'x') {
                    paxPath = paxPath(new String(body, StandardCharsets.UTF_8));
                    continue;
                }
                String path = (paxPath != null ? paxPath : name).replaceFirst("^\\./", "").replaceFirst("^/", "");
                paxPath = null;
                if ((type == '0' || type == 0) && wanted.test(path)) {
                    files.put(path, body);
                }
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** A PAX header's {@code path} record ("<len> path=<value>\n"), or null. */
    private static String paxPath(String records) {
        return records.lines().map(l -> l.substring(l.indexOf(' ') + 1)).filter(l -> l.startsWith("path="))
                .map(l -> l.substring("path=".length())).findFirst().orElse(null);
    }
}
