package dev.lookout.artifacts.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.artifacts.http.LoopbackHttp;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The stack's Alertmanager through its published port: the alerts it received ({@code GET /api/v2/alerts}). */
public final class AlertmanagerApi {
    private final URI base;

    public AlertmanagerApi(URI base) {
        this.base = base;
    }

    /** One alert as Alertmanager holds it: its labels (alertname among them) and its state (active, suppressed...). */
    public record Alert(Map<String, String> labels, String state) {
        public String name() {
            return labels.getOrDefault("alertname", "");
        }
    }

    public List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode alert : LoopbackHttp.json(base.resolve("api/v2/alerts"))) {
            Map<String, String> labels = new TreeMap<>();
            alert.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            alerts.add(new Alert(Map.copyOf(labels), alert.path("status").path("state").asText()));
        }
        return alerts;
    }
}
