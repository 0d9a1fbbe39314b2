package dev.lookout.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * A field inside a manifest, such as {@code spec.http.bodyMustMatch[0]}. Segments are property names
 * or list indexes; {@link #pointer()} is the JSON pointer used to look up the field's line.
 */
public record FieldPath(List<Object> segments) {
    public static final FieldPath ROOT = new FieldPath(List.of());

    public FieldPath {
        segments = List.copyOf(segments);
    }

    public static FieldPath of(String... names) {
        FieldPath p = ROOT;
        for (String n : names) {
            p = p.child(n);
        }
        return p;
    }

    public FieldPath child(String name) {
        return append(name);
    }

    public FieldPath index(int i) {
        return append(i);
    }

    private FieldPath append(Object segment) {
        List<Object> next = new ArrayList<>(segments);
        next.add(segment);
        return new FieldPath(next);
    }

    public FieldPath parent() {
        return segments.isEmpty() ? this : new FieldPath(segments.subList(0, segments.size() - 1));
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** RFC 6901 pointer, e.g. {@code /spec/http/bodyMustMatch/0}. */
    public String pointer() {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            sb.append('/').append(s.toString().replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /** As people write it: {@code spec.http.bodyMustMatch[0]}; map keys that are not identifiers are quoted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else if (s.toString().matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(s);
            } else {
                sb.append("[\"").append(s.toString().replace("\"", "\\\"")).append("\"]");
            }
        }
        return sb.toString();
    }
}
