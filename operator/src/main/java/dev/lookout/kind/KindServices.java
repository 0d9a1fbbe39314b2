package dev.lookout.kind;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.HostNetworks;
import dev.lookout.platform.Instances;
import dev.lookout.platform.Workloads;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.reload.PrometheusClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * What a run mode offers the kinds' reconcilers: the platform (behind the seam), the operator config, and the
 * operator's own services. {@code lookout plan} passes a dry-run platform and no Prometheus.
 *
 * @param prometheus  the Prometheus to ask (remediation reads probe results); null where none may be asked
 * @param stateDir    where a reconciler may remember things across restarts; null: in memory only
 * @param foundBefore the targets the engine keeps for a resource from its last discovery (persisted)
 * @param inputs      manifest files and Secret values
 */
public record KindServices(OperatorConfig config, Workloads workloads, Instances instances, HostNetworks networks,
                           MeterRegistry meters,
                           PrometheusClient prometheus, Clock clock, Path stateDir,
                           Function<ObjectKey, List<DiscoveredTarget>> foundBefore, ResourceInputs inputs) {
}
