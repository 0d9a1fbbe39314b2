package dev.lookout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ProblemReporter;
import dev.lookout.validation.Suggestions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The OpenAPI schema of a kind's CRD, enforced on a manifest as the API server would: types, enums
 * and unknown fields (an error, never silently dropped). Reading the committed CRD keeps directory
 * mode and Kubernetes mode in agreement by construction. Fields that fail are removed from the tree and
 * list items replaced by a placeholder (so indexes stay the user's), then marked as reported, so that
 * binding succeeds and the semantic rules still run on everything else without repeating the problem.
 */
public final class StructuralSchema {
    private final JsonNode root;

    private StructuralSchema(JsonNode root) {
        this.root = root;
    }

    /** The schema of a CRD file on the class path (the committed crds/, or the operator config's schema). */
    public static StructuralSchema fromClassPath(String resource) {
        return fromClassPath(resource, "");
    }

    /** The schema at {@code pointer} inside a CRD's openAPIV3Schema (e.g. {@code /properties/spec}). */
    public static StructuralSchema fromClassPath(String resource, String pointer) {
        return new StructuralSchema(CrdResources.read(resource).at("/spec/versions/0/schema/openAPIV3Schema" + pointer));
    }

    /** Checks {@code value} at {@code path} (for example the document's {@code spec}) in place. */
    public void check(JsonNode value, FieldPath path, ProblemReporter report) {
        JsonNode schema = root;
        for (Object segment : path.segments()) {
            schema = schema.path("properties").path(segment.toString());
        }
        walk(value, schema, path, report);
    }

    /** Checks a whole document against this schema's root, reporting paths from the document's root. */
    public void checkDocument(JsonNode value, ProblemReporter report) {
        walk(value, root, FieldPath.ROOT, report);
    }

    private boolean walk(JsonNode value, JsonNode schema, FieldPath path, ProblemReporter report) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && !schema.has("type")) {
            return true;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    return mismatch(value, "a mapping", path, report);
                }
                walkObject((ObjectNode) value, schema, path, report);
            }
            case "array" -> {
                if (!value.isArray()) {
                    return mismatch(value, "a list", path, report);
                }
                walkArray((ArrayNode) value, schema.path("items"), path, report);
            }
            case "string" -> {
                if (!value.isTextual()) {
                    return mismatch(value, "a string" + (value.isNumber() ? " (quote it)" : ""), path, report);
                }
                return checkEnum(value, schema, path, report);
            }
            case "integer" -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    return mismatch(value, "an integer", path, report);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    return mismatch(value, "a number", path, report);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    return mismatch(value, "true or false", path, report);
                }
            }
            default -> {
                return true;
            }
        }
        return true;
    }

    private void walkObject(ObjectNode object, JsonNode schema, FieldPath path, ProblemReporter report) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        List<String> drop = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            FieldPath child = path.child(field.getKey());
            if (field.getValue().isNull()) {
                drop.add(field.getKey()); // `key:` with no value means absent, as for the API server
                continue;
            }
            JsonNode fieldSchema = properties.has(field.getKey()) ? properties.get(field.getKey())
                    : additional.isObject() ? additional : null;
            if (fieldSchema == null) {
                report.error(child, unknownField(field.getKey(), properties));
                report.suppress(child);
                drop.add(field.getKey());
            } else if (!walk(field.getValue(), fieldSchema, child, report)) {
                drop.add(field.getKey());
            }
        }
        object.remove(drop);
    }

    private void walkArray(ArrayNode array, JsonNode itemSchema, FieldPath path, ProblemReporter report) {
        for (int i = 0; i < array.size(); i++) {
            // A bad item is replaced, not removed, so that the indexes later rules report stay the user's.
            JsonNode item = array.get(i);
            if (item.isNull()) {
                report.error(path.index(i), "must not be empty (null)");
                report.suppress(path.index(i));
                array.set(i, neutral(itemSchema));
            } else if (!walk(item, itemSchema, path.index(i), report)) {
                array.set(i, neutral(itemSchema));
            }
        }
    }

    /** A placeholder of the schema's type for a rejected list item; its problems are suppressed. */
    private static JsonNode neutral(JsonNode schema) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        switch (schema.path("type").asText("")) {
            case "object":
                return f.objectNode();
            case "array":
                return f.arrayNode();
            case "integer":
                return f.numberNode(0);
            case "number":
                return f.numberNode(0.0);
            case "boolean":
                return f.booleanNode(false);
            case "string":
                String first = schema.path("enum").path(0).asText("");
                return f.textNode(first);
            default:
                return f.objectNode();
        }
    }

    private static boolean checkEnum(JsonNode value, JsonNode schema, FieldPath path, ProblemReporter report) {
        JsonNode values = schema.path("enum");
        if (!values.isArray() || values.isEmpty()) {
            return true;
        }
        List<String> allowed = new ArrayList<>();
        values.forEach(v -> allowed.add(v.asText()));
        if (allowed.contains(value.asText())) {
            return true;
        }
        String hint = Suggestions.closest(value.asText(), allowed).map(s -> "did you mean " + s + "? ").orElse("");
        report.error(path, "\"" + value.asText() + "\" is not allowed (" + hint + "allowed: " + String.join(", ", allowed) + ")");
        report.suppress(path);
        return false;
    }

    private static String unknownField(String name, JsonNode properties) {
        TreeSet<String> known = new TreeSet<>();
        properties.fieldNames().forEachRemaining(known::add);
        return Suggestions.unknownField(name, known);
    }

    private static boolean mismatch(JsonNode value, String expected, FieldPath path, ProblemReporter report) {
        report.error(path, "must be " + expected + ", not " + describe(value));
        report.suppress(path);
        return false;
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "a mapping";
            case ARRAY -> "a list";
            case BOOLEAN -> "a boolean (" + value.asText() + ")";
            case NUMBER -> value.isIntegralNumber() && !value.canConvertToInt() ? "an integer out of range" : "a number";
            case STRING -> "a string";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
