package dev.lookout.e2e;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerEngineClient;
import dev.lookout.docker.DockerPlatform;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.HostWatch;
import dev.lookout.docker.PlanHosts;
import dev.lookout.platform.Workloads;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.TestNetwork;
import java.nio.file.Path;

/**
 * The Docker platform's workloads on the local engine, with a shared network of the test's own and the log captured:
 * for tests that drive the platform seam directly, without a resource or a run loop.
 */
record LocalDockerPlatform(TestNetwork shared, DockerEngineClient client, LogCapture log, Workloads workloads)
        implements AutoCloseable {

    static LocalDockerPlatform start(Path state) {
        DockerEngine.require();
        TestNetwork shared = DockerEngine.createNetwork();
        DockerEngineClient client = new DockerEngineClient(OperatorConfig.DockerHost.LOCAL, DockerSettings.defaults());
        LogCapture log = LogCapture.start();
        OperatorConfig config = new OperatorConfig(null, new OperatorConfig.Prometheus(null, null, null, shared.name(), null),
                null, null, null);
        Workloads workloads = new DockerPlatform(new PlanHosts(config.docker().hosts(), h -> client), new HostWatch(), config,
                null, state).workloads();
        return new LocalDockerPlatform(shared, client, log, workloads);
    }

    @Override
    public void close() {
        Cleanup.quietly(log, client, shared);
    }
}
