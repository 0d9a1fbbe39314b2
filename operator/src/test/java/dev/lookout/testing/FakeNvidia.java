package dev.lookout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What makes a GPU-less dockerd look like one with the NVIDIA Container Toolkit, for a {@link PrivateDockerd}:
 *
 * <ul>
 *   <li>a runtime named {@code nvidia} in daemon.json ({@link #DAEMON_JSON}), mapped to plain runc: what
 *       {@code docker info} lists and Lookout checks for;</li>
 *   <li>a program named {@code nvidia-container-runtime-hook} on dockerd's PATH ({@link #install}): dockerd 20.10
 *       registers its {@code nvidia} device driver at startup only when it finds one, and without it refuses to
 *       start a container with a GPU device request ("could not select device driver"). The driver adds the hook
 *       as the container's OCI prestart hook; this one reads the state runc hands it, notes the call, and exits 0,
 *       so the container starts with no GPU in it.</li>
 * </ul>
 */
public final class FakeNvidia {
    public static final String HOOK = "nvidia-container-runtime-hook";
    public static final String DAEMON_JSON = "{\"runtimes\": {\"nvidia\": {\"path\": \"runc\"}}}";

    private final Path bin;
    private final Path calls;

    private FakeNvidia(Path bin, Path calls) {
        this.bin = bin;
        this.calls = calls;
    }

    /** Writes the hook into {@code dir}/bin; pass {@link #bin} to {@link PrivateDockerd.Builder#extraPath}. */
    public static FakeNvidia install(Path dir) {
        try {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path calls = dir.resolve("hook-calls.log");
            Path hook = bin.resolve(HOOK);
            // runc runs a hook with an empty environment, the container's state as JSON on stdin.
            Files.writeString(hook, """
                    #!/bin/sh
                    echo "$*" >>'%s'
                    /bin/cat >/dev/null
                    exit 0
                    """.formatted(calls));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new FakeNvidia(bin, calls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a fake " + HOOK, e);
        }
    }

    /** The folder holding the hook. */
    public Path bin() {
        return bin;
    }

    /** One line per call of the hook: its arguments ({@code prestart}). */
    public List<String> calls() {
        try {
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A private daemon with the nvidia runtime and the hook. */
    public PrivateDockerd.Builder daemon() {
        return PrivateDockerd.builder().daemonJson(DAEMON_JSON).extraPath(bin);
    }
}
