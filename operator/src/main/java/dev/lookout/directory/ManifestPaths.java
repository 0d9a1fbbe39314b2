package dev.lookout.directory;

import java.nio.file.Path;

/**
 * Which paths under the watched folder are manifests: {@code *.yaml} and {@code *.yml}, nothing hidden.
 * That alone leaves out what editors write next to a file while saving it (vim's {@code .x.yaml.swp} and
 * {@code 4913}, emacs' {@code .#x.yaml} and {@code x.yaml~}, JetBrains' {@code x.yaml___jb_tmp___},
 * {@code .x.yaml.tmp} renamed over the file), so those never produce errors.
 */
final class ManifestPaths {
    private ManifestPaths() {
    }

    static boolean isManifest(Path root, Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !isHidden(root, file);
    }

    static boolean isHidden(Path root, Path path) {
        for (Path part : root.relativize(path)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
