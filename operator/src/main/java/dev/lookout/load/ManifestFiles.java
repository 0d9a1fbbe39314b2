package dev.lookout.load;

import dev.lookout.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The manifest files named by the user: files as given, folders searched recursively for
 * {@code *.yaml} and {@code *.yml}. Hidden files and folders (editors' swap files, {@code .git}) are skipped.
 */
public final class ManifestFiles {
    private ManifestFiles() {
    }

    public record Found(List<Path> files, List<Problem> problems) {
    }

    public static Found find(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .filter(f -> isManifest(path, f))
                            .sorted()
                            .forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    problems.add(Problem.error(path, 1, "cannot list folder: " + e.getMessage()));
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                problems.add(Problem.error(path, 1, "no such file or folder"));
            }
        }
        return new Found(files.stream().distinct().toList(), problems);
    }

    /**
     * Whether {@code file}, under the folder {@code root}, is a manifest: {@code *.yaml} or {@code *.yml} with
     * nothing hidden on the way. That alone leaves out what editors write next to a file while saving it
     * (vim's {@code .x.yaml.swp} and {@code 4913}, emacs' {@code .#x.yaml} and {@code x.yaml~}, JetBrains'
     * {@code x.yaml___jb_tmp___}, a {@code .x.yaml.tmp} renamed over the file) and {@code .git}.
     */
    public static boolean isManifest(Path root, Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !isHidden(root, file);
    }

    /** Whether {@code path} or a folder between it and {@code root} is hidden (starts with a dot). */
    public static boolean isHidden(Path root, Path path) {
        for (Path part : root.relativize(path)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
