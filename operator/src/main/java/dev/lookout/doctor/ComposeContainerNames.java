package dev.lookout.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The runbook's tip 4: the same {@code container_name} in two compose projects. Docker names are unique per engine,
 * so the second project's {@code up} fails, or a {@code down} of one removes the other's container. Read from the
 * compose files given, and from those the running containers name in their {@code config_files} label.
 */
final class ComposeContainerNames {
    /** The file names compose looks for by itself. */
    static final List<String> FILE_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

    private ComposeContainerNames() {
    }

    static boolean isComposeFile(Path file) {
        return FILE_NAMES.contains(file.getFileName().toString());
    }

    /** Each file's project: compose's own rule, the top-level {@code name} or else its folder's name. */
    static void check(List<Path> files, Examination exam) {
        Map<String, TreeSet<String>> projectsByName = new TreeMap<>();
        for (Path file : new TreeSet<>(files)) {
            Map<String, Object> doc;
            try {
                Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
                if (!(loaded instanceof Map<?, ?> map)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> cast = (Map<String, Object>) map;
                doc = cast;
            } catch (IOException | RuntimeException e) {
                exam.couldNotLook("compose file " + file + " (" + e.getMessage() + ")");
                continue;
            }
            Object parent = file.toAbsolutePath().getParent().getFileName();
            String project = doc.get("name") instanceof String n ? n : String.valueOf(parent);
            if (doc.get("services") instanceof Map<?, ?> services) {
                services.values().forEach(service -> {
                    if (service instanceof Map<?, ?> s && s.get("container_name") instanceof String name) {
                        projectsByName.computeIfAbsent(name, k -> new TreeSet<>()).add(project + " (" + file + ")");
                    }
                });
            }
        }
        projectsByName.forEach((name, projects) -> {
            if (projects.size() > 1) {
                exam.found("compose", "container_name " + name + " is set in " + projects.size() + " projects: "
                        + String.join(", ", new ArrayList<>(projects)), "Container names are unique per engine: the second "
                        + "project cannot start it, and a down of one removes the other's. Remove container_name (compose "
                        + "then names it <project>-<service>-1) or give each project its own");
            }
        });
    }
}
