package dev.lookout.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One dashboard file of compose/grafana/dashboards, as Grafana's file provisioner reads it.
 *
 * @param label where it is, for messages ({@code compose/grafana/dashboards/lookout-gpu.json})
 * @param text  the file's bytes as text: the schema check compiles exactly these
 */
record GrafanaDashboard(String label, String text, JsonNode json) {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Every {@code *.json} in {@code folder}, by name; {@code repo} makes the labels relative. */
    static List<GrafanaDashboard> inFolder(Path repo, Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<GrafanaDashboard> dashboards = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(of(repo.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }

    static GrafanaDashboard of(String label, String text) {
        try {
            return new GrafanaDashboard(label, text, JSON.readTree(text));
        } catch (IOException e) {
            throw new AssertionError(label + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The file name without {@code .json}: Lookout's dashboards use it as their uid. */
    String stem() {
        String name = label.substring(label.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".json".length());
    }

    String uid() {
        return json.path("uid").asText();
    }

    /** Every panel, those inside collapsed rows included. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Every query of every panel, in panel order. */
    List<PanelTarget> targets() {
        List<PanelTarget> targets = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                targets.add(new PanelTarget(label, panel.path("id").asInt(), panel.path("title").asText(),
                        target.path("refId").asText(), target.path("expr").asText(), target.path("instant").asBoolean(false),
                        target.path("range").asBoolean(true), target.path("datasource")));
            }
        }
        return targets;
    }

    /** The template variables, in the order Grafana resolves them (a later one may use an earlier one). */
    List<TemplateVariable> variables() {
        List<TemplateVariable> variables = new ArrayList<>();
        json.path("templating").path("list").forEach(v -> variables.add(TemplateVariable.of(v)));
        return variables;
    }
}
