package dev.lookout.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's interpolation of template variables into Prometheus queries, for values chosen by a test: the syntaxes
 * {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]}, and the Prometheus datasource's
 * formatting of a multi-value variable as a regex alternation {@code (a|b)} of regex-escaped values.
 */
final class TemplateValues {
    /**
     * Grafana's own interval variables as it computes them for the dashboards' default range (6h) and the provisioned
     * datasource's 15 s {@code timeInterval}: {@code $__rate_interval} is then four scrape intervals.
     */
    static final Map<String, String> BUILT_IN = Map.of("__rate_interval", "1m", "__interval", "20s", "__range", "6h",
            "__range_s", "21600", "__range_ms", "21600000", "__interval_ms", "20000");
    private static final Pattern REFERENCE = Pattern.compile(
            "\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)(?::[^\\]]*)?]]|\\$(\\w+)");
    private static final String REGEX_SPECIALS = "\\^$*+?.()|{}[]";

    private final Map<String, String> values = new LinkedHashMap<>(BUILT_IN);

    /** Selects {@code selected} for {@code variable}, formatted as Grafana's Prometheus datasource formats it. */
    void select(TemplateVariable variable, List<String> selected) {
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("variable " + variable.name() + " has no value to select");
        }
        String value;
        if (!variable.multi() && !variable.includeAll()) {
            value = selected.get(0).replace("\\", "\\\\").replace("'", "\\'");
        } else if (selected.size() == 1) {
            value = regexEscaped(selected.get(0));
        } else {
            value = "(" + String.join("|", selected.stream().map(TemplateValues::regexEscaped).toList()) + ")";
        }
        values.put(variable.name(), value);
    }

    /** {@code text} with every variable this knows replaced; others are left as they are (see {@link #unresolved}). */
    String interpolate(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(name(m));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The variables {@code text} refers to that this does not know. */
    List<String> unresolved(String text) {
        List<String> unknown = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            if (!values.containsKey(name(m))) {
                unknown.add(m.group());
            }
        }
        return unknown;
    }

    private static String name(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** A regex metacharacter gets two backslashes: one for the PromQL string, one for the regex. */
    private static String regexEscaped(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(REGEX_SPECIALS.indexOf(c) >= 0 ? "\\\\" : "").append(c);
        }
        return out.toString();
    }
}
