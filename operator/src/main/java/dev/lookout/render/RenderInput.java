package dev.lookout.render;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.kind.LoadedResource;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.prometheus.DiscoveredTarget;
import java.util.List;
import java.util.Map;

/**
 * Everything a render depends on, already read: the valid resources and Secrets, the operator
 * configuration, and the user's own files that Lookout merges into (absent when null).
 *
 * @param userBlackboxConfig the blackbox config file's current user content, Lookout's modules removed or not
 * @param userPrometheusBase the base prometheus.yml for {@code mode: full}
 * @param discovered         targets a platform found per resource (observed state; absent: none found)
 */
public record RenderInput(List<LoadedResource> resources, Map<ObjectKey, LoadedSecret> secrets, OperatorConfig config,
                          String userBlackboxConfig, String userPrometheusBase,
                          Map<ObjectKey, List<DiscoveredTarget>> discovered) {
    public RenderInput {
        discovered = discovered == null ? Map.of() : Map.copyOf(discovered);
    }

    /** Input without discovered targets: what {@code lookout render} sees, since it asks no platform. */
    public RenderInput(List<LoadedResource> resources, Map<ObjectKey, LoadedSecret> secrets, OperatorConfig config,
                       String userBlackboxConfig, String userPrometheusBase) {
        this(resources, secrets, config, userBlackboxConfig, userPrometheusBase, Map.of());
    }
}
