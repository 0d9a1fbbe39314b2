package dev.lookout.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dashboard's template variable, as much of it as deciding its values needs.
 *
 * @param query  a {@code query} variable's query ({@code label_values(selector, label)}); a datasource variable's
 *               plugin type
 * @param regex  Grafana's value filter, a JavaScript regex literal ({@code /^lookout\/gpunode\/(.+)$/}) or empty
 * @param current the value the dashboard opens with (a datasource variable's datasource uid)
 */
record TemplateVariable(String name, String type, String query, String regex, boolean multi, boolean includeAll,
                        String allValue, String current) {
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");

    static TemplateVariable of(JsonNode v) {
        JsonNode query = v.path("query");
        JsonNode current = v.path("current").path("value");
        return new TemplateVariable(v.path("name").asText(), v.path("type").asText(),
                query.isObject() ? query.path("query").asText() : query.asText(), v.path("regex").asText(""),
                v.path("multi").asBoolean(false), v.path("includeAll").asBoolean(false),
                v.hasNonNull("allValue") ? v.path("allValue").asText() : null,
                current.isArray() ? current.path(0).asText() : current.asText());
    }

    /** A {@code label_values(selector, label)} query, the only kind Lookout's dashboards use. */
    record LabelValues(String selector, String label) {
    }

    Optional<LabelValues> labelValues() {
        Matcher m = LABEL_VALUES.matcher(query);
        return m.matches() ? Optional.of(new LabelValues(m.group(1).trim(), m.group(2))) : Optional.empty();
    }

    /**
     * What Grafana keeps of the label values it found: all of them without a regex, else those the regex finds
     * something in, each replaced by its first capture group when the regex has one.
     */
    List<String> keep(List<String> found) {
        if (regex.isEmpty()) {
            return List.copyOf(found);
        }
        if (!regex.startsWith("/") || regex.lastIndexOf('/') == 0) {
            throw new AssertionError("variable " + name + ": regex " + regex + " is not a /.../ literal");
        }
        Pattern pattern = Pattern.compile(regex.substring(1, regex.lastIndexOf('/')));
        List<String> kept = new ArrayList<>();
        for (String value : found) {
            Matcher m = pattern.matcher(value);
            if (m.find()) {
                kept.add(m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group());
            }
        }
        return kept;
    }
}
