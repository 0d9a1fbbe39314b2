package dev.lookout.dashboards;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One query of a panel.
 *
 * @param instant    Grafana asks for the value at the end of the range only
 * @param range      Grafana asks for the series over the dashboard's range (a target may ask for both)
 * @param datasource the target's datasource reference
 */
record PanelTarget(String dashboard, int panelId, String panelTitle, String refId, String expr, boolean instant,
                   boolean range, JsonNode datasource) {
    /** {@code lookout-gpu.json panel 5 "Temperature" query A}: what a failure message names. */
    String where() {
        return dashboard + " panel " + panelId + " \"" + panelTitle + "\" query " + refId;
    }
}
