package dev.lookout.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kubectl's table output ({@code kubectl get}), read by the header's column positions: kubectl left-aligns
 * every cell under its heading, and an empty cell is only blanks, so splitting on whitespace would shift the
 * cells after it.
 *
 * @param header the column names, in kubectl's order
 * @param rows every row, column name to cell
 */
public record KubectlTable(List<String> header, List<Map<String, String>> rows) {
    public static KubectlTable parse(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("kubectl printed no table");
        }
        String heading = lines.get(0);
        List<String> header = List.of(heading.trim().split("\\s+"));
        List<Integer> starts = new ArrayList<>();
        int from = 0;
        for (String name : header) {
            int at = heading.indexOf(name, from);
            starts.add(at);
            from = at + name.length();
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                int start = Math.min(starts.get(i), line.length());
                int end = i + 1 < header.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                row.put(header.get(i), line.substring(start, end).trim());
            }
            rows.add(row);
        }
        return new KubectlTable(header, rows);
    }

    /** The row whose NAME is {@code name}. */
    public Map<String, String> row(String name) {
        return rows.stream().filter(r -> name.equals(r.get("NAME"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row named " + name + " in " + rows));
    }
}
