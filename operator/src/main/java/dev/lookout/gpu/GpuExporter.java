package dev.lookout.gpu;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** @param counters DCGM field names written to the exporter's counters CSV; empty keeps the image's defaults. */
public record GpuExporter(
        @JsonPropertyDescription("Pinned dcgm-exporter image.") @Default(DEFAULT_IMAGE) String image,
        @JsonPropertyDescription("Port the exporter serves /metrics on.") @Min(1) @Max(65535) @Default("9400") Integer port,
        @JsonPropertyDescription("DCGM fields to collect, e.g. DCGM_FI_DEV_GPU_TEMP.") List<String> counters) {

    public static final String DEFAULT_IMAGE = "nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04";

    public GpuExporter {
        image = image == null ? DEFAULT_IMAGE : image;
        port = port == null ? 9400 : port;
        counters = counters == null ? List.of() : List.copyOf(counters);
    }

    static GpuExporter defaults() {
        return new GpuExporter(null, null, null);
    }
}
