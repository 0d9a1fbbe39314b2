package dev.lookout.manifest;

/** A document that is not acceptable YAML, with the 1-based line where the trouble is. */
final class YamlSyntaxException extends RuntimeException {
    private final int line;

    YamlSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    int line() {
        return line;
    }
}
