package io.herald.master.core;

import io.herald.master.api.CsvPreferences;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.Preferences;
import io.herald.master.api.PreferencesParser;
import io.herald.master.db.RecipientImports;
import io.herald.master.db.Recipients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One bulk import of preferences: JSON lines, or CSV rows after a header row ({@link CsvPreferences}), read from
 * the request as they arrive, never the whole body at once, stored in chunks of {@value #CHUNK} recipients (one transaction each), with the progress recorded
 * after each chunk. A bad line stops the import there with a 400 naming it; the chunks before it stay stored
 * (setting preferences replaces them, so sending the corrected file again is safe).
 */
public record PreferenceImport(Recipients recipients, RecipientImports imports, PreferencesParser parser) {
    static final int CHUNK = 500;
    /** One line's bytes at most: a recipient and 200 names fit easily. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    public static final long MAX_LINES = 10_000_000;

    /** How the body is written: chosen by the request's Content-Type ({@code text/csv}, else JSON lines). */
    public enum Format { JSON_LINES, CSV }

    /** Runs import {@code id} of {@code application} over {@code body}; returns how many recipients it stored. */
    public long run(String application, String id, InputStream body) throws IOException, SQLException {
        return run(application, id, body, Format.JSON_LINES);
    }

    /** As {@link #run(String, String, InputStream)}, for a body in {@code format}. */
    public long run(String application, String id, InputStream body, Format format) throws IOException, SQLException {
        CsvPreferences csv = format == Format.CSV ? new CsvPreferences(parser) : null;
        imports.start(application, id);
        long stored = 0;
        try {
            List<Preferences> chunk = new ArrayList<>(CHUNK);
            long number = 0;
            for (byte[] line = readLine(body, number + 1); line != null; line = readLine(body, number + 1)) {
                number++;
                if (number > MAX_LINES) {
                    throw InvalidRequestException.of(413, "line " + number, "an import holds at most " + MAX_LINES + " lines");
                }
                Preferences read = line.length == 0 ? null : csv != null ? csv.parseLine(line, number) : parser.parseLine(line, number);
                if (read != null) {
                    chunk.add(read);
                }
                if (chunk.size() == CHUNK) {
                    stored += store(application, id, chunk, stored);
                }
            }
            stored += store(application, id, chunk, stored);
            imports.finish(application, id, RecipientImports.DONE, stored, null);
            return stored;
        } catch (InvalidRequestException e) {
            imports.finish(application, id, RecipientImports.FAILED, stored, e.getMessage() + " (" + stored + " recipient(s) stored before it)");
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            imports.finish(application, id, RecipientImports.FAILED, stored, "import stopped: " + e.getMessage());
            throw e;
        }
    }

    private long store(String application, String id, List<Preferences> chunk, long before) throws SQLException {
        if (chunk.isEmpty()) {
            return 0;
        }
        recipients.set(application, chunk);
        int n = chunk.size();
        chunk.clear();
        imports.progress(application, id, before + n);
        return n;
    }

    /** The next line without its end ({@code \n}, or {@code \r\n}), or null at the end of the body. */
    private static byte[] readLine(InputStream body, long number) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = body.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (line.size() == MAX_LINE_BYTES) {
                throw InvalidRequestException.of(413, "line " + number, "is longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
            b = body.read();
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return java.util.Arrays.copyOf(bytes, end);
    }
}
