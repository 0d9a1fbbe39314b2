package dev.lookout.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.dashboards.GrafanaSchemaCheck.Check;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A change to one of Lookout's dashboards that Grafana's schema does not allow, with the check that must refuse it
 * and words tsc's refusal must contain: proof that the schema check can fail.
 */
record SchemaMutation(String dashboard, String change, Check refusedBy, String expected, Consumer<ObjectNode> edit) {
    static final List<SchemaMutation> ALL = List.of(
            new SchemaMutation("lookout-probes.json", "a panel's gridPos misspelt gridPosition", Check.DASHBOARD,
                    "'\"gridPosition\"' does not exist", d -> {
                        ObjectNode panel = (ObjectNode) d.path("panels").get(0);
                        panel.set("gridPosition", panel.remove("gridPos"));
                    }),
            new SchemaMutation("lookout-gpu.json", "a colour mode Grafana does not have", Check.DASHBOARD, "'\"palete-classic\"'",
                    d -> ((ObjectNode) d.path("panels").get(4).at("/fieldConfig/defaults/color")).put("mode", "palete-classic")),
            new SchemaMutation("lookout-nginx-vts.json", "schemaVersion as a string", Check.DASHBOARD,
                    "Type 'string' is not assignable to type 'number'", d -> d.put("schemaVersion", "42")),
            new SchemaMutation("lookout-nginx-vts.json", "a time series legend's placement misspelt placment", Check.PANEL_PLUGINS,
                    "'\"placment\"' does not exist", d -> {
                        ObjectNode legend = (ObjectNode) d.path("panels").get(4).at("/options/legend");
                        legend.set("placment", legend.remove("placement"));
                    }),
            new SchemaMutation("lookout-gpu.json", "a graph panel, which Grafana 11 removed", Check.PANEL_PLUGINS, "'\"graph\"'",
                    d -> ((ObjectNode) d.path("panels").get(4)).put("type", "graph")));

    /** The changed copy of {@link #dashboard} among {@code dashboards}, labelled with what was changed. */
    GrafanaDashboard applyTo(List<GrafanaDashboard> dashboards) {
        GrafanaDashboard original = dashboards.stream().filter(d -> d.label().endsWith("/" + dashboard)).findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard " + dashboard + " to change"));
        ObjectNode copy = original.json().deepCopy();
        edit.accept(copy);
        try {
            return GrafanaDashboard.of(dashboard + " with " + change, GrafanaDashboard.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(copy));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
