package io.herald.tools.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Text in aligned columns, header first; the last column is not padded. Cells are made one line. */
final class Table {
    private static final int MAX_CELL = 80;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    private Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    static Table of(String... header) {
        return new Table(header);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toArray(String[]::new));
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /** null as "-", newlines and tabs as spaces, and long text cut, so one row stays one line. */
    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String text = String.valueOf(value).replaceAll("[\\r\\n\\t]+", " ");
        return text.length() <= MAX_CELL ? text : text.substring(0, MAX_CELL - 3) + "...";
    }
}
