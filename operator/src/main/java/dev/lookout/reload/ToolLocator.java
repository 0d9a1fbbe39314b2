package dev.lookout.reload;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Prometheus tools on this machine. The places and their order differ between the operator
 * (the host's own promtool first, as it matches the host's Prometheus) and the tests (the pinned sid
 * tools first), so each caller lists the folders it trusts and this class only looks.
 */
public final class ToolLocator {
    private ToolLocator() {
    }

    /**
     * {@code $LOOKOUT_CACHE/bin}, or {@code ~/.cache/lookout/bin} when it is unset: where {@code .ci/tools.sh}
     * links Debian sid's promtool, prometheus and blackbox_exporter.
     */
    public static Path cacheBin(Map<String, String> env) {
        String cache = env.get("LOOKOUT_CACHE");
        return cache != null && !cache.isEmpty() ? Path.of(cache, "bin") : homeCacheBin();
    }

    /** {@code ~/.cache/lookout/bin}, whatever {@code LOOKOUT_CACHE} says. */
    public static Path homeCacheBin() {
        return Path.of(System.getProperty("user.home"), ".cache", "lookout", "bin");
    }

    /** The folders of {@code PATH}, in order. */
    public static List<Path> pathDirs(Map<String, String> env) {
        String path = env.get("PATH");
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return dirs;
    }

    /**
     * The tool an environment variable names, if set. A set variable that names no executable is a mistake
     * the user must hear about, not a reason to quietly run another binary.
     */
    public static Optional<Path> fromEnv(Map<String, String> env, String variable) {
        String value = env.get(variable);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!isExecutableFile(path)) {
            throw new IllegalStateException(variable + "=" + value + " is not an executable file");
        }
        return Optional.of(path);
    }

    /** The first executable named {@code names[0]} in any of {@code dirs}, then {@code names[1]}, and so on. */
    public static Optional<Path> find(List<Path> dirs, String... names) {
        for (String name : names) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    static boolean isExecutableFile(Path path) {
        return Files.isExecutable(path) && !Files.isDirectory(path);
    }
}
