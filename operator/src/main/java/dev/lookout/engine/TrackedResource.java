package dev.lookout.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.Condition;
import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.validation.Problem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The engine's record of one resource: the newest version from the source, the last version Prometheus
 * accepted, and the status Lookout keeps for it. Mutable, and only touched under {@link ResourceTable}'s lock.
 */
final class TrackedResource {
    final ObjectKey key;
    final Instant created;
    Path file;
    int line;
    /** Content hash of the newest version seen, valid or not; a new hash is a new generation. */
    String hash;
    long generation;
    long observedGeneration;
    /** The generation its reconciler last finished (blocked or not); 0 before the first. Ready waits for it. */
    long reconciledGeneration;
    /** The newest version when it is valid; null while the newest version is invalid or unreadable. */
    LoadedResource desired;
    /** Why the newest version cannot be used (validation errors); empty when it is valid. */
    List<Problem> problems = List.of();
    /** The last version whose outputs Prometheus accepted: what is rendered while the newest cannot be. */
    LoadedResource applied;
    String appliedHash;
    /** A version Prometheus (or a check before it) refused; it is not rendered again until the content changes. */
    String rejectedHash;
    List<Condition> conditions = List.of();
    ObjectNode kindStatus = JsonNodeFactory.instance.objectNode();
    /** What keeps the platform from giving the resource what it asks for (its Ready stays False); null: nothing. */
    ReconcileResult.Blocked blocked;
    /** Targets the platform found for it, rendered into its job; kept while the platform cannot look. */
    List<DiscoveredTarget> discovered = List.of();

    TrackedResource(ObjectKey key, Instant created) {
        this.key = key;
        this.created = created;
    }

    /** The version to render: the newest unless it is invalid or was refused, else the last good one (or none). */
    LoadedResource renderable() {
        if (desired != null && !Objects.equals(hash, rejectedHash)) {
            return desired;
        }
        return applied;
    }

    /** True while the newest valid version has not reached Prometheus yet. */
    boolean awaitingApply() {
        return desired != null && !Objects.equals(hash, rejectedHash) && !Objects.equals(hash, appliedHash);
    }
}
