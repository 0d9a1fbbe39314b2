package dev.lookout.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.config.OperatorConfig;
import dev.lookout.config.OperatorConfigLoader;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test support: render a scenario folder the way {@code lookout render} does. Public for the tests of
 * what consumes a rendered tree (checks, reloads).
 */
public final class Rendering {
    static final Path REPO = dev.lookout.testing.Manifests.REPO;

    private Rendering() {
    }

    /**
     * A scenario: {@code input/} holds the manifests and optionally lookout.yaml; {@code base/} optionally
     * the user's blackbox.yml and prometheus.yml to merge into.
     */
    static PrometheusRenderer.Result render(Path manifests, Path configFile, Path blackboxBase, Path prometheusBase) throws IOException {
        OperatorConfig config = OperatorConfig.defaults();
        if (configFile != null && Files.exists(configFile)) {
            OperatorConfigLoader.Result loaded = new OperatorConfigLoader().load(configFile);
            assertThat(loaded.problems()).as("operator config problems").filteredOn(p -> p.isError()).isEmpty();
            config = loaded.config().orElseThrow();
        }
        ManifestSet set = new ManifestLoader().load(List.of(manifests));
        assertThat(set.errors()).as("scenario input must be valid").isEmpty();
        String blackbox = blackboxBase != null && Files.exists(blackboxBase) ? Files.readString(blackboxBase) : null;
        String prometheus = prometheusBase != null && Files.exists(prometheusBase) ? Files.readString(prometheusBase) : null;
        return new PrometheusRenderer().render(new RenderInput(set.resources(), set.secrets(), config, blackbox, prometheus));
    }

    static PrometheusRenderer.Result renderScenario(Path scenario) throws IOException {
        return render(scenario.resolve("input"), scenario.resolve("input/lookout.yaml"),
                scenario.resolve("base/blackbox.yml"), scenario.resolve("base/prometheus.yml"));
    }

    public static PrometheusRenderer.Result renderExamples() throws IOException {
        return render(REPO.resolve("examples"), REPO.resolve("examples/lookout.yaml"), null, null);
    }

    /** A golden scenario's folder (examples, options) rendered with its config in {@code prometheus.mode: operator}. */
    public static PrometheusRenderer.Result renderInOperatorMode(String scenario) throws IOException {
        Path input = scenarioInput(scenario);
        OperatorConfig config = operatorModeConfig(scenario);
        ManifestSet set = new ManifestLoader().load(List.of(input));
        assertThat(set.errors()).as("scenario input must be valid").isEmpty();
        return new PrometheusRenderer().render(new RenderInput(set.resources(), set.secrets(), config, null, null));
    }

    private static Path scenarioInput(String scenario) {
        return scenario.equals("examples") ? REPO.resolve("examples") : Path.of("src/test/resources/golden", scenario, "input");
    }

    /**
     * A scenario's lookout.yaml (or the defaults) in {@code prometheus.mode: operator}, as the chart's operator layout
     * sets it: objects labelled for kube-prometheus-stack's selectors, blackbox in the {@code monitoring} namespace.
     */
    public static OperatorConfig operatorModeConfig(String scenario) throws IOException {
        Path input = scenarioInput(scenario);
        OperatorConfig config = OperatorConfig.defaults();
        Path configFile = input.resolve("lookout.yaml");
        if (Files.exists(configFile)) {
            config = new OperatorConfigLoader().load(configFile).config().orElseThrow();
        }
        OperatorConfig.Prometheus p = config.prometheus();
        config = new OperatorConfig(config.docker(), new OperatorConfig.Prometheus(p.url(), p.outputDir(), OperatorConfig.Mode.OPERATOR,
                p.network(), null, p.externalUrl(), new OperatorConfig.PrometheusOperator(
                        java.util.Map.of("release", "kube-prometheus-stack"), "monitoring", null, null)),
                new OperatorConfig.Blackbox(config.blackbox().url(), "lookout-blackbox.monitoring.svc:9115",
                        "/etc/blackbox/config/blackbox.yml", "/etc/blackbox/secrets"), config.lookout(), config.images());
        return config;
    }

    /**
     * An operator config whose output paths lie inside {@code dir}, as they would point into Prometheus' and
     * blackbox's own folders: {@code dir/prometheus} and {@code dir/blackbox/blackbox.yml}. Blackbox is
     * at 127.0.0.1:9115.
     */
    public static OperatorConfig configInto(Path dir, OperatorConfig.Mode mode) {
        return new OperatorConfig(null,
                new OperatorConfig.Prometheus(null, dir.resolve("prometheus").toString(), mode, "lookout", null),
                new OperatorConfig.Blackbox(null, "127.0.0.1:9115", dir.resolve("blackbox/blackbox.yml").toString()),
                null, null);
    }

    /**
     * examples/ rendered with {@code config}, merged into a one-module blackbox config.
     *
     * @param prometheusBase the user's prometheus.yml for {@code mode: full}, or null
     */
    public static OutputTree renderExamples(OperatorConfig config, String prometheusBase) {
        ManifestSet set = new ManifestLoader().load(List.of(REPO.resolve("examples")));
        assertThat(set.errors()).as("examples must be valid").isEmpty();
        return new PrometheusRenderer().render(new RenderInput(set.resources(), set.secrets(), config,
                "modules:\n  http_2xx:\n    prober: http\n", prometheusBase)).tree();
    }

    /** examples/ rendered with {@link #configInto} and written into {@code dir}. */
    public static OutputTree renderExamplesInto(Path dir, OperatorConfig.Mode mode, String prometheusBase) throws IOException {
        OutputTree tree = renderExamples(configInto(dir, mode), prometheusBase);
        new TreeWriter().write(tree, dir);
        return tree;
    }
}
