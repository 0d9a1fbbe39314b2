package dev.lookout.docker;

import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.Instances;
import dev.lookout.platform.Workloads;

/**
 * The Docker platform behind the seam: its workloads and instances over the same hosts, live (acting, and
 * requeueing owners through {@code watch} when their containers change) or dry (for {@code lookout plan}: reads only,
 * what would change goes to a {@link PlanRecorder}).
 *
 * @param watch  null in a dry run
 * @param dryRun null when live
 */
public record DockerPlatform(EngineAccess hosts, HostWatch watch, OperatorConfig config, PlanRecorder dryRun) {
    public static DockerPlatform live(DockerHosts hosts, HostWatch watch, OperatorConfig config) {
        return new DockerPlatform(hosts, watch, config, null);
    }

    public static DockerPlatform dry(EngineAccess hosts, OperatorConfig config, PlanRecorder recorder) {
        return new DockerPlatform(hosts, null, config, recorder);
    }

    public boolean isDryRun() {
        return dryRun != null;
    }

    public Workloads workloads() {
        return new DockerWorkloads(this);
    }

    public Instances instances() {
        return new DockerInstances(this);
    }
}
