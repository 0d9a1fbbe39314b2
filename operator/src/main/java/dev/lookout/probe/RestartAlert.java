package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public record RestartAlert(
        @JsonPropertyDescription("Alert when a container restarted at least this often within the window.") @Min(1) @Default("3") Integer alertAfter,
        @JsonPropertyDescription("Window the restarts are counted over.") @Pattern(Patterns.DURATION) @Default("15m") String window) {
    public RestartAlert {
        alertAfter = alertAfter == null ? 3 : alertAfter;
        window = window == null ? "15m" : window;
    }
}
