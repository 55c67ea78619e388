package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dropwizard.jackson.Jackson;
import io.herald.common.testing.TestDatabase;
import io.herald.master.api.FieldError;
import io.herald.master.api.ImportView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.OptOut;
import io.herald.master.api.PreferencesParser;
import io.herald.master.db.RecipientImports;
import io.herald.master.db.Recipients;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreferenceImportTest {
    private TestDatabase testDatabase;
    private Recipients recipients;
    private RecipientImports imports;
    private PreferenceImport importer;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        recipients = new Recipients(testDatabase.database());
        imports = new RecipientImports(testDatabase.database());
        importer = new PreferenceImport(recipients, imports, new PreferencesParser(Jackson.newObjectMapper(), io.herald.master.api.Targets.of(new io.herald.common.config.HeraldConfiguration()).channels()));
    }

    @AfterEach
    void tearDown() throws Exception {
        testDatabase.close();
    }

    private static String line(int i, String optOut) {
        return "{\"recipient\":\"user-" + i + "\",\"optOut\":" + optOut + "}";
    }

    private static ByteArrayInputStream lines(int n, int badAt) {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            body.append(i == badAt ? line(i, "{\"channels\":[\"fax\"]}") : line(i, "{\"categories\":[\"news\"]}"))
                    .append(i % 2 == 0 ? "\r\n" : "\n");
            if (i == 3) {
                body.append("\n"); // a blank line is skipped, but counted for the line numbers
            }
        }
        return new ByteArrayInputStream(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void imports_json_lines_in_chunks_and_records_its_progress() throws Exception {
        assertThat(importer.run("app", "crm-1", lines(1_203, -1))).isEqualTo(1_203);

        ImportView view = imports.find("app", "crm-1").orElseThrow();
        assertThat(view.state()).isEqualTo("done");
        assertThat(view.recipients()).isEqualTo(1_203);
        assertThat(recipients.get("app", "user-1203")).isEqualTo(new OptOut(false, List.of(), List.of("news")));
        assertThat(recipients.get("other", "user-1203")).isEqualTo(OptOut.NONE);
        // Again with the same id: it starts over, and replaces rather than adds.
        assertThat(importer.run("app", "crm-1", lines(2, -1))).isEqualTo(2);
        assertThat(imports.find("app", "crm-1").orElseThrow().recipients()).isEqualTo(2);
    }

    @Test
    void a_bad_line_stops_the_import_with_a_400_naming_it_and_the_chunks_before_stay() throws Exception {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> importer.run("app", "crm-2", lines(900, 700)));

        assertThat(e.status()).isEqualTo(400);
        // Line 700 of the recipients is line 701 of the body: the blank line after the third counts.
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("line 701.optOut.channels[0]");
        ImportView view = imports.find("app", "crm-2").orElseThrow();
        assertThat(view.state()).isEqualTo("failed");
        assertThat(view.recipients()).isEqualTo(500);
        assertThat(view.error()).contains("line 701", "500 recipient(s) stored before it");
        assertThat(recipients.get("app", "user-500").categories()).containsExactly("news");
        assertThat(recipients.get("app", "user-501")).isEqualTo(OptOut.NONE);
    }

    @Test
    void a_line_that_is_not_json_or_too_long_is_named() throws Exception {
        InvalidRequestException notJson = catchThrowableOfType(InvalidRequestException.class, () -> importer.run("app", "x",
                new ByteArrayInputStream((line(1, "{}") + "\nnot json\n").getBytes(StandardCharsets.UTF_8))));
        assertThat(notJson.errors()).extracting(FieldError::field).containsExactly("line 2.$");
        byte[] longLine = ("{\"recipient\":\"" + "r".repeat(PreferenceImport.MAX_LINE_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        InvalidRequestException tooLong = catchThrowableOfType(InvalidRequestException.class,
                () -> importer.run("app", "y", new ByteArrayInputStream(longLine)));
        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(tooLong.errors()).extracting(FieldError::field).containsExactly("line 1");
    }
}
