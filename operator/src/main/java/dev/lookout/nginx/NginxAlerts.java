package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public record NginxAlerts(ErrorRatio errorRatio, LatencyP99 latencyP99) {

    public record ErrorRatio(
            @JsonPropertyDescription("Share of 5xx responses, in (0,1].") @Min(value = 0, inclusive = false) @Max(1) @Default("0.05") Double threshold,
            @JsonProperty("for") @Pattern(Patterns.DURATION) @Default("5m") String forDuration) {
        public ErrorRatio {
            threshold = threshold == null ? 0.05 : threshold;
            forDuration = forDuration == null ? "5m" : forDuration;
        }
    }

    public record LatencyP99(
            @JsonPropertyDescription("p99 request duration in seconds.") @Min(value = 0, inclusive = false) @Default("1") Double thresholdSeconds,
            @JsonProperty("for") @Pattern(Patterns.DURATION) @Default("10m") String forDuration) {
        public LatencyP99 {
            thresholdSeconds = thresholdSeconds == null ? 1.0 : thresholdSeconds;
            forDuration = forDuration == null ? "10m" : forDuration;
        }
    }
}
