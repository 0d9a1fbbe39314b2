package dev.lookout.prometheus;

import java.util.Map;
import java.util.TreeMap;

/**
 * A target a platform found for a resource (a ComfyUI container, say): what Prometheus is told to scrape or
 * probe, and the labels that say where it came from. Observed state, not spec: the renderer writes it as a
 * static target, so a change reaches Prometheus with one reload instead of file_sd's 5 s refresh tick.
 */
public record DiscoveredTarget(String target, Map<String, String> labels) implements Comparable<DiscoveredTarget> {
    public DiscoveredTarget {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    @Override
    public int compareTo(DiscoveredTarget o) {
        return target.compareTo(o.target);
    }
}
