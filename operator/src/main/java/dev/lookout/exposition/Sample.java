package dev.lookout.exposition;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sample line. The timestamp a line may carry is dropped: exporters rarely send one, and what reads
 * samples here wants the current value, not its history.
 *
 * @param labels sorted by name, unmodifiable; empty when the line has no label set
 */
public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** The value of label {@code name}, or null when the sample does not carry it. */
    public String label(String name) {
        return labels.get(name);
    }
}
