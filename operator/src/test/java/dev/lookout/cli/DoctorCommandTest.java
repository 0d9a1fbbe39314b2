package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.ComposeProject;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.TestImages;
import dev.lookout.testing.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lookout doctor} against the real engine and a real Prometheus and blackbox: a host the test arranged with
 * each pitfall, where every one is said (exit 1), and a clean one (exit 0). Changes nothing.
 */
@Timeout(180)
class DoctorCommandTest {
    static String config(Path dir, String prometheus, String blackbox, String network) throws Exception {
        Path file = dir.resolve("lookout.yaml");
        Files.writeString(file, """
                prometheus: {url: "%s", network: %s}
                blackbox: {url: "%s"}
                images: {helper: %s}
                """.formatted(prometheus, network, blackbox, TestImages.busybox()));
        return file.toString();
    }

    @Test
    void aHostWithEveryPitfallHasEachSaidWithWhatToDo(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        OutputFolders folders = OutputFolders.create(tmp.resolve("out"));
        String avoided = DaemonRoute.freeBlock(24);
        String pool = DaemonRoute.freeBlock(20);
        String shared = DockerEngine.randomName("shared");
        String tier = DockerEngine.randomName("tier");
        ComposeProject comfy = ComposeProject.create("""
                services:
                  comfy: {image: %s, labels: {tier: %s}}
                """.formatted(TestImages.busybox(), tier));
        String project = comfy.name();
        String network = project + "_default";
        try (PrometheusProcess prometheus = PrometheusProcess.start(folders.prometheusConfig(),
                PrometheusProcess.Options.DEFAULT.withoutLifecycle())) {
            comfy.createDefaultNetwork(avoided);
            comfy.up(); // on its own default network, not on the shared one
            Path resources = tmp.resolve("resources");
            Manifests.write(resources, "policy.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NetworkPolicy
                    metadata: {name: pools}
                    spec:
                      host: local
                      allowedPools: [{base: %s, size: 24}]
                      avoid: [%s]
                      sharedNetwork: {name: %s, subnet: %s}
                      scope: {composeProjects: [%s]}
                    """.formatted(pool, avoided, shared, pool.replace(".0/20", ".0/24").replaceFirst("\\.(\\d+)\\.0/24$", ".$1.0/24"),
                    project));
            Manifests.write(resources, "comfy.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: ComfyProbe
                    metadata: {name: comfy}
                    spec:
                      targets: [{url: "http://127.0.0.1:8188/"}]
                      discover:
                        docker: {host: local, labelSelector: {tier: %s}}
                    """.formatted(tier));
            for (String p : new String[] {"flux", "hidream"}) {
                Files.createDirectories(tmp.resolve("compose/" + p));
                Files.writeString(tmp.resolve("compose/" + p + "/compose.yaml"), """
                        services:
                          comfy: {image: comfyui, container_name: comfyui}
                        """);
            }
            Path daemonJson = Files.writeString(tmp.resolve("daemon.json"), """
                    {"default-address-pools": [{"base": "172.17.0.0/12", "size": 20}]}
                    """);
            String before = DockerEngine.docker("network", "ls", "-q");

            CliRun doctor = CliRun.of("doctor", "--config", config(tmp, prometheus.uri().toString(), "http://127.0.0.1:1",
                    shared), "--daemon-json", daemonJson.toString(), resources.toString(), tmp.resolve("compose").toString());

            assertThat(doctor.err()).doesNotContain("error");
            assertThat(doctor.exit()).as(doctor.out() + doctor.err()).isEqualTo(1);
            assertThat(doctor.out()).contains(
                    "network " + network + " breaks NetworkPolicy default/pools: " + avoided + " is outside every allowed pool",
                    "action: Recreate moves it to ",
                    "the shared network " + shared + " of NetworkPolicy default/pools is missing",
                    "daemon.json's default-address-pools \"default-address-pools\": [{\"base\": \"172.17.0.0/12\", \"size\": 20}] differ",
                    "spec.targets[0].url http://127.0.0.1:8188/ is the loopback",
                    "container_name comfyui is set in 2 projects: flux (",
                    "container " + comfy.container("comfy", 1) + " that ComfyProbe default/comfy finds is on " + network
                            + ", not on " + shared,
                    "started without --web.enable-lifecycle",
                    "blackbox-exporter http://127.0.0.1:1: does not answer");
            assertThat(DockerEngine.docker("network", "ls", "-q")).as("doctor changes nothing").isEqualTo(before);
        } finally {
            comfy.close();
            DockerEngine.run(Duration.ofSeconds(30), "network", "rm", network);
        }
    }

    @Test
    void prometheusOrBlackboxAsAComposeServiceOffTheSharedNetworkIsSaid(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        String service = DockerEngine.randomName("bbx");
        ComposeProject stack = ComposeProject.create("""
                services:
                  %s: {image: %s}
                """.formatted(service, TestImages.busybox()));
        try (TestNetwork shared = DockerEngine.createNetwork()) {
            stack.up(); // compose names it <project>-<service>-1; the service name is what lookout.yaml's url says
            String container = stack.container(service, 1);
            String lookoutYaml = config(tmp, "http://127.0.0.1:1", "http://" + service + ":9115", shared.name());

            CliRun off = CliRun.of("doctor", "--config", lookoutYaml);
            assertThat(off.out()).contains("container " + container + " (http://" + service + ":9115) is not on " + shared.name());

            DockerEngine.docker("network", "connect", shared.name(), container);
            CliRun on = CliRun.of("doctor", "--config", lookoutYaml);
            assertThat(on.out()).as("on the shared network it answers to the name there").doesNotContain("container " + container);
        } finally {
            stack.close();
        }
    }

    @Test
    void aCleanHostHasNothingToSay(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        OutputFolders folders = OutputFolders.create(tmp.resolve("out"));
        try (PrometheusProcess prometheus = PrometheusProcess.start(folders.prometheusConfig());
             BlackboxProcess blackbox = BlackboxProcess.start(folders.blackboxConfig())) {
            CliRun doctor = CliRun.of("doctor", "--config", config(tmp, prometheus.uri().toString(), blackbox.uri().toString(),
                    "dnet1"));
            assertThat(doctor.out()).as(doctor.err()).endsWith("no problem found\n");
            assertThat(doctor.exit()).isZero();
        }
    }

    @Test
    void aHostThatCannotBeAskedIsSaidAndExitsTwo(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("lookout.yaml"), """
                docker: {hosts: [{name: gone, url: "unix://%s/none.sock"}]}
                prometheus: {url: "http://127.0.0.1:1"}
                blackbox: {url: "http://127.0.0.1:1"}
                """.formatted(tmp));
        CliRun doctor = CliRun.of("doctor", "--config", tmp.resolve("lookout.yaml").toString());
        assertThat(doctor.out()).contains("? could not look at Docker host gone (");
        assertThat(doctor.exit()).as("Prometheus and blackbox not answering are findings").isEqualTo(1);
    }
}
