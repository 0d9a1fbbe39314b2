package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

public record ProbeAlert(
        @JsonProperty("for") @JsonPropertyDescription("How long a target must fail before ComfyUIDown fires.")
        @Pattern(Patterns.DURATION) @Default("2m") String forDuration,
        @JsonPropertyDescription("Value of the alert's severity label.") @Pattern(Patterns.SAFE_TEXT) @Default("critical") String severity) {
    public ProbeAlert {
        forDuration = forDuration == null ? "2m" : forDuration;
        severity = severity == null ? "critical" : severity;
    }

    static ProbeAlert defaults() {
        return new ProbeAlert(null, null);
    }
}
