package dev.lookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath of a printer column, for exactly the shapes Lookout's CRDs use: field steps
 * ({@code .status.targetCount}) and a filter on a list ({@code .status.conditions[?(@.type=="Ready")]}),
 * taking the first match as the API server does for a column. A JSONPath library would bring a
 * dialect (Jayway's) that is not Kubernetes' and a dependency for four expressions; anything else is
 * refused when parsed, and a test parses every path in the committed CRDs.
 */
final class ColumnPath {
    private static final Pattern STEP = Pattern.compile(
            "\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[\\?\\(@\\.([A-Za-z_][A-Za-z0-9_-]*)==(?:\"([^\"]*)\"|'([^']*)')\\)]");

    private sealed interface Step permits Field, Filter {
    }

    private record Field(String name) implements Step {
    }

    private record Filter(String field, String value) implements Step {
    }

    private final String text;
    private final List<Step> steps;

    private ColumnPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = List.copyOf(steps);
    }

    /** @throws IllegalArgumentException for any other shape of path */
    static ColumnPath parse(String path) {
        List<Step> steps = new ArrayList<>();
        Matcher m = STEP.matcher(path);
        int at = 0;
        while (at < path.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("unsupported printer column path " + path + " at offset " + at
                        + " (supported: .field steps and [?(@.field==\"value\")] filters)");
            }
            steps.add(m.group(1) != null ? new Field(m.group(1)) : new Filter(m.group(2), m.group(3) != null ? m.group(3) : m.group(4)));
            at = m.end();
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("empty printer column path");
        }
        return new ColumnPath(path, steps);
    }

    /** The value at this path, if every step finds something (a JSON null counts as nothing). */
    Optional<JsonNode> evaluate(JsonNode object) {
        JsonNode current = object;
        for (Step step : steps) {
            current = step instanceof Field f ? current.path(f.name()) : first(current, (Filter) step);
            if (current.isMissingNode() || current.isNull()) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    private static JsonNode first(JsonNode list, Filter filter) {
        if (!list.isArray()) {
            return MissingNode.getInstance();
        }
        for (JsonNode item : list) {
            JsonNode value = item.path(filter.field());
            if (value.isValueNode() && value.asText().equals(filter.value())) {
                return item;
            }
        }
        return MissingNode.getInstance();
    }

    @Override
    public String toString() {
        return text;
    }
}
