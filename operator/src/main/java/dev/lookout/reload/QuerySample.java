package dev.lookout.reload;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One element of an instant query's result: a series' labels and its value at the query time. A scalar
 * result is one sample without labels.
 *
 * @param labels sorted by name, unmodifiable
 */
public record QuerySample(Map<String, String> labels, double value) {
    public QuerySample {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }
}
