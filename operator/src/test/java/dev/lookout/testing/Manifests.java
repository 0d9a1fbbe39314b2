package dev.lookout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test fixtures: YAML written to a real file and loaded by the real loader. A fixture marks the line a
 * problem must be reported on with a trailing {@code # <-} comment, so tests assert file and line
 * without hand-counted numbers.
 */
public final class Manifests {
    public static final String MARKER = "# <-";
    /** The repository's root (Maven passes it; tests run in operator/ otherwise). */
    public static final Path REPO = Path.of(System.getProperty("lookout.repoRoot", ".."));
    /** The example setup every change must keep valid. */
    public static final Path EXAMPLES = REPO.resolve("examples");
    private static final ManifestLoader LOADER = new ManifestLoader();

    private Manifests() {
    }

    public static Path write(Path dir, String name, String yaml) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ManifestSet load(Path... paths) {
        return LOADER.load(List.of(paths));
    }

    public static ManifestSet load(Path dir, String yaml) {
        return load(write(dir, "resources.yaml", yaml));
    }

    /**
     * A fixture derived from {@code base}: each text in {@code oldNewPairs} is replaced by the text that
     * follows it. Each old text must occur exactly once, so a fixture cannot silently stop changing anything.
     */
    public static String edit(String base, String... oldNewPairs) {
        String result = base;
        for (int i = 0; i < oldNewPairs.length; i += 2) {
            String old = oldNewPairs[i];
            int at = result.indexOf(old);
            if (at < 0 || result.indexOf(old, at + 1) >= 0) {
                throw new IllegalArgumentException("fixture text must occur exactly once: " + old);
            }
            result = result.substring(0, at) + oldNewPairs[i + 1] + result.substring(at + old.length());
        }
        return result;
    }

    /** Like {@link #edit}, replacing whole lines: each pair is a line of {@code base} and its replacement. */
    public static String editLines(String base, String... fromTo) {
        String[] pairs = new String[fromTo.length];
        for (int i = 0; i < fromTo.length; i++) {
            pairs[i] = fromTo[i] + "\n";
        }
        return edit(base, pairs);
    }

    /** 1-based line of the {@code # <-} marker. */
    public static int markedLine(String yaml) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(MARKER)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("fixture has no " + MARKER + " marker:\n" + yaml);
    }

    /**
     * Loads the fixture and asserts an error on {@code field} at the marked line whose message contains
     * {@code fragment}, printed in the documented format. Returns that problem.
     */
    public static Problem assertError(Path dir, String yaml, String resource, String field, String fragment) {
        Path file = write(dir, "resources.yaml", yaml);
        ManifestSet set = load(file);
        int line = markedLine(yaml);
        List<Problem> matching = set.errors().stream().filter(p -> field.equals(p.field())).toList();
        assertThat(matching).as("errors on %s among %s", field, set.problems()).isNotEmpty();
        Problem problem = matching.stream().filter(p -> p.message().contains(fragment)).findFirst()
                .orElseThrow(() -> new AssertionError("no error on " + field + " containing \"" + fragment + "\" in " + matching));
        assertThat(problem.line()).as("line of %s", problem).isEqualTo(line);
        assertThat(problem.toString()).startsWith(file + ":" + line + ": " + resource + ": " + field + ": ");
        assertThat(set.valid()).isFalse();
        return problem;
    }

    /** Loads the fixture and asserts it has no error at all (warnings allowed). */
    public static ManifestSet assertValid(Path dir, String yaml) {
        ManifestSet set = load(dir, yaml);
        assertThat(set.errors()).as("errors").isEmpty();
        return set;
    }
}
