package dev.lookout.exposition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads Prometheus' text exposition format 0.0.4, line by line with a small scanner, the way Prometheus'
 * own scraper reads it: {@code # HELP} and {@code # TYPE} lines, other comments, blank lines, and sample
 * lines {@code name{label="value",…} value [timestamp]}.
 *
 * <p>A line that breaks the format is recorded as a {@link ParseIssue} and skipped; the lines around it
 * are still read. Exporters do emit such lines: dcgm-exporter writes {@code ERROR - FAILED TO CONVERT TO
 * STRING} where a value should be, and one bad field must not hide every GPU.
 *
 * <p>Where the format leaves room, Prometheus' scraper decides: blanks before a name are allowed, an
 * escape other than {@code \\ \" \n} inside a label value is kept as written, a series repeated in one
 * payload keeps its first sample. Not read: UTF-8 names in quotes and hexadecimal values, which only the
 * newer formats and no exporter here use; a line ending in CR LF is read as if it ended in LF.
 */
public final class ExpositionParser {
    private ExpositionParser() {
    }

    public static Exposition parse(String text) {
        Reader reader = new Reader();
        int number = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            number++;
            try {
                reader.line(new Scanner(line));
            } catch (Malformed e) {
                reader.issues.add(ParseIssue.of(number, line, e.getMessage(), e.prometheusAccepts));
            }
            start = end + 1;
        }
        return new Exposition(reader.samples, reader.types, reader.help, reader.issues);
    }

    /**
     * A sample value as the format writes it (Go's {@code strconv.ParseFloat}, decimal only): {@code 1},
     * {@code -0.5}, {@code 1.7e+09}, {@code NaN}, {@code +Inf}, {@code -Inf}, case-insensitively for the
     * words. Empty for anything else, including the suffixes Java alone accepts ({@code 1d}, {@code 2f}).
     * Prometheus' HTTP API writes sample values the same way.
     */
    public static OptionalDouble number(String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan":
                return OptionalDouble.of(Double.NaN);
            case "inf", "+inf", "infinity", "+infinity":
                return OptionalDouble.of(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity":
                return OptionalDouble.of(Double.NEGATIVE_INFINITY);
            default:
                return isDecimal(token) ? OptionalDouble.of(Double.parseDouble(token)) : OptionalDouble.empty();
        }
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, and nothing else. */
    private static boolean isDecimal(String s) {
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        int whole = digits(s, i);
        i += whole;
        int fraction = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            fraction = digits(s, ++i);
            i += fraction;
        }
        if (whole + fraction == 0) {
            return false;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = digits(s, i);
            if (exponent == 0) {
                return false;
            }
            i += exponent;
        }
        return i == s.length();
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    /** What the lines read so far added up to. */
    private static final class Reader {
        final List<Sample> samples = new ArrayList<>();
        final Map<String, MetricType> types = new HashMap<>();
        final Map<String, String> help = new HashMap<>();
        final List<ParseIssue> issues = new ArrayList<>();
        private final Set<Series> seen = new HashSet<>();

        /** A sample's identity: Prometheus keeps one sample per series and scrape. */
        private record Series(String name, Map<String, String> labels) {
        }

        void line(Scanner in) {
            in.skipBlanks();
            if (in.atEnd()) {
                return;
            }
            if (in.peek() == '#') {
                comment(in);
            } else {
                sample(in);
            }
        }

        /** {@code # HELP name text}, {@code # TYPE name type}; any other comment is ignored. */
        private void comment(Scanner in) {
            in.advance();
            in.skipBlanks();
            String keyword = in.token();
            if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
                return;
            }
            in.skipBlanks();
            String family = in.metricName("a metric name after # " + keyword);
            if (!in.atEnd() && !in.blank()) {
                throw new Malformed("unexpected '" + in.peek() + "' in the metric name after # " + keyword);
            }
            in.skipBlanks();
            if (keyword.equals("HELP")) {
                String text = in.helpText();
                if (help.putIfAbsent(family, text) != null) {
                    throw new Malformed("second # HELP for " + family + " (the first is kept)", true);
                }
                return;
            }
            String word = in.token();
            MetricType type = MetricType.named(word).orElseThrow(() -> new Malformed(word.isEmpty()
                    ? "# TYPE " + family + " names no type" : "unknown metric type \"" + word + "\""));
            in.skipBlanks();
            if (!in.atEnd()) {
                throw new Malformed("unexpected text after the type of " + family);
            }
            if (types.putIfAbsent(family, type) != null) {
                throw new Malformed("second # TYPE for " + family + " (the first is kept)", true);
            }
        }

        /** {@code name[{labels}] value [timestamp]}. */
        private void sample(Scanner in) {
            String name = in.metricName("a metric name");
            Map<String, String> labels = new LinkedHashMap<>();
            if (!in.atEnd() && in.peek() == '{') {
                in.labelSet(labels);
            } else if (!in.atEnd() && !in.blank()) {
                throw new Malformed("unexpected '" + in.peek() + "' after metric name " + name);
            }
            in.skipBlanks();
            if (in.atEnd()) {
                throw new Malformed("no value");
            }
            String valueToken = in.token();
            double value = number(valueToken).orElseThrow(() -> new Malformed("value \"" + valueToken + "\" is not a number"));
            in.skipBlanks();
            if (!in.atEnd()) {
                String timestamp = in.token();
                if (!isInteger(timestamp)) {
                    throw new Malformed("unexpected \"" + timestamp + "\" after the value (a timestamp is an integer in ms)");
                }
                in.skipBlanks();
                if (!in.atEnd()) {
                    throw new Malformed("unexpected text after the timestamp");
                }
            }
            if (!seen.add(new Series(name, labels))) {
                // Prometheus counts it (duplicate sample for timestamp) and keeps scraping.
                throw new Malformed("series repeated in this payload (the first sample is kept)", true);
            }
            samples.add(new Sample(name, labels, value));
        }

        private static boolean isInteger(String token) {
            try {
                Long.parseLong(token);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /** One line, read left to right. Every method that finds the line broken throws {@link Malformed}. */
    private static final class Scanner {
        private final String line;
        private int pos;

        Scanner(String line) {
            this.line = line;
        }

        boolean atEnd() {
            return pos >= line.length();
        }

        char peek() {
            return line.charAt(pos);
        }

        void advance() {
            pos++;
        }

        boolean blank() {
            return peek() == ' ' || peek() == '\t';
        }

        void skipBlanks() {
            while (!atEnd() && blank()) {
                pos++;
            }
        }

        /** Up to the next blank or the end of the line; empty at either. */
        String token() {
            int start = pos;
            while (!atEnd() && !blank()) {
                pos++;
            }
            return line.substring(start, pos);
        }

        /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
        String metricName(String expected) {
            int start = pos;
            while (!atEnd() && (isLetter(peek()) || peek() == '_' || peek() == ':' || pos > start && isDigit(peek()))) {
                pos++;
            }
            if (pos == start) {
                throw new Malformed("expected " + expected + (atEnd() ? "" : ", found '" + peek() + "'"));
            }
            return line.substring(start, pos);
        }

        /** {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
        private String labelName() {
            int start = pos;
            while (!atEnd() && (isLetter(peek()) || peek() == '_' || pos > start && isDigit(peek()))) {
                pos++;
            }
            if (pos == start) {
                throw new Malformed(atEnd() ? "label set not closed" : "expected a label name or '}', found '" + peek() + "'");
            }
            return line.substring(start, pos);
        }

        /** {@code {name="value", …}}, a trailing comma allowed; the scanner ends just past the brace. */
        void labelSet(Map<String, String> labels) {
            advance();
            skipBlanks();
            while (true) {
                if (!atEnd() && peek() == '}') {
                    advance();
                    return;
                }
                String name = labelName();
                skipBlanks();
                expect('=', "'=' after label " + name);
                skipBlanks();
                expect('"', "a quoted value for label " + name);
                String value = quoted(name);
                if (labels.putIfAbsent(name, value) != null) {
                    throw new Malformed("label " + name + " appears twice");
                }
                skipBlanks();
                if (atEnd()) {
                    throw new Malformed("label set not closed");
                }
                if (peek() == ',') {
                    advance();
                    skipBlanks();
                } else if (peek() != '}') {
                    throw new Malformed("expected ',' or '}' after label " + name + ", found '" + peek() + "'");
                }
            }
        }

        /** The rest of a quoted label value, its opening quote already read; unescaped. */
        private String quoted(String label) {
            StringBuilder value = new StringBuilder();
            while (!atEnd()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && !atEnd()) {
                    value.append(unescape(line.charAt(pos++)));
                } else {
                    value.append(c);
                }
            }
            throw new Malformed("value of label " + label + " not closed");
        }

        /** The rest of the line, with {@code \\} and {@code \n} unescaped (HELP text has no quotes to escape). */
        String helpText() {
            StringBuilder text = new StringBuilder();
            while (!atEnd()) {
                char c = line.charAt(pos++);
                if (c == '\\' && !atEnd() && (peek() == '\\' || peek() == 'n')) {
                    text.append(unescape(line.charAt(pos++)));
                } else {
                    text.append(c);
                }
            }
            return text.toString();
        }

        private static String unescape(char escaped) {
            return switch (escaped) {
                case '\\' -> "\\";
                case '"' -> "\"";
                case 'n' -> "\n";
                default -> "\\" + escaped; // Prometheus keeps an unknown escape as written
            };
        }

        private void expect(char c, String what) {
            if (atEnd() || peek() != c) {
                throw new Malformed("expected " + what + (atEnd() ? "" : ", found '" + peek() + "'"));
            }
            advance();
        }

        private static boolean isLetter(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    /** A line that breaks the format; caught per line and turned into a {@link ParseIssue}. */
    private static final class Malformed extends RuntimeException {
        final boolean prometheusAccepts;

        Malformed(String reason) {
            this(reason, false);
        }

        /** @param prometheusAccepts true for what Prometheus's own scrape lets pass (warns, drops the line) */
        Malformed(String reason, boolean prometheusAccepts) {
            super(reason, null, false, false); // control flow, not a failure: no stack trace
            this.prometheusAccepts = prometheusAccepts;
        }
    }
}
