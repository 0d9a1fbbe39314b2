package dev.lookout.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Files a resource refers to (nginx includes, TLS material): relative to the manifest's own folder and
 * inside it, so a resource cannot mount {@code /etc/shadow} into a container, and present now rather than
 * failing later at container start.
 */
public final class LocalFileRules {
    /** Also written into nginx.conf's include lines, hence the conservative set. */
    private static final Pattern SAFE_PATH = Pattern.compile("^[A-Za-z0-9._/-]+$");

    private LocalFileRules() {
    }

    public static void relativeFile(ProblemReporter r, FieldPath p, String path) {
        if (path == null) {
            return;
        }
        if (path.isEmpty()) {
            r.error(p, "must not be empty");
            return;
        }
        if (path.startsWith("/") || path.startsWith("~") || path.matches("^[A-Za-z]:.*")) {
            r.error(p, "must be a path relative to the folder of " + r.file().getFileName() + ", not absolute");
            return;
        }
        if (!SAFE_PATH.matcher(path).matches()) {
            r.error(p, "\"" + CommonRules.printable(path) + "\" has characters not allowed in a file path (letters, digits, '.', '_', '-', '/')");
            return;
        }
        Path folder = r.file().toAbsolutePath().normalize().getParent();
        Path target;
        try {
            target = folder.resolve(path).normalize();
        } catch (InvalidPathException e) {
            r.error(p, "not a valid path: " + e.getReason());
            return;
        }
        if (!target.startsWith(folder)) {
            r.error(p, "\"" + path + "\" leaves the folder of " + r.file().getFileName() + " (no '..' above it)");
            return;
        }
        if (!Files.isRegularFile(target)) {
            r.error(p, "no such file: " + path + " (relative to " + displayFolder(r.file()) + ")");
            return;
        }
        try {
            if (!target.toRealPath().startsWith(folder.toRealPath())) {
                r.error(p, "\"" + path + "\" is a symbolic link that leaves the folder of " + r.file().getFileName());
            }
        } catch (IOException e) {
            r.error(p, "cannot resolve: " + e.getMessage());
        }
    }

    private static String displayFolder(Path manifest) {
        Path parent = manifest.getParent();
        return parent == null ? "." : parent.toString();
    }
}
