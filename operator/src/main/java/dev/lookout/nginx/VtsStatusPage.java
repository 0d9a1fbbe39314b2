package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.BasicAuth;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** The VTS status location, behind basic auth, with the latency histogram's buckets. */
public record VtsStatusPage(
        @JsonPropertyDescription("Absolute path of the status location.") @Pattern(Patterns.URL_PATH) @Default("/status") String path,
        BasicAuth basicAuth,
        @JsonPropertyDescription("Latency histogram buckets in seconds, strictly ascending.") List<@Min(value = 0, inclusive = false) Double> histogramBuckets) {
    public VtsStatusPage {
        path = path == null ? "/status" : path;
        histogramBuckets = histogramBuckets == null ? List.of() : List.copyOf(histogramBuckets);
    }

    static VtsStatusPage defaults() {
        return new VtsStatusPage(null, null, null);
    }
}
