package dev.lookout.artifacts.stack;

import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** compose/.env as shipped: the defaults a user gets from {@code make up}. */
public final class ShippedStackFiles {
    public static final Path ENV = Manifests.REPO.resolve("compose/.env");

    private ShippedStackFiles() {
    }

    /** Its KEY=VALUE lines (comments and blank lines skipped), as compose and stack.sh read them. */
    public static Map<String, String> env() {
        Map<String, String> values = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(ENV)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalStateException(ENV + ": not KEY=VALUE: " + line);
                }
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(values);
    }
}
