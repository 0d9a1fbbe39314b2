package dev.lookout.artifacts.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.DockerEngine;

/**
 * {@code make run} where an engine answers: the compose/ stack with every image built here (Lookout's from the
 * Dockerfile), the demo ComfyUI a container Lookout finds by its label and probes by name on the shared network.
 */
class MakeRunContainersE2ETest extends MakeRunScenario {
    @Override
    String mode() {
        return "containers";
    }

    @Override
    String comfyTarget() {
        return "http://lookout-demo-comfyui:8188/object_info/CheckpointLoaderSimple";
    }

    @Override
    void assertNothingLeft() {
        super.assertNothingLeft();
        assertThat(DockerEngine.docker("ps", "-a", "--filter", "name=lookout-demo", "--format", "{{.Names}}"))
                .as("containers of the demo after Ctrl-C").isEmpty();
        assertThat(DockerEngine.docker("network", "ls", "--filter", "name=lookout-demo", "--format", "{{.Name}}"))
                .as("the demo's network after Ctrl-C").isEmpty();
    }

    @Override
    String screenshot() {
        return "status-page-containers.png";
    }
}
