package dev.lookout.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.Condition;
import dev.lookout.api.ObjectKey;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kind.LoadedResource;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.registry.KindRegistry;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the state folder keeps of one resource so that a restart forgets nothing: its generation and the
 * hash it belongs to, its conditions (with their transition times), its kind fields, and the last version
 * Prometheus accepted, so a file that is broken when Lookout starts still keeps its last good outputs.
 * The targets a platform discovered are kept too. Secrets are never kept here: a last good version finds them in the current manifests.
 */
public record PersistedResource(String kind, String namespace, String name, String file, int line, String hash,
                                long generation, long observedGeneration, String created, List<Condition> conditions,
                                ObjectNode kindStatus, JsonNode applied, String appliedHash, String rejectedHash,
                                List<DiscoveredTarget> discovered) {

    static PersistedResource of(TrackedResource t, ObjectMapper mapper) {
        JsonNode applied = t.applied == null ? null : mapper.valueToTree(t.applied.resource());
        return new PersistedResource(t.key.kind(), t.key.namespace(), t.key.name(), t.file == null ? null : t.file.toString(),
                t.line, t.hash, t.generation, t.observedGeneration, t.created.toString(), t.conditions, t.kindStatus, applied,
                t.appliedHash, t.rejectedHash, t.discovered.isEmpty() ? null : t.discovered);
    }

    /** The tracked resource again; empty for a kind this version no longer knows. */
    Optional<TrackedResource> restore(ObjectMapper mapper) {
        Optional<KindDefinition<?>> known = KindRegistry.byKind(kind);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        ObjectKey key = new ObjectKey(kind, namespace, name);
        TrackedResource t = new TrackedResource(key, created == null ? Instant.now() : Instant.parse(created));
        t.file = file == null ? null : Path.of(file);
        t.line = line;
        t.hash = hash;
        t.generation = generation;
        t.observedGeneration = observedGeneration;
        t.conditions = conditions == null ? List.of() : List.copyOf(conditions);
        if (kindStatus != null) {
            t.kindStatus = kindStatus;
        }
        t.rejectedHash = rejectedHash;
        // Targets found before the restart stay in Prometheus until the platform is asked again: a Docker host
        // that is down at start must not make every container vanish from monitoring.
        t.discovered = discovered == null ? List.of() : List.copyOf(discovered);
        if (applied != null && applied.isObject()) {
            try {
                CustomResource<?, ?> resource = mapper.treeToValue(applied, known.get().type());
                if (resource != null) {
                    t.applied = new LoadedResource(known.get(), key, resource, null);
                    t.appliedHash = appliedHash;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                // A model change between versions: the next valid version from the file replaces it anyway.
            }
        }
        return Optional.of(t);
    }
}
