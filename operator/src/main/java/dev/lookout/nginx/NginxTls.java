package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.LocalObjectRef;

/** Certificate and key as files next to the resource, or a {@code kubernetes.io/tls} Secret. */
public record NginxTls(
        @JsonPropertyDescription("PEM certificate chain, relative to this file.") String certificateFile,
        @JsonPropertyDescription("PEM private key, relative to this file.") String keyFile,
        @JsonPropertyDescription("A Secret with tls.crt and tls.key, instead of files.") LocalObjectRef secretRef) {
}
