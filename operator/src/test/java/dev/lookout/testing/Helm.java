package dev.lookout.testing;

import dev.lookout.reload.ToolLocator;
import dev.lookout.reload.ToolProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * helm 3 for the chart's tests, which {@code .ci/helm.sh} puts in {@code $LOOKOUT_CACHE/bin}: {@code LOOKOUT_HELM},
 * then that cache, then {@code PATH}. Missing: a failure in CI, a skip elsewhere ({@link Tools#unavailable}).
 */
public final class Helm {
    public static final Path CHART = Manifests.REPO.resolve("charts/lookout");
    /** The release every rendering uses: golden files and RBAC names depend on it. */
    public static final String RELEASE = "demo";
    public static final String NAMESPACE = "monitoring";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Helm() {
    }

    public static Optional<Path> locate() {
        Optional<Path> chosen = ToolLocator.fromEnv(System.getenv(), "LOOKOUT_HELM");
        if (chosen.isEmpty()) {
            chosen = ToolLocator.find(List.of(Tools.cacheBin()), "helm");
        }
        return chosen.isPresent() ? chosen : ToolLocator.find(ToolLocator.pathDirs(System.getenv()), "helm");
    }

    /** helm with {@code args}; its exit status and output, whatever they are. */
    public static ToolProcess.Result run(String... args) {
        Path helm = locate().orElseGet(() -> Tools.unavailable("helm not found: run .ci/helm.sh (puts helm 3 into "
                + "~/.cache/lookout/bin), or set LOOKOUT_HELM or LOOKOUT_CACHE"));
        List<String> cmd = new ArrayList<>(List.of(helm.toString()));
        cmd.addAll(List.of(args));
        return Tools.run(cmd, TIMEOUT);
    }

    /** {@code helm template demo charts/lookout --namespace monitoring --set ...}, unchecked. */
    public static ToolProcess.Result template(List<String> sets) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", NAMESPACE));
        for (String set : sets) {
            args.addAll(List.of("--set", set));
        }
        return run(args.toArray(String[]::new));
    }

    /** The manifests the chart renders with {@code sets}; fails when helm does. */
    public static String rendered(List<String> sets) {
        ToolProcess.Result result = template(sets);
        if (result.exit() != 0) {
            throw new AssertionError("helm template " + sets + " exited " + result.exit() + ":\n" + result.output());
        }
        return result.output();
    }
}
