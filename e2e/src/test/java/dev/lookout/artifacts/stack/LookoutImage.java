package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Lookout's image, built from the repository's Dockerfile as a user builds it, on the JRE base that
 * {@code .ci/lookout-base.sh} makes without a registry ({@code --build-arg JRE_IMAGE=}). The jar only exists after
 * Maven's package phase, so the image is built here, once per JVM, under a tag of its own
 * ({@code lookout-test/lookout:e2e-<random>}) that is removed when the JVM exits; the builder's layer cache makes a
 * rebuild of the same jar take a second or two.
 */
public final class LookoutImage {
    /** The runnable jar (the e2e module's surefire passes it). */
    public static final Path JAR = Path.of(System.getProperty("lookout.jar",
            Manifests.REPO.resolve("operator/target/lookout.jar").toString()));
    /** The user the Dockerfile runs Lookout as. */
    public static final String USER = "10001:10001";
    /** debootstrap of the base takes about 100 s once; a loaded CI machine gets far more. */
    private static final Duration BASE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static String tag;

    private LookoutImage() {
    }

    /** The image's tag, built on first use. */
    public static synchronized String tag() {
        if (tag == null) {
            tag = build();
        }
        return tag;
    }

    /** The local JRE base's tag (made on first use). */
    public static String base() {
        return ImageTags.ensure(".ci/lookout-base.sh", BASE_TIMEOUT, "lookout-base").get("lookout-base");
    }

    private static String build() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the image copies it (mvn -B -q -DskipTests package -pl operator)");
        }
        String base = base();
        String name = "lookout-test/lookout:e2e-" + DockerEngine.randomName("image").substring("lookout-test-image-".length());
        DockerEngine.docker(BUILD_TIMEOUT, "build", "--quiet", "--tag", name, "--build-arg", "JRE_IMAGE=" + base,
                "--label", DockerEngine.LABEL + "=" + name, Manifests.REPO.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> DockerEngine.run(DockerEngine.TIMEOUT, "image", "rm", name), "remove-" + name));
        return name;
    }
}
