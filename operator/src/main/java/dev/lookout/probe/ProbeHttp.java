package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.BasicAuth;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

public record ProbeHttp(
        @JsonPropertyDescription("Path probed on discovered targets.") @Pattern(Patterns.URL_PATH) @Default(DEFAULT_PATH) String path,
        @JsonPropertyDescription("HTTP method.") HttpMethod method,
        @JsonPropertyDescription("Status codes that count as up; empty means 2xx.") List<@Min(100) @Max(599) Integer> validStatusCodes,
        @JsonPropertyDescription("Follow redirects.") @Default("true") Boolean followRedirects,
        @JsonPropertyDescription("RE2 regexes the body must all match.") List<String> bodyMustMatch,
        BasicAuth basicAuth,
        ProbeTls tls) {

    public static final String DEFAULT_PATH = "/object_info/CheckpointLoaderSimple";

    public ProbeHttp {
        path = path == null ? DEFAULT_PATH : path;
        method = method == null ? HttpMethod.GET : method;
        validStatusCodes = validStatusCodes == null ? List.of() : List.copyOf(validStatusCodes);
        followRedirects = followRedirects == null ? Boolean.TRUE : followRedirects;
        bodyMustMatch = bodyMustMatch == null ? List.of() : List.copyOf(bodyMustMatch);
    }

    static ProbeHttp defaults() {
        return new ProbeHttp(null, null, null, null, null, null, null);
    }
}
