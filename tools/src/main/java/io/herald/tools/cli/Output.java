package io.herald.tools.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * Where a command's answer goes: a table or lines on standard output by default, the answer as JSON
 * with {@code --json}. Progress goes to standard error, so that standard output stays the answer alone.
 */
record Output(PrintWriter out, PrintWriter err, ObjectMapper mapper, boolean json) {
    /** {@code value} as JSON with {@code --json}, else {@code text} (a rendered table or lines). */
    void answer(Object value, String text) {
        if (json) {
            try {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the answer as JSON", e);
            }
        } else {
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
        out.flush();
    }

    void answer(Object value, Table table) {
        answer(value, table.render());
    }

    /**
     * A listing's answer: {@code {itemsField: [...], nextField: cursor}} as JSON with {@code --json}, else
     * {@code table} (a row an item) and, when a page follows, how to ask for it.
     */
    void answerPages(HeraldClient.Pages pages, String itemsField, String nextField, Table table) {
        ObjectNode answer = mapper.createObjectNode();
        answer.set(itemsField, pages.items());
        answer.set(nextField, pages.next());
        String more = pages.next() != null && !pages.next().isNull() ? "more: --cursor " + pages.next().asText() + " (or --all)\n" : "";
        answer(answer, table.render() + more);
    }

    /** One line of progress on standard error, shown as it happens. */
    void progress(String line) {
        err.println(line);
        err.flush();
    }
}
