package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public record ProbeTls(
        @JsonPropertyDescription("Accept any certificate (self-signed ComfyUI behind TLS).") Boolean insecureSkipVerify) {
}
