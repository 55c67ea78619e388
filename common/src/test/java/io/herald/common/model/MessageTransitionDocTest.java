package io.herald.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/ARCHITECTURE.md's state list is the transition table, row for row. */
class MessageTransitionDocTest {
    private static final String BEGIN = "<!-- transition-table:begin -->\n```text\n";
    private static final String END = "```\n<!-- transition-table:end -->";

    @Test
    void the_architecture_document_lists_exactly_the_transition_table() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "ARCHITECTURE.md"), StandardCharsets.UTF_8);
        int from = doc.indexOf(BEGIN);
        int to = doc.indexOf(END);
        assertThat(from).as("the transition-table markers in docs/ARCHITECTURE.md").isNotNegative();
        assertThat(doc.substring(from + BEGIN.length(), to)).isEqualTo(rendered());
    }

    /** One line per row: {@code from, from ──label──▶ to (actor)}. */
    static String rendered() {
        return Arrays.stream(MessageTransition.values())
                .map(t -> t.from().stream().sorted().map(MessageStatus::wireName).collect(Collectors.joining(", "))
                        + " ──" + t.label() + "──▶ " + t.to().wireName() + " (" + t.actor().name().toLowerCase(Locale.ROOT) + ")\n")
                .collect(Collectors.joining());
    }
}
