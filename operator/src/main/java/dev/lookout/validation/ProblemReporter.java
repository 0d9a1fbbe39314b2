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
    private int errors;

    public ProblemReporter(Path file, String resource, ToIntFunction<FieldPath> lineOf, List<Problem> sink) {
        this.file = file;
        this.resource = resource;
        this.lineOf = lineOf;
        this.sink = sink;
    }

    public void error(FieldPath field, String message) {
        errors++;
        sink.add(new Problem(Severity.ERROR, file, lineOf.applyAsInt(field), resource, field.toString(), message));
    }

    public void warning(FieldPath field, String message) {
        sink.add(new Problem(Severity.WARNING, file, lineOf.applyAsInt(field), resource, field.toString(), message));
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
