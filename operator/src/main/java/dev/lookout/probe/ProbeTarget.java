package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.TreeMap;

public record ProbeTarget(
        @JsonPropertyDescription("Absolute http(s) URL probed as is.") String url,
        @JsonPropertyDescription("Labels added to this target's series.") Map<String, String> labels) {
    public ProbeTarget {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
