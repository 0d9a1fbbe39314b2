package dev.lookout.statuspage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lookout.prometheus.OutputTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerting rules in the rule files Lookout wrote under its output folder: what it asked Prometheus to
 * evaluate, whether or not Prometheus answers. Read at each page view (a few small files), so the page never
 * shows rules from before the last write.
 */
final class RuleFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path folder;

    RuleFiles(Path outRoot) {
        this.folder = outRoot.resolve(OutputTree.PROMETHEUS + "rules");
    }

    /** Every alert, in file and rule order; a file being replaced is skipped and shown at the next view. */
    List<RenderedAlert> alerts() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder, "*.yml")) {
            listing.forEach(files::add);
        } catch (NoSuchFileException e) {
            return List.of(); // nothing written yet
        }
        files.sort(null);
        List<RenderedAlert> alerts = new ArrayList<>();
        for (Path file : files) {
            JsonNode tree;
            try {
                tree = YAML.readTree(file.toFile());
            } catch (NoSuchFileException e) {
                continue;
            }
            for (JsonNode group : tree == null ? List.<JsonNode>of() : iterable(tree.path("groups"))) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.hasNonNull("alert")) {
                        alerts.add(new RenderedAlert(group.path("name").asText(), rule.path("alert").asText(),
                                rule.path("expr").asText(), rule.path("for").asText(""),
                                rule.path("labels").path("severity").asText("")));
                    }
                }
            }
        }
        return alerts;
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
