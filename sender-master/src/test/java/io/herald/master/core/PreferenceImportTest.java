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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    // CSV: the same chunks, progress, limits and field names as JSON lines.

    private long run(String id, String csv) throws Exception {
        return importer.run("app", id, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), PreferenceImport.Format.CSV);
    }

    private InvalidRequestException refused(String csv) {
        return catchThrowableOfType(InvalidRequestException.class, () -> run("bad", csv));
    }

    @Test
    void imports_rows_under_a_header_in_chunks_and_records_its_progress() throws Exception {
        StringBuilder csv = new StringBuilder("\uFEFFrecipient,all,channels,categories\r\n");
        for (int i = 1; i <= 1_203; i++) {
            csv.append("user-").append(i).append(",false,,news;digest\r\n");
        }
        csv.append("\n\"quoted, with a comma \"\"and quotes\"\"\",TRUE,email; webhook,\n");

        assertThat(run("crm-csv", csv.toString())).isEqualTo(1_204);

        ImportView view = imports.find("app", "crm-csv").orElseThrow();
        assertThat(view.state()).isEqualTo("done");
        assertThat(view.recipients()).isEqualTo(1_204);
        assertThat(recipients.get("app", "user-1203")).isEqualTo(new OptOut(false, List.of(), List.of("digest", "news")));
        assertThat(recipients.get("app", "quoted, with a comma \"and quotes\""))
                .isEqualTo(new OptOut(true, List.of("email", "webhook"), List.of()));
    }

    @Test
    void the_columns_may_come_in_any_order_and_all_but_recipient_may_be_left_out() throws Exception {
        assertThat(run("few", "categories,recipient\nmarketing,ana@example.org\n")).isEqualTo(1);
        assertThat(recipients.get("app", "ana@example.org")).isEqualTo(new OptOut(false, List.of(), List.of("marketing")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "recipient,all\\nr1,maybe\\n|line 2.optOut.all",
            "recipient,channels\\nr1,email\\nr2,fax\\n|line 3.optOut.channels[0]",
            "recipient,categories\\nr1,bad name!\\n|line 2.optOut.categories[0]",
            "recipient\\n\"\"\\n|line 2.recipient",
            "recipient,colour\\nr1,red\\n|line 1.colour",
            "all,channels\\ntrue,\\n|line 1",
            "recipient,all\\nr1\\n|line 2",
            "recipient\\n\"r1\\n|line 2",
            "recipient,recipient\\nr1,r2\\n|line 1.recipient"})
    void a_bad_row_or_header_is_named_like_a_json_line(String csv, String field) {
        InvalidRequestException e = refused(csv.replace("\\n", "\n"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
    }

    @Test
    void a_row_longer_than_a_line_may_be_is_refused_with_413() {
        InvalidRequestException e = refused("recipient\n" + "r".repeat(PreferenceImport.MAX_LINE_BYTES + 1) + "\n");

        assertThat(e.status()).isEqualTo(413);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("line 2");
    }
}
