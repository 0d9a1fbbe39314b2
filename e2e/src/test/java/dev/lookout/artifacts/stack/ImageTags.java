package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tags of the images a {@code .ci} script makes without a registry ({@code images.sh}, {@code lookout-base.sh}):
 * the script is the one place that knows them ({@code --tags} prints {@code name=tag} lines); when one is missing
 * from the engine the script is run to make it. Without the cached tools, the test fails in CI and skips elsewhere,
 * as {@link Tools#unavailable} decides.
 */
public final class ImageTags {
    private ImageTags() {
    }

    /** {@code name → tag} for every name in {@code required}, each image on the engine. */
    public static Map<String, String> ensure(String script, Duration buildTimeout, String... required) {
        DockerEngine.require();
        Path path = Manifests.REPO.resolve(script);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing (lookout.repoRoot=" + Manifests.REPO + ")");
        }
        Map<String, String> tags = parse(runScript(path, Duration.ofSeconds(30), "--tags"));
        if (!tags.keySet().containsAll(List.of(required))) {
            throw new IllegalStateException(script + " --tags printed " + tags + ", not every one of " + List.of(required));
        }
        List<String> inspect = new ArrayList<>(List.of("image", "inspect", "--format", "{{.Id}}"));
        for (String name : required) {
            inspect.add(tags.get(name));
        }
        if (DockerEngine.run(DockerEngine.TIMEOUT, inspect.toArray(String[]::new)).exit() != 0) {
            runScript(path, buildTimeout);
        }
        Map<String, String> wanted = new TreeMap<>();
        for (String name : required) {
            wanted.put(name, tags.get(name));
        }
        return Map.copyOf(wanted);
    }

    private static Map<String, String> parse(String lines) {
        Map<String, String> tags = new TreeMap<>();
        for (String line : lines.strip().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                tags.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return tags;
    }

    private static String runScript(Path script, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        DockerEngine.Result result = DockerEngine.exec(command, Map.of("DOCKER_HOST", "unix://" + DockerEngine.SOCKET),
                Manifests.REPO, timeout);
        if (result.exit() != 0) {
            return Tools.unavailable(String.join(" ", command) + " failed (run bash .ci/tools.sh first?):\n"
                    + result.stdout() + result.stderr());
        }
        return result.stdout();
    }
}
