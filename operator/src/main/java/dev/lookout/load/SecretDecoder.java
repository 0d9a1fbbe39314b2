package dev.lookout.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ProblemReporter;
import dev.lookout.validation.Suggestions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Decodes a {@code v1/Secret} as the API server would: {@code data} is base64, {@code stringData} is
 * plain and wins on a shared key. No message ever quotes a value.
 */
final class SecretDecoder {
    private static final List<String> TOP_LEVEL = List.of("apiVersion", "data", "immutable", "kind", "metadata", "stringData", "type");
    private static final Pattern KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

    private SecretDecoder() {
    }

    static Map<String, byte[]> decode(JsonNode root, ProblemReporter report) {
        root.fieldNames().forEachRemaining(f -> {
            if (!TOP_LEVEL.contains(f)) {
                report.error(FieldPath.of(f), Suggestions.unknownField(f, TOP_LEVEL));
            }
        });
        JsonNode type = root.path("type");
        if (!type.isMissingNode() && !type.isNull() && !type.isTextual()) {
            report.error(FieldPath.of("type"), "must be a string");
        }
        JsonNode immutable = root.path("immutable");
        if (!immutable.isMissingNode() && !immutable.isNull() && !immutable.isBoolean()) {
            report.error(FieldPath.of("immutable"), "must be true or false");
        }
        Map<String, byte[]> values = new TreeMap<>();
        entries(root, "data", report).forEach((key, value) -> {
            try {
                values.put(key, Base64.getMimeDecoder().decode(strictBase64(value.asText())));
            } catch (IllegalArgumentException e) {
                report.error(FieldPath.of("data", key), "not valid base64 (use stringData for plain text)");
            }
        });
        entries(root, "stringData", report).forEach((key, value) -> values.put(key, value.asText().getBytes(StandardCharsets.UTF_8)));
        return values;
    }

    /** The string entries of {@code data} or {@code stringData}; wrong shapes are reported and left out. */
    private static Map<String, JsonNode> entries(JsonNode root, String field, ProblemReporter report) {
        Map<String, JsonNode> out = new TreeMap<>();
        JsonNode map = root.path(field);
        if (map.isMissingNode() || map.isNull()) {
            return out;
        }
        if (!map.isObject()) {
            report.error(FieldPath.of(field), "must be a mapping of key to value");
            return out;
        }
        map.fields().forEachRemaining(e -> {
            FieldPath path = FieldPath.of(field, e.getKey());
            if (!KEY.matcher(e.getKey()).matches() || e.getKey().length() > 253) {
                report.error(path, "invalid key (letters, digits, '-', '_' and '.')");
            } else if (!e.getValue().isTextual()) {
                report.error(path, "must be a string (quote it)");
            } else {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** The MIME decoder skips line breaks (as YAML folding may add them) but must not skip garbage. */
    private static String strictBase64(String text) {
        String compact = text.replaceAll("[\\r\\n ]", "");
        if (!compact.matches("^[A-Za-z0-9+/]*={0,2}$") || compact.length() % 4 != 0) {
            throw new IllegalArgumentException("not base64");
        }
        return compact;
    }
}
