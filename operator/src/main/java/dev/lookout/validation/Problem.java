package dev.lookout.validation;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * One problem, printed as {@code FILE:LINE: Kind namespace/name: spec.path: what is wrong (what is allowed)}.
 * Messages are built by Lookout's rules and never carry a Secret's value.
 *
 * @param resource {@code Kind namespace/name}, or null when the document could not be identified
 * @param field    the field's path, or null for a problem of the whole document or file
 */
public record Problem(Severity severity, Path file, int line, String resource, String field, String message)
        implements Comparable<Problem> {

    private static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> p.file().toString())
            .thenComparingInt(Problem::line)
            .thenComparing(p -> p.resource() == null ? "" : p.resource())
            .thenComparing(p -> p.field() == null ? "" : p.field())
            .thenComparing(Problem::message);

    public static Problem error(Path file, int line, String message) {
        return new Problem(Severity.ERROR, file, line, null, null, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public int compareTo(Problem o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(file).append(':').append(line).append(": ");
        if (severity == Severity.WARNING) {
            sb.append("warning: ");
        }
        if (resource != null) {
            sb.append(resource).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
