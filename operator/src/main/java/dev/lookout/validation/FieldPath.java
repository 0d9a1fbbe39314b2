package dev.lookout.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A field inside a manifest, such as {@code spec.http.bodyMustMatch[0]}: a parent and one segment, a
 * property name or a list index. Linked rather than copied, since the schema walk makes one per field.
 * {@link #pointer()} is the JSON pointer used to look up the field's line.
 */
public final class FieldPath {
    public static final FieldPath ROOT = new FieldPath(null, null);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final FieldPath parent;
    private final Object segment;
    private final int depth;

    private FieldPath(FieldPath parent, Object segment) {
        this.parent = parent;
        this.segment = segment;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    public static FieldPath of(String... names) {
        FieldPath p = ROOT;
        for (String n : names) {
            p = p.child(n);
        }
        return p;
    }

    public FieldPath child(String name) {
        return new FieldPath(this, name);
    }

    public FieldPath index(int i) {
        return new FieldPath(this, i);
    }

    public FieldPath parent() {
        return parent == null ? this : parent;
    }

    public boolean isRoot() {
        return parent == null;
    }

    /** Property names and list indexes from the root down. */
    public List<Object> segments() {
        List<Object> out = new ArrayList<>(depth);
        for (FieldPath p = this; p.parent != null; p = p.parent) {
            out.add(p.segment);
        }
        Collections.reverse(out);
        return out;
    }

    /** Whether this path is {@code ancestor} or lies below it. */
    public boolean startsWith(FieldPath ancestor) {
        FieldPath p = this;
        while (p.depth > ancestor.depth) {
            p = p.parent;
        }
        return p.equals(ancestor);
    }

    /** RFC 6901 pointer, e.g. {@code /spec/http/bodyMustMatch/0}. */
    public String pointer() {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments()) {
            sb.append('/').append(s.toString().replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FieldPath other) || other.depth != depth) {
            return false;
        }
        return segment.equals(other.segment) && parent.equals(other.parent);
    }

    @Override
    public int hashCode() {
        return segments().hashCode();
    }

    /** As people write it: {@code spec.http.bodyMustMatch[0]}; map keys that are not identifiers are quoted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments()) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else if (IDENTIFIER.matcher(s.toString()).matches()) {
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
