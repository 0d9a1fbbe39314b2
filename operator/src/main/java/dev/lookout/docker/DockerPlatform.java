package dev.lookout.docker;

import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.HostNetworks;
import dev.lookout.platform.Instances;
import dev.lookout.platform.Workloads;
import java.nio.file.Path;

/**
 * The Docker platform behind the seam: its workloads and instances over the same hosts, live (acting, and
 * requeueing owners through {@code watch} when their containers change) or dry (for {@code lookout plan}: reads only,
 * what would change goes to a {@link PlanRecorder}).
 *
 * @param watch    null in a dry run
 * @param dryRun   null when live
 * @param stateDir where network moves are journaled; null in a dry run
 */
public record DockerPlatform(EngineAccess hosts, HostWatch watch, OperatorConfig config, PlanRecorder dryRun, Path stateDir,
                             LiveConfigs liveConfigs, BackgroundBuilds builds) {
    public DockerPlatform(EngineAccess hosts, HostWatch watch, OperatorConfig config, PlanRecorder dryRun, Path stateDir) {
        this(hosts, watch, config, dryRun, stateDir, new LiveConfigs(config.lookout().instance()),
                dryRun == null ? new BackgroundBuilds(java.time.Clock.systemUTC(), config.lookout().instance()) : null);
    }

    public static DockerPlatform live(DockerHosts hosts, HostWatch watch, OperatorConfig config, Path stateDir) {
        return new DockerPlatform(hosts, watch, config, null, stateDir);
    }

    public static DockerPlatform dry(EngineAccess hosts, OperatorConfig config, PlanRecorder recorder) {
        return new DockerPlatform(hosts, null, config, recorder, null);
    }

    public boolean isDryRun() {
        return dryRun != null;
    }

    /** They share {@link #liveConfigs} (what each owner's container has of its live configuration) and {@link #builds}. */
    public Workloads workloads() {
        return new DockerWorkloads(this);
    }

    public Instances instances() {
        return new DockerInstances(this);
    }

    public HostNetworks networks() {
        return new DockerHostNetworks(this);
    }
}
