package dev.lookout.kind;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ResourceStatus;
import dev.lookout.prometheus.DiscoveredTarget;
import java.time.Duration;
import java.util.List;

/**
 * What a reconcile found.
 *
 * @param status       the kind's typed status (the class its CRD is generated from); its own fields are merged next
 *                     to the {@code observedGeneration} and {@code conditions} the engine keeps
 * @param requeueAfter when to look again even if nothing changes (null: only on change)
 * @param blocked      why the platform cannot give the resource what it asks for (Ready=False with that reason,
 *                     even once its Prometheus outputs are live); null when nothing blocks it
 * @param discovered   the targets the platform found for it, rendered into its Prometheus job; null keeps the
 *                     ones found before (the platform could not look, e.g. its Docker host is down)
 */
public record ReconcileResult(ResourceStatus status, Duration requeueAfter, Blocked blocked, List<DiscoveredTarget> discovered) {
    private static final ObjectMapper STATUS = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_EMPTY).build();

    public ReconcileResult {
        status = status == null ? new ResourceStatus() : status;
        discovered = discovered == null ? null : List.copyOf(discovered);
    }

    public static ReconcileResult status(ResourceStatus status) {
        return new ReconcileResult(status, null, null, List.of());
    }

    public ReconcileResult requeueAfter(Duration after) {
        return new ReconcileResult(status, after, blocked, discovered);
    }

    public ReconcileResult blocked(String reason, String message) {
        return new ReconcileResult(status, requeueAfter, new Blocked(reason, message), discovered);
    }

    public ReconcileResult discovered(List<DiscoveredTarget> targets) {
        return new ReconcileResult(status, requeueAfter, blocked, targets);
    }

    /** The kind's own status fields as JSON: what the engine stores, without the fields the engine owns. */
    public ObjectNode statusFields() {
        ObjectNode fields = STATUS.valueToTree(status);
        fields.remove(List.of("observedGeneration", "conditions"));
        return fields;
    }

    /** @param reason CamelCase, e.g. DockerUnavailable, NoGpuRuntime, ImageNotFound */
    public record Blocked(String reason, String message) {
    }
}
