package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Pattern;

public record Remediation(
        @JsonPropertyDescription("Restart a container whose probe has failed this long.") @Pattern(Patterns.DURATION) String restartAfter) {
}
