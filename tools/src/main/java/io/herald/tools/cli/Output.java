package io.herald.tools.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** One line of progress on standard error, shown as it happens. */
    void progress(String line) {
        err.println(line);
        err.flush();
    }
}
