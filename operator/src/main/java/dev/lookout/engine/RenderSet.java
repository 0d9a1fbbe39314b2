package dev.lookout.engine;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.prometheus.DiscoveredTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one output cycle renders: for each resource the version to render (the newest, or the last good one
 * while the newest is invalid or refused), the Secrets they read, and the oldest change not yet in Prometheus.
 */
public record RenderSet(List<Entry> entries, Map<ObjectKey, LoadedSecret> secrets, Instant oldestChange) {
    public RenderSet {
        entries = List.copyOf(entries);
        secrets = Map.copyOf(secrets);
    }

    /**
     * @param newest  whether this is the newest version (false: the last good one stands in for it)
     * @param pending whether this version has not reached Prometheus yet (what a refused reload can blame)
     */
    public record Entry(ObjectKey key, LoadedResource resource, String hash, boolean newest, boolean pending,
                        List<DiscoveredTarget> discovered) {
        public Entry {
            discovered = discovered == null ? List.of() : List.copyOf(discovered);
        }
    }

    /** The targets platforms found, per resource that has any. */
    public Map<ObjectKey, List<DiscoveredTarget>> discovered() {
        Map<ObjectKey, List<DiscoveredTarget>> all = new java.util.HashMap<>();
        entries.stream().filter(e -> !e.discovered().isEmpty()).forEach(e -> all.put(e.key(), e.discovered()));
        return all;
    }

    public List<LoadedResource> resources() {
        return entries.stream().map(Entry::resource).toList();
    }
}
