package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.time.Duration;
import java.util.List;

/**
 * @param timeout when absent: {@value #DEFAULT_TIMEOUT}, or the interval if that is shorter (and not zero,
 *                which is reported on the interval alone), so that setting only a short interval never
 *                yields an invalid timeout.
 */
public record ComfyProbeSpec(
        @JsonPropertyDescription("Static targets.") List<ProbeTarget> targets,
        @JsonPropertyDescription("Targets found among containers or pods.") ProbeDiscovery discover,
        @JsonPropertyDescription("How each target is probed (one blackbox module).") ProbeHttp http,
        @JsonPropertyDescription("Probe interval.") @Pattern(Patterns.DURATION) @Default(DEFAULT_INTERVAL) String interval,
        @JsonPropertyDescription("Probe timeout; at most the interval.") @Pattern(Patterns.DURATION) String timeout,
        @JsonPropertyDescription("The ComfyUIDown alert.") ProbeAlert alert,
        @JsonPropertyDescription("Export and alert on container restarts.") RestartAlert restarts,
        @JsonPropertyDescription("Automatic repair of failing instances.") Remediation remediation) {

    public static final String DEFAULT_INTERVAL = "30s";
    public static final String DEFAULT_TIMEOUT = "15s";

    public ComfyProbeSpec {
        targets = targets == null ? List.of() : List.copyOf(targets);
        http = http == null ? ProbeHttp.defaults() : http;
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        alert = alert == null ? ProbeAlert.defaults() : alert;
    }

    /** The timeout in force, see the record's doc. Null only when a given duration does not parse. */
    public String effectiveTimeout() {
        if (timeout != null) {
            return timeout;
        }
        return dev.lookout.validation.PromDuration.parse(interval)
                .filter(i -> !i.isZero() && i.compareTo(Duration.ofSeconds(15)) < 0)
                .map(i -> interval)
                .orElse(DEFAULT_TIMEOUT);
    }
}
