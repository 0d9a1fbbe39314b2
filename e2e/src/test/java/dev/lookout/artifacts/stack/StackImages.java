package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The images a stack runs instead of the official ones compose/.env names, all made on this machine: Lookout's
 * from the Dockerfile ({@link LookoutImage}), the Prometheus family from Debian sid's binaries ({@code .ci/images.sh}),
 * and busybox, whose /serve entrypoint stands in for ComfyUI. Grafana has no local build: stacks run without its
 * profile.
 */
public record StackImages(String lookout, String prometheus, String blackbox, String alertmanager, String nodeExporter,
                          String comfyStandIn) {
    /** images.sh builds all five in seconds; a loaded CI machine gets far more. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    /** Made when missing. */
    public static StackImages local() {
        Map<String, String> tags = ImageTags.ensure(".ci/images.sh", BUILD_TIMEOUT,
                "busybox", "prometheus", "blackbox", "alertmanager", "node-exporter");
        return new StackImages(LookoutImage.tag(), tags.get("prometheus"), asNobody(tags.get("blackbox")), tags.get("alertmanager"),
                tags.get("node-exporter"), tags.get("busybox"));
    }

    /**
     * The image run as nobody, as the official blackbox image runs: the probe passwords are then read through Lookout's
     * group (compose's group_add, files 0640), which a root image would not prove.
     */
    static String asNobody(String image) {
        String tag = image + "-nobody";
        if (DockerEngine.run(Duration.ofSeconds(30), "image", "inspect", tag).exit() != 0) {
            try {
                Path context = Files.createTempDirectory("lookout-nobody-");
                Files.writeString(context.resolve("Dockerfile"), "FROM " + image + "\nUSER 65534:65534\n");
                DockerEngine.docker(BUILD_TIMEOUT, "build", "-q", "-t", tag, context.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tag;
    }

    /** compose/.env's image variables, pointed at these images. */
    Map<String, String> variables() {
        return Map.of("LOOKOUT_IMAGE", lookout, "PROMETHEUS_IMAGE", prometheus, "BLACKBOX_IMAGE", blackbox,
                "ALERTMANAGER_IMAGE", alertmanager, "NODE_EXPORTER_IMAGE", nodeExporter);
    }
}
