package dev.lookout.artifacts.stack;

import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a test stack's Lookout reads, written into a folder of the test's: the shipped compose/lookout/lookout.yaml
 * with only the two things a test must change (the network the test created; an instance name of its own, so that
 * this Lookout never sweeps another Lookout's containers off the shared engine), and the resources under
 * {@code stack/resources/} on the test classpath with their placeholders filled. Lookout runs as uid 10001, so
 * folders are 0755 and files 0644 (a JDK temp folder is 0700).
 */
public record StackInputs(Path resources, Path config) {
    public static final Path SHIPPED_CONFIG = Manifests.REPO.resolve("compose/lookout/lookout.yaml");
    private static final String RESOURCES = "/stack/resources";

    /** Writes both into {@code dir}, for the stack whose network is {@code network} and whose label value is {@code stackId}. */
    public static StackInputs write(Path dir, String network, String stackId) {
        try {
            readable(dir);
            Path resources = readable(Files.createDirectories(dir.resolve("resources")));
            for (Path template : templates()) {
                String text = Files.readString(template).replace("@STACK@", stackId).replace("@PASSWORD@", ComfyStandIn.PASSWORD);
                readable(Files.writeString(resources.resolve(template.getFileName().toString()), text));
            }
            String shipped = Files.readString(SHIPPED_CONFIG);
            String config = Manifests.edit(shipped,
                    "network: dnet1 ", "network: " + network + " ",
                    "metricsAddress: lookout:8080 ", "instance: " + stackId + "\n  metricsAddress: lookout:8080 ");
            return new StackInputs(resources, readable(Files.writeString(dir.resolve("lookout.yaml"), config)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack's inputs into " + dir, e);
        }
    }

    private static List<Path> templates() throws IOException {
        URL folder = StackInputs.class.getResource(RESOURCES);
        if (folder == null) {
            throw new IllegalStateException(RESOURCES + " is not on the test classpath");
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(folder + " is no folder", e);
        }
    }

    private static Path readable(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
        return path;
    }
}
