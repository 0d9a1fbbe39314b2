package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** @param port when absent: 443 with TLS, 80 without. */
public record NginxListen(
        @JsonPropertyDescription("Port nginx listens on inside the container.") @Min(1) @Max(65535) Integer port,
        @JsonPropertyDescription("Docker publish form: 443, 8443:443, 127.0.0.1:8443 or 127.0.0.1:8443:443.") String publish,
        NginxTls tls) {

    static NginxListen defaults() {
        return new NginxListen(null, null, null);
    }

    public int effectivePort() {
        return port != null ? port : tls != null ? 443 : 80;
    }
}
