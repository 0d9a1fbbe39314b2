package dev.lookout.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nginx base image and the echo module's source that {@code .ci/nginx-images.sh} makes (debootstrap of Debian
 * bookworm with Debian's nginx; {@code apt-get source libnginx-mod-http-echo}), by the names it prints with
 * {@code --tags}; made once per JVM when missing (minutes: debootstrap, the mirror).
 */
public final class NginxImages {
    private static final Path SCRIPT = Manifests.REPO.resolve(".ci/nginx-images.sh");
    private static final Duration MAKE_TIMEOUT = Duration.ofMinutes(15);
    private static Map<String, String> names;

    private NginxImages() {
    }

    /** Debian bookworm with Debian's nginx. */
    public static String base() {
        return name("nginx-base");
    }

    /** The echo module's source, a .tar.gz whose top holds its {@code config}. */
    public static Path echoSource() {
        return Path.of(name("nginx-echo-source"));
    }

    private static synchronized String name(String what) {
        if (names == null) {
            names = ensureMade();
        }
        return names.get(what);
    }

    private static Map<String, String> ensureMade() {
        DockerEngine.require();
        Map<String, String> byName = new HashMap<>();
        DockerEngine.Result tags = DockerEngine.exec(List.of("bash", SCRIPT.toString(), "--tags"), Map.of(), Duration.ofSeconds(30));
        for (String line : tags.stdout().strip().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                byName.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        boolean present = DockerEngine.run(DockerEngine.TIMEOUT, "image", "inspect", byName.get("nginx-base")).exit() == 0
                && Files.isRegularFile(Path.of(byName.get("nginx-echo-source")));
        if (!present) {
            DockerEngine.Result made = DockerEngine.exec(List.of("bash", SCRIPT.toString()), Map.of(), MAKE_TIMEOUT);
            if (made.exit() != 0) {
                return Tools.unavailable(SCRIPT + " failed:\n" + made.stdout() + made.stderr());
            }
        }
        return Map.copyOf(byName);
    }
}
