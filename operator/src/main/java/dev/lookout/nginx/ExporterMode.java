package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ExporterMode {
    @JsonProperty("native") NATIVE,
    @JsonProperty("sidecar") SIDECAR
}
