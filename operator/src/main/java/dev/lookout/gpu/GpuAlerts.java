package dev.lookout.gpu;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public record GpuAlerts(
        @JsonPropertyDescription("Alert above this GPU temperature (°C).") @Min(1) @Max(150) @Default("80") Integer temperatureCelsius,
        Utilization utilization,
        @JsonPropertyDescription("Alert when free framebuffer memory drops below this (MiB).") @Min(0) @Default("500") Integer memoryFreeMiB,
        @JsonPropertyDescription("Alert when power usage exceeds this share of the power limit, in (0,1].") @Min(value = 0, inclusive = false) @Max(1) @Default("0.95") Double powerNearLimitRatio,
        @JsonPropertyDescription("Alert on XID errors.") @Default("true") Boolean xidErrors) {

    public GpuAlerts {
        temperatureCelsius = temperatureCelsius == null ? 80 : temperatureCelsius;
        utilization = utilization == null ? new Utilization(null, null) : utilization;
        memoryFreeMiB = memoryFreeMiB == null ? 500 : memoryFreeMiB;
        powerNearLimitRatio = powerNearLimitRatio == null ? 0.95 : powerNearLimitRatio;
        xidErrors = xidErrors == null ? Boolean.TRUE : xidErrors;
    }

    static GpuAlerts defaults() {
        return new GpuAlerts(null, null, null, null, null);
    }

    /** Sustained utilization: a saturated GPU for {@code for}. */
    public record Utilization(
            @JsonPropertyDescription("Utilization percent, 0-100.") @Min(0) @Max(100) @Default("90") Integer percent,
            @JsonProperty("for") @Pattern(Patterns.DURATION) @Default("10m") String forDuration) {
        public Utilization {
            percent = percent == null ? 90 : percent;
            forDuration = forDuration == null ? "10m" : forDuration;
        }
    }
}
