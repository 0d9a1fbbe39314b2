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
    /** When its build started (the image's own creation time is when it ended). */
    static final String BUILD_STARTED = "lookout.dev/build-started";
    /** The output of {@link Workload.ImageBuild#describe} in the base image. */
    static final String DESCRIPTION = "lookout.dev/base-description";
    /** A description is for a person's eyes in a status: a line or two. */
    private static final int DESCRIPTION_MAX = 300;
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(60);

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
    static String build(DockerApi api, Workload.ImageBuild build, String tag, String owner, String instance) {
        List<ContainerSpec.ContainerFile> files = build.context().entrySet().stream()
                .map(e -> new ContainerSpec.ContainerFile(e.getKey(), e.getValue(), 0644)).toList();
        Deque<String> last = new ArrayDeque<>();
        long start = System.nanoTime();
        LOG.info("{}: building {} on Docker host {} from {}", owner, tag, api.host(), build.baseImage());
        Map<String, String> labels = new java.util.TreeMap<>(Map.of(Ownership.MANAGED_BY, Ownership.LOOKOUT,
                Ownership.OWNER, owner, INPUTS, build.inputs(), BUILD_STARTED, java.time.Instant.now().toString()));
        describe(api, build, owner, instance).ifPresent(d -> labels.put(DESCRIPTION, d));
        try {
            String id = api.build(ContainerFilesArchive.of(files), tag, labels, line -> {
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

    /**
     * What the build's describe command prints in the base image (a throwaway container, removed after); empty when
     * there is none or it fails, which costs the status a line and the build nothing.
     */
    private static java.util.Optional<String> describe(DockerApi api, Workload.ImageBuild build, String owner, String instance) {
        if (build.describe().isEmpty()) {
            return java.util.Optional.empty();
        }
        Map<String, String> labels = new java.util.TreeMap<>(Ownership.managed(instance));
        labels.put(Ownership.OWNER, Ownership.HELPER_PREFIX + "describe." + owner); // no resource declares it: a leftover is swept
        ContainerSpec probe = new ContainerSpec("lookout-describe-" + Long.toHexString(System.nanoTime()), build.baseImage(),
                build.describe(), Map.of(), labels, null, null, List.of(), null, List.of(), "no", List.of(), List.of());
        try {
            String out = api.runToEnd(probe, DESCRIBE_TIMEOUT).strip();
            return out.isEmpty() ? java.util.Optional.empty()
                    : java.util.Optional.of(out.length() > DESCRIPTION_MAX ? out.substring(0, DESCRIPTION_MAX) : out);
        } catch (DockerException e) {
            LOG.warn("{} in {}: {}", String.join(" ", build.describe()), build.baseImage(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** What the image built for a workload records of itself: its id, how long the build took, the base's description. */
    static java.util.Optional<dev.lookout.platform.WorkloadState.BuiltImage> builtImage(DockerApi api, String tag) {
        return api.image(tag).map(image -> {
            Duration took = null;
            String started = image.labels().get(BUILD_STARTED);
            if (started != null && image.created() != null) {
                try {
                    took = Duration.between(java.time.Instant.parse(started), image.created());
                } catch (java.time.format.DateTimeParseException e) {
                    // not a label Lookout wrote: the build time is unknown
                }
            }
            return new dev.lookout.platform.WorkloadState.BuiltImage(image.id(), took == null || took.isNegative() ? null : took,
                    image.labels().get(DESCRIPTION));
        });
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
