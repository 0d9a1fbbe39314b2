package dev.lookout.validation;

import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Collects the problems of one document (one resource) into a shared list, turning field paths into
 * lines. Validators get one and never stop at the first problem.
 */
public final class ProblemReporter {
    private final Path file;
    private final String resource;
    private final ToIntFunction<FieldPath> lineOf;
    private final List<Problem> sink;
    private final List<FieldPath> suppressed = new java.util.ArrayList<>();
    private int errors;

    public ProblemReporter(Path file, String resource, ToIntFunction<FieldPath> lineOf, List<Problem> sink) {
        this.file = file;
        this.resource = resource;
        this.lineOf = lineOf;
        this.sink = sink;
    }

    public void error(FieldPath field, String message) {
        if (isSuppressed(field)) {
            return;
        }
        errors++;
        sink.add(new Problem(Severity.ERROR, file, lineOf.applyAsInt(field), resource, field.toString(), message));
    }

    public void warning(FieldPath field, String message) {
        sink.add(new Problem(Severity.WARNING, file, lineOf.applyAsInt(field), resource, field.toString(), message));
    }

    /**
     * Marks a field whose value was already reported as unusable (wrong type) and replaced: later rules
     * that trip over the replacement would only repeat the same problem in other words.
     */
    public void suppress(FieldPath field) {
        suppressed.add(field);
    }

    private boolean isSuppressed(FieldPath field) {
        for (FieldPath s : suppressed) {
            if (field.startsWith(s)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasErrorsAt(FieldPath field) {
        String shown = field.toString();
        return sink.stream().anyMatch(p -> p.isError() && resource != null && resource.equals(p.resource())
                && file.equals(p.file()) && shown.equals(p.field()));
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    /** The manifest file, so that rules about files next to it can resolve them. */
    public Path file() {
        return file;
    }

    public int lineOf(FieldPath field) {
        return lineOf.applyAsInt(field);
    }

    public String resource() {
        return resource;
    }
}
