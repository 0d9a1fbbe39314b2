package dev.lookout.kubernetes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.api.ResourceStatus;
import dev.lookout.engine.PersistedResource;
import dev.lookout.engine.ResourceTable;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status a resource already carries on the API server, taken as the engine's starting point when Lookout first
 * sees the resource (at start, or after a restart on another node with no state folder). It plays the part the
 * state folder plays in directory mode: conditions keep their {@code lastTransitionTime}, so a restart that finds
 * everything as it was writes no status at all. Also remembers what was last written per key, so that the
 * {@link StatusWriter} patches only a status that differs.
 */
final class PriorStatus {
    /** How the kinds' status fields are compared: as ReconcileResult stores them (empty values left out). */
    private static final ObjectMapper STATUS = JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_EMPTY).build();

    private final ResourceTable table;
    private final ObjectMapper mapper;
    private final Map<ObjectKey, JsonNode> written = new ConcurrentHashMap<>();

    PriorStatus(ResourceTable table, ObjectMapper mapper) {
        this.table = table;
        this.mapper = mapper;
    }

    /**
     * Seeds the table with the status {@code resource} carries. Its conditions are the starting point even when they
     * describe an older generation (an edit made while Lookout was down): the first reconcile and cycle then set them,
     * and a condition whose status stays the same keeps its {@code lastTransitionTime}, as metav1.Condition asks.
     * An invalid resource has no observedGeneration (no version of it reached Prometheus): 0, as the table keeps it.
     */
    void adopt(ObjectKey key, CustomResource<?, ?> resource, String hash) {
        if (!(resource.getStatus() instanceof ResourceStatus status) || status.getConditions().isEmpty()) {
            return;
        }
        Long generation = resource.getMetadata().getGeneration();
        long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        ObjectNode fields = STATUS.valueToTree(status);
        fields.remove(List.of("observedGeneration", "conditions"));
        String created = resource.getMetadata().getCreationTimestamp();
        table.restore(List.of(new PersistedResource(key.kind(), key.namespace(), key.name(), null, 1, hash,
                generation == null ? 0 : generation, observed, created == null ? Instant.now().toString() : created, List.copyOf(status.getConditions()),
                fields, null, null, null, null)), mapper);
        // What the server holds now, in the table's own shape: the writer compares with this, not with a re-encoding.
        // One resource, not the whole table: at start every resource is adopted, which would be quadratic.
        table.object(key, mapper).ifPresent(o -> written.put(key, o.get("status")));
    }

    /** The status last written for (or found on) {@code key}; null when none. */
    JsonNode written(ObjectKey key) {
        return written.get(key);
    }

    void wrote(ObjectKey key, JsonNode status) {
        written.put(key, status);
    }

    void forget(ObjectKey key) {
        written.remove(key);
    }

    boolean differs(ObjectKey key, JsonNode status) {
        return !Objects.equals(written.get(key), status);
    }
}
