package io.herald.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.herald.common.model.Channel;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk subscriber bodies: JSON lines and JSON arrays read item by item, bounded, with errors that name their place. */
class SubscriberReaderTest {
    private final SubscriberReader reader = new SubscriberReader(Targets.of(new io.herald.common.config.HeraldConfiguration()));

    private List<Subscriber> readAll(InputStream body) throws Exception {
        SubscriberReader.Items items = reader.open(body);
        List<Subscriber> all = new ArrayList<>();
        for (Subscriber s = items.next(); s != null; s = items.next()) {
            all.add(s);
        }
        return all;
    }

    private List<Subscriber> readAll(String body) throws Exception {
        return readAll(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private InvalidRequestException refused(String body) {
        return catchThrowableOfType(InvalidRequestException.class, () -> readAll(body));
    }

    @Test
    void json_lines_with_blank_lines_and_crlf_are_read() throws Exception {
        assertThat(readAll("{\"channel\":\"email\",\"target\":\"ana@example.org\"}\r\n\n"
                + "{\"channel\":\"log\",\"target\":\"ops\",\"recipient\":\"user-7\"}"))
                .containsExactly(new Subscriber(Channel.EMAIL, "ana@example.org", null), new Subscriber(Channel.LOG, "ops", "user-7"));
    }

    @Test
    void a_json_array_is_read_item_by_item() throws Exception {
        assertThat(readAll("  [{\"channel\":\"email\",\"target\":\"ana@example.org\"}, {\"target\":\"ops\",\"channel\":\"log\"}]  "))
                .containsExactly(new Subscriber(Channel.EMAIL, "ana@example.org", null), new Subscriber(Channel.LOG, "ops", null));
        assertThat(readAll("[]")).isEmpty();
        assertThat(readAll("")).isEmpty();
    }

    @Test
    void errors_name_the_line_or_the_index_and_the_field() {
        InvalidRequestException line = refused("{\"channel\":\"log\",\"target\":\"ops\"}\n\n{\"channel\":\"sms\",\"target\":\"x\",\"extra\":1}\n");
        assertThat(line.status()).isEqualTo(400);
        assertThat(line.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("line 3.channel", "line 3.extra");

        InvalidRequestException index = refused("[{\"channel\":\"log\",\"target\":\"ops\"},{\"channel\":\"email\",\"target\":\"not an address\"}]");
        assertThat(index.errors()).extracting(FieldError::field).containsExactly("[1].target");

        assertThat(refused("[{\"channel\":\"log\"}]").errors()).extracting(FieldError::field).containsExactly("[0].target");
        assertThat(refused("[{\"channel\":\"log\",\"target\":5}]").errors()).extracting(FieldError::field).containsExactly("[0].target");
        assertThat(refused("{\"channel\":\"log\",\"target\":\"a\"} {\"channel\":\"log\",\"target\":\"b\"}").errors())
                .extracting(FieldError::field).containsExactly("line 1");
        assertThat(refused("{\"channel\":\"log\",\"target\":\"a\"\n").errors()).extracting(FieldError::field).containsExactly("line 1");
        assertThat(refused("[{\"channel\":\"log\",\"target\":\"a\"}").errors()).extracting(FieldError::field).containsExactly("[1]");
        assertThat(refused("[{\"channel\":\"log\",\"target\":\"a\"}] x").errors()).extracting(FieldError::field).containsExactly("$");
        assertThat(refused("[\"ops\"]").errors()).extracting(FieldError::field).containsExactly("[0]");
        assertThat(refused("{\"channel\":\"webhook\",\"target\":\"http://127.0.0.1/hook\"}").errors())
                .extracting(FieldError::field).containsExactly("line 1.target");
        assertThat(refused("{\"channel\":\"log\",\"target\":\"a\",\"recipient\":\"\"}").errors())
                .extracting(FieldError::field).containsExactly("line 1.recipient");
    }

    @Test
    void a_line_or_a_string_past_16_kib_is_413() {
        String big = "x".repeat(SubscriberReader.MAX_ITEM_BYTES + 1);
        InvalidRequestException line = refused("{\"channel\":\"log\",\"target\":\"" + big + "\"}");
        assertThat(line.status()).isEqualTo(413);
        assertThat(line.errors().get(0).field()).isEqualTo("line 1");
        InvalidRequestException string = refused("[{\"channel\":\"log\",\"target\":\"" + big + "\"}]");
        assertThat(string.status()).isEqualTo(413);
        assertThat(string.errors().get(0).field()).isEqualTo("[0]");
    }

    @Test
    void more_than_100000_subscribers_in_one_call_is_413_at_the_first_one_too_many() throws Exception {
        byte[] line = "{\"channel\":\"log\",\"target\":\"ops\"}\n".getBytes(StandardCharsets.UTF_8);
        List<InputStream> parts = new ArrayList<>(Collections.nCopies(SubscriberReader.MAX_SUBSCRIBERS + 1, (InputStream) null));
        for (int i = 0; i < parts.size(); i++) {
            parts.set(i, new ByteArrayInputStream(line));
        }
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> readAll(new SequenceInputStream(Collections.enumeration(parts))));
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.errors().get(0).field()).isEqualTo("line 100001");
    }
}
