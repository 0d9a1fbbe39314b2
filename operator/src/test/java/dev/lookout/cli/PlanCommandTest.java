package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.ComposeProject;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.TestImages;
import dev.lookout.testing.TestNetwork;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lookout plan} against the real engine: what it would do, and that it does nothing. */
class PlanCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void listsWhatRunWouldDoOnEachHostAndChangesNothing(@TempDir Path dir) {
        DockerEngine.require();
        try (TestNetwork shared = DockerEngine.createNetwork();
             ComposeProject comfy = ComposeProject.create("""
                     services:
                       comfy:
                         image: %s
                         networks: [shared]
                     networks:
                       shared: {external: true, name: %s}
                     """.formatted(TestImages.busybox(), shared.name()))) {
            comfy.up();
            String orphan = DockerEngine.randomName("orphan");
            DockerEngine.docker("create", "--name", orphan, "--label", "dev.lookout.test=plan",
                    "--label", "app.kubernetes.io/managed-by=lookout", "--label", "lookout.dev/instance=lookout",
                    "--label", "lookout.dev/owner=gpunode.default.gone",
                    TestImages.busybox());
            try {
                Manifests.write(dir, "lookout.yaml", """
                        prometheus: {network: %s}
                        """.formatted(shared.name()));
                Path resources = dir.resolve("resources");
                Manifests.write(resources, "gpu.yaml", """
                        apiVersion: lookout.dev/v1alpha1
                        kind: GpuNode
                        metadata: {name: gpu-node-01}
                        spec: {host: local, gpus: all}
                        """);
                Manifests.write(resources, "comfy.yaml", """
                        apiVersion: lookout.dev/v1alpha1
                        kind: ComfyProbe
                        metadata: {name: comfy}
                        spec:
                          discover:
                            docker: {host: local, composeProjects: [%s], port: 8188}
                        """.formatted(comfy.name()));
                // Not {{.Status}}: "Up Less than a second" becomes "Up 1 second" by itself.
                String before = DockerEngine.docker("ps", "-a", "--format", "{{.ID}} {{.Names}} {{.State}} {{.CreatedAt}}");

                CliRun plan = run("plan", "--config", dir.resolve("lookout.yaml").toString(), resources.toString());

                assertThat(plan.exit()).as(plan.err()).isEqualTo(1); // a blocked change needs a person
                assertThat(plan.out()).contains("Docker host local (unix:///var/run/docker.sock):",
                        "!   blocked  lookout-dcgm-exporter-default_gpu-node-01  (gpunode.default.gpu-node-01)",
                        "NoGpuRuntime: Docker host local",
                        "-   remove   " + orphan + "  (gpunode.default.gone)",
                        "no resource declares gpunode.default.gone any more",
                        "ComfyProbe default/comfy would probe 1 container(s): " + comfy.container("comfy", 1),
                        "Plan: 0 to create, 0 to recreate, 0 to start, 1 to remove, 1 blocked (marked !).");
                assertThat(DockerEngine.docker("ps", "-a", "--format", "{{.ID}} {{.Names}} {{.State}} {{.CreatedAt}}")).isEqualTo(before);
            } finally {
                DockerEngine.docker("rm", "-f", orphan);
            }
        }
    }

    @Test
    void aHostThatDoesNotAnswerIsSaidAndExitsOne(@TempDir Path dir) {
        Manifests.write(dir, "lookout.yaml", """
                docker:
                  hosts: [{name: gone, url: "unix://%s/none.sock"}]
                """.formatted(dir));
        Manifests.write(dir.resolve("r"), "gpu.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: g}
                spec: {host: gone}
                """);
        CliRun plan = run("plan", "--config", dir.resolve("lookout.yaml").toString(), dir.resolve("r").toString());
        assertThat(plan.exit()).isEqualTo(1);
        assertThat(plan.out()).contains("Docker host gone (unix://" + dir + "/none.sock):", "cannot be asked:");
    }
}
