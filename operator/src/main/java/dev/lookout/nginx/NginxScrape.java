package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;
import java.util.TreeMap;

public record NginxScrape(
        @JsonPropertyDescription("Scrape interval; Prometheus' global default when absent.") @Pattern(Patterns.DURATION) String interval,
        @JsonPropertyDescription("Labels added to every scraped series.") Map<String, String> labels) {
    public NginxScrape {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
