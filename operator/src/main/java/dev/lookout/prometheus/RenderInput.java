package dev.lookout.prometheus;

import dev.lookout.config.OperatorConfig;
import dev.lookout.load.LoadedResource;
import dev.lookout.load.LoadedSecret;
import dev.lookout.load.ObjectKey;
import java.util.List;
import java.util.Map;

/**
 * Everything a render depends on, already read: the valid resources and Secrets, the operator
 * configuration, and the user's own files that Lookout merges into (absent when null).
 *
 * @param userBlackboxConfig the blackbox config file's current user content, Lookout's modules removed or not
 * @param userPrometheusBase the base prometheus.yml for {@code mode: full}
 */
public record RenderInput(List<LoadedResource> resources, Map<ObjectKey, LoadedSecret> secrets, OperatorConfig config,
                          String userBlackboxConfig, String userPrometheusBase) {
}
