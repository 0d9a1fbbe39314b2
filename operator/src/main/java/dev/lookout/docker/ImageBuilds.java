package dev.lookout.docker;

import dev.lookout.platform.Workload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images a workload builds on its host: tagged by a hash of every input (the kind's digest of the Dockerfile and
 * sources, and the base image's id), so that an image is built again exactly when one of them changes, and a second
 * reconcile or a restart of Lookout builds nothing. The output is logged line by line, prefixed by the owner.
 */
final class ImageBuilds {
    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilds.class);
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
    /** The label that says which inputs an image was built from. */
    static final String INPUTS = "lookout.dev/build-inputs";

    private ImageBuilds() {
    }

    /** The tag the image of {@code build} has on this host's base image; pulls the base when it is missing. */
    static String tag(DockerApi api, Workload.ImageBuild build) {
        String baseId = api.imageId(build.baseImage()).orElse(null);
        if (baseId == null) {
            ContainerApplier.ensureImage(api, build.baseImage());
            baseId = api.imageId(build.baseImage()).orElseThrow();
        }
        return build.repository() + ":" + build.label() + "-" + sha256(build.inputs() + "\n" + baseId).substring(0, 12);
    }

    /** A failed build: the engine's message and the last lines of output, for the resource's condition. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /** Builds {@code tag}; returns the image id. */
    static String build(DockerApi api, Workload.ImageBuild build, String tag, String owner) {
        List<ContainerSpec.ContainerFile> files = build.context().entrySet().stream()
                .map(e -> new ContainerSpec.ContainerFile(e.getKey(), e.getValue(), 0644)).toList();
        Deque<String> last = new ArrayDeque<>();
        long start = System.nanoTime();
        LOG.info("{}: building {} on Docker host {} from {}", owner, tag, api.host(), build.baseImage());
        try {
            String id = api.build(ContainerFilesArchive.of(files), tag, Map.of(Ownership.MANAGED_BY, Ownership.LOOKOUT,
                    Ownership.OWNER, owner, INPUTS, build.inputs()), line -> {
                        LOG.info("{} build: {}", owner, line);
                        last.addLast(line);
                        if (last.size() > 12) {
                            last.removeFirst();
                        }
                    }, BUILD_TIMEOUT);
            LOG.info("{}: built {} in {} s", owner, tag, Duration.ofNanos(System.nanoTime() - start).toSeconds());
            return id;
        } catch (DockerException.Refused e) {
            throw new Failed(e.getMessage() + "; last lines: " + String.join(" | ", last));
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
