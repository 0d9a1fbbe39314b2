package dev.lookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.http.PrinterColumn;
import dev.lookout.http.ResourceKind;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The table {@code lookout get} prints, from the kind's CRD printer columns, laid out as kubectl's
 * tabwriter does (each column but the last padded to its widest cell plus three spaces, at least six).
 *
 * <p>Column order: NAMESPACE (only across namespaces), NAME, then the printer columns in the CRD's order, as
 * kubectl shows them; the generated CRDs list Ready and Reason first, the kind's own columns, Age last.
 */
final class StatusTable {
    private static final int MIN_WIDTH = 6;
    private static final int PADDING = 3;

    private record Column(PrinterColumn printer, ColumnPath path) {
    }

    private final List<Column> columns;
    private final boolean withNamespace;

    /** @param wide also the columns of priority above 0, as {@code -o wide} */
    StatusTable(ResourceKind kind, boolean withNamespace, boolean wide) {
        this.withNamespace = withNamespace;
        this.columns = kind.columns().stream()
                .filter(c -> wide || c.priority() == 0)
                .map(c -> new Column(c, ColumnPath.parse(c.jsonPath())))
                .toList();
    }

    String render(List<JsonNode> items, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (withNamespace) {
            header.add("NAMESPACE");
        }
        header.add("NAME");
        columns.forEach(c -> header.add(c.printer().name().toUpperCase(Locale.ROOT)));
        rows.add(header);
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            if (withNamespace) {
                row.add(item.path("metadata").path("namespace").asText());
            }
            row.add(item.path("metadata").path("name").asText());
            columns.forEach(c -> row.add(cell(c, item, now)));
            rows.add(row);
        }
        return layout(rows);
    }

    private static String cell(Column column, JsonNode item, Instant now) {
        Optional<JsonNode> value = column.path().evaluate(item);
        if (value.isEmpty()) {
            return "";
        }
        JsonNode v = value.get();
        if (column.printer().type().equals("date")) {
            try {
                return KubectlAge.of(Duration.between(OffsetDateTime.parse(v.asText()).toInstant(), now));
            } catch (DateTimeParseException e) {
                return "<invalid>";
            }
        }
        return v.isContainerNode() ? v.toString() : v.asText();
    }

    private static String layout(List<List<String>> rows) {
        int columnCount = rows.get(0).size();
        int[] widths = new int[columnCount];
        for (List<String> row : rows) {
            for (int i = 0; i < columnCount; i++) {
                widths[i] = Math.max(widths[i], Math.max(MIN_WIDTH, row.get(i).length() + PADDING));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columnCount; i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < columnCount - 1) {
                    line.append(" ".repeat(widths[i] - cell.length()));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
