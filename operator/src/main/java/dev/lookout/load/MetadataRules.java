package dev.lookout.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.api.Patterns;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ProblemReporter;
import dev.lookout.validation.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What Kubernetes requires of {@code metadata}, checked the same way in directory mode. */
final class MetadataRules {
    static final List<String> KNOWN = List.of("annotations", "labels", "name", "namespace");
    private static final Pattern SUBDOMAIN = Pattern.compile(Patterns.DNS1123_SUBDOMAIN);
    private static final Pattern LABEL = Pattern.compile(Patterns.DNS1123_LABEL);
    private static final Pattern LABEL_KEY_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    private static final FieldPath METADATA = FieldPath.of("metadata");

    private MetadataRules() {
    }

    static String name(JsonNode root) {
        JsonNode n = root.path("metadata").path("name");
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : "<unnamed>";
    }

    static String namespace(JsonNode root) {
        JsonNode n = root.path("metadata").path("namespace");
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : ObjectKey.DEFAULT_NAMESPACE;
    }

    static void check(JsonNode root, ProblemReporter report) {
        JsonNode metadata = root.get("metadata");
        if (metadata == null || metadata.isNull()) {
            report.error(METADATA, "required (a mapping with at least name)");
            return;
        }
        if (!metadata.isObject()) {
            report.error(METADATA, "must be a mapping");
            return;
        }
        metadata.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) {
                report.error(METADATA.child(f), Suggestions.unknownField(f, KNOWN));
            }
        });
        checkName(metadata.get("name"), report);
        JsonNode namespace = metadata.get("namespace");
        if (namespace != null && !namespace.isNull()) {
            String ns = namespace.asText();
            if (!namespace.isTextual() || ns.length() > 63 || !LABEL.matcher(ns).matches()) {
                report.error(METADATA.child("namespace"), "\"" + ns + "\" is not a valid namespace"
                        + " (DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending alphanumeric)");
            }
        }
        checkStringMap(metadata.get("labels"), METADATA.child("labels"), true, report);
        checkStringMap(metadata.get("annotations"), METADATA.child("annotations"), false, report);
    }

    private static void checkName(JsonNode name, ProblemReporter report) {
        FieldPath path = METADATA.child("name");
        if (name == null || name.isNull() || (name.isTextual() && name.asText().isEmpty())) {
            report.error(path, "required");
        } else if (!name.isTextual()) {
            report.error(path, "must be a string");
        } else if (name.asText().length() > 253 || !SUBDOMAIN.matcher(name.asText()).matches()) {
            report.error(path, "\"" + name.asText() + "\" is not a valid name (DNS-1123 subdomain: at most 253"
                    + " lower-case letters, digits, '-' and '.', starting and ending alphanumeric)");
        }
    }

    private static void checkStringMap(JsonNode map, FieldPath path, boolean labels, ProblemReporter report) {
        if (map == null || map.isNull()) {
            return;
        }
        if (!map.isObject()) {
            report.error(path, "must be a mapping of strings");
            return;
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            FieldPath child = path.child(e.getKey());
            if (!e.getValue().isTextual()) {
                report.error(child, "must be a string (quote it)");
            } else if (labels && !validLabelKey(e.getKey())) {
                report.error(child, "invalid label key (optional DNS prefix and '/', then at most 63 letters, digits, '-', '_', '.')");
            } else if (labels && (e.getValue().asText().length() > 63 || !LABEL_VALUE.matcher(e.getValue().asText()).matches())) {
                report.error(child, "invalid label value (at most 63 letters, digits, '-', '_', '.', starting and ending alphanumeric)");
            }
        }
    }

    private static boolean validLabelKey(String key) {
        int slash = key.lastIndexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        String prefix = slash < 0 ? null : key.substring(0, slash);
        return name.length() <= 63 && LABEL_KEY_NAME.matcher(name).matches()
                && (prefix == null || (prefix.length() <= 253 && SUBDOMAIN.matcher(prefix).matches()));
    }
}
