package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/** The engine's socket on this host, as Lookout's container gets it: who may use it. */
public final class DockerSocket {
    private static final Path SOCKET = Path.of(DockerEngine.SOCKET);

    private DockerSocket() {
    }

    /** Its group, as {@code stat -c %g} gives it: what {@code make up} passes as DOCKER_GID. */
    public static int group() {
        try {
            return (Integer) Files.getAttribute(SOCKET, "unix:gid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the group of " + SOCKET, e);
        }
    }

    /** Writable by everyone (some CI images do that): then no group is needed to use it. */
    public static boolean worldWritable() {
        try {
            return Files.getPosixFilePermissions(SOCKET).contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of " + SOCKET, e);
        }
    }
}
