package dev.lookout.artifacts.stack;

import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.TestNetwork;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The shipped compose stack up on the local engine with every image built here: a shared network the test created
 * (in 10.247.0.0/16, which no other test uses), the test's resources and lookout.yaml ({@link StackInputs}), then
 * {@code stack.sh up}. What it starts is named after one random id ({@code lookout-test-stack-<hex>}): the compose
 * project, its containers and volumes, Lookout's instance, the ComfyProbe's label value. Closing takes it all down,
 * in reverse, each step even when one before it fails.
 */
public final class LocalStack implements AutoCloseable {
    /** A /24 of this range is picked at random, so two stacks on one engine rarely meet; a clash is retried. */
    private static final String SUBNET_PREFIX = "10.247.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final Path dir;
    private final StackImages images;
    private final TestNetwork network;
    private final ComposeStack compose;

    private LocalStack(String id, Path dir, StackImages images, TestNetwork network, ComposeStack compose) {
        this.id = id;
        this.dir = dir;
        this.images = images;
        this.network = network;
        this.compose = compose;
    }

    public static LocalStack start() throws IOException {
        DockerEngine.require();
        StackImages images = StackImages.local();
        String id = DockerEngine.randomName("stack");
        Path dir = Files.createTempDirectory(id + "-");
        TestNetwork network = null;
        try {
            network = createNetwork();
            StackInputs inputs = StackInputs.write(dir, network.name(), id);
            ComposeStack compose = ComposeStack.up(new StackEnvironment(id, images, network, inputs.resources(), inputs.config()));
            return new LocalStack(id, dir, images, network, compose);
        } catch (RuntimeException e) {
            Cleanup.quietly(network, () -> delete(dir));
            throw e;
        }
    }

    private static TestNetwork createNetwork() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            String block = SUBNET_PREFIX + RANDOM.nextInt(256) + ".";
            try {
                return DockerEngine.createNetwork("--subnet", block + "0/24", "--gateway", block + "1");
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("overlap")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** The compose project's name, and the value of the label the stack's ComfyProbe selects. */
    public String id() {
        return id;
    }

    public ComposeStack compose() {
        return compose;
    }

    public PrometheusApi prometheus() {
        return new PrometheusApi(compose.uri("prometheus", 9090));
    }

    public AlertmanagerApi alertmanager() {
        return new AlertmanagerApi(compose.uri("alertmanager", 9093));
    }

    public URI lookout() {
        return compose.uri("lookout", 8080);
    }

    /** A ComfyUI-like container that the stack's ComfyProbe discovers. */
    public ComfyStandIn startComfy() {
        return ComfyStandIn.start(images.comfyStandIn(), network, id);
    }

    /**
     * The probe's file_sd file as the host sees it, in the lookout-out volume's folder on the engine (a local
     * volume; readable by root, as the engine's tests run). Reading it there costs no exec into Lookout's container.
     */
    public Path targetsFile() {
        String mountpoint = DockerEngine.docker("volume", "inspect", "--format", "{{.Mountpoint}}", id + "_lookout-out");
        return Path.of(mountpoint, "prometheus/targets/comfyprobe.default.comfy.json");
    }

    @Override
    public void close() {
        Cleanup.quietly(compose, network, () -> delete(dir));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
