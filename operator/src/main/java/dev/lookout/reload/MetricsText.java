package dev.lookout.reload;

import java.util.OptionalDouble;

/**
 * Reads one sample from Prometheus' text exposition format (what {@code /metrics} serves for
 * {@code Accept: text/plain;version=0.0.4}). Only as much of the format as finding an unlabelled gauge
 * such as {@code prometheus_config_last_reload_successful} needs: comments and other series are skipped,
 * label sets (with quoted, escaped values) are stepped over, and a longer name with the same prefix
 * never matches.
 */
public final class MetricsText {
    private MetricsText() {
    }

    /** The value of the first sample of {@code metric} (any labels), or empty when there is none. */
    public static OptionalDouble value(String exposition, String metric) {
        for (String line : (Iterable<String>) exposition.lines()::iterator) {
            if (!line.startsWith(metric) || line.length() == metric.length()) {
                continue;
            }
            int at = metric.length();
            char next = line.charAt(at);
            if (next == '{') {
                at = afterLabels(line, at);
                if (at < 0) {
                    continue;
                }
            } else if (next != ' ' && next != '\t') {
                continue; // another metric whose name starts with this one
            }
            OptionalDouble value = number(line, at);
            if (value.isPresent()) {
                return value;
            }
        }
        return OptionalDouble.empty();
    }

    /** Index just past the label set that opens at {@code open}, or -1 when it never closes. */
    private static int afterLabels(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The value token after {@code from} (a timestamp may follow it). */
    private static OptionalDouble number(String line, int from) {
        String[] tokens = line.substring(from).trim().split("[ \t]+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return OptionalDouble.empty();
        }
        switch (tokens[0]) {
            case "+Inf":
                return OptionalDouble.of(Double.POSITIVE_INFINITY);
            case "-Inf":
                return OptionalDouble.of(Double.NEGATIVE_INFINITY);
            case "NaN":
                return OptionalDouble.of(Double.NaN);
            default:
                try {
                    return OptionalDouble.of(Double.parseDouble(tokens[0]));
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
        }
    }
}
