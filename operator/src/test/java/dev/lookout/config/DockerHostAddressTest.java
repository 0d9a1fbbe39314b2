package dev.lookout.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a workload on a Docker host is scraped: by name on the shared network, or at the host's address. */
class DockerHostAddressTest {
    static OperatorConfig config(OperatorConfig.DockerHost... hosts) {
        return new OperatorConfig(new OperatorConfig.Docker(List.of(hosts)), null, null, null, null);
    }

    @Test
    void theLocalSocketAndALoopbackEngineUseTheSharedNetwork() {
        OperatorConfig c = config(OperatorConfig.DockerHost.LOCAL,
                new OperatorConfig.DockerHost("dind", "tcp://localhost:2375", null),
                new OperatorConfig.DockerHost("tls", "tcp://127.0.0.1:2376", "/certs"));
        assertThat(c.scrapeAddress("local", "exporter", 9400)).isEqualTo("exporter:9400");
        assertThat(c.scrapeAddress("dind", "exporter", 9400)).isEqualTo("exporter:9400");
        assertThat(c.scrapeAddress("tls", "exporter", 9400)).isEqualTo("exporter:9400");
    }

    @Test
    void aHostThatNamesNoDockerHostIsScrapedAtTheWorkloadsServiceInItsNamespace() {
        OperatorConfig c = config(OperatorConfig.DockerHost.LOCAL);
        assertThat(c.scrapeAddress("local", "lab", "lookout-dcgm-exporter-lab_gpu-01", 9400))
                .as("a Docker host: as before").isEqualTo("lookout-dcgm-exporter-lab_gpu-01:9400");
        assertThat(c.scrapeAddress("gpu-01", "lab", "lookout-dcgm-exporter-lab_gpu-01", 9400))
                .as("Kubernetes mode: the Service the cluster platform made").isEqualTo("lookout-dcgm-exporter-lab-gpu-01.lab.svc:9400");
    }

    @Test
    void aRemoteEngineIsScrapedAtItsHostUnlessAnAddressIsGiven() {
        OperatorConfig c = config(new OperatorConfig.DockerHost("gpu-2", "tcp://gpu-2.lan:2376", "/certs"),
                new OperatorConfig.DockerHost("tunnel", "tcp://127.0.0.1:23760", "/certs", "10.0.3.7"),
                new OperatorConfig.DockerHost("v6", "tcp://gpu-6.lan:2376", "/certs", "fd00::7"));
        assertThat(c.scrapeAddress("gpu-2", "exporter", 9400)).isEqualTo("gpu-2.lan:9400");
        assertThat(c.scrapeAddress("tunnel", "exporter", 9400)).isEqualTo("10.0.3.7:9400");
        assertThat(c.scrapeAddress("v6", "exporter", 9400)).isEqualTo("[fd00::7]:9400");
        assertThat(c.scrapeAddress("nowhere", "exporter", 9400)).as("an unknown host: by name").isEqualTo("exporter:9400");
    }
}
