package dev.lookout.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.Manifests;
import dev.lookout.validation.Problem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigLoaderTest {
    @TempDir
    Path dir;

    private OperatorConfigLoader.Result load(String yaml) {
        return new OperatorConfigLoader().load(Manifests.write(dir, "lookout.yaml", yaml));
    }

    @Test
    void loadsTheExampleConfiguration() {
        OperatorConfigLoader.Result result = new OperatorConfigLoader()
                .load(Manifests.EXAMPLES.resolve("lookout.yaml"));
        assertThat(result.problems()).isEmpty();
        OperatorConfig config = result.config().orElseThrow();
        assertThat(config.prometheus().mode()).isEqualTo(OperatorConfig.Mode.INCLUDE);
        assertThat(config.prometheus().network()).isEqualTo("dnet1");
        assertThat(config.prometheus().externalUrl()).isEqualTo("http://127.0.0.1:9090");
        assertThat(config.blackbox().configDir()).isEqualTo("/etc/blackbox");
        assertThat(config.docker().hosts()).extracting(OperatorConfig.DockerHost::name).containsExactly("local");
    }

    @Test
    void anEmptyFileGivesTheEmbeddedDefaults() {
        OperatorConfig config = load("# nothing\n").config().orElseThrow();
        assertThat(config).isEqualTo(OperatorConfig.defaults());
        assertThat(config.prometheus().outputDir()).isEqualTo("/etc/prometheus/lookout");
        assertThat(config.prometheus().externalUrl()).as("links go where Lookout reaches it").isEqualTo(config.prometheus().url());
        assertThat(config.docker().hosts()).containsExactly(OperatorConfig.DockerHost.LOCAL);
    }

    @Test
    void reportsEveryProblemWithFileLineAndField() {
        OperatorConfigLoader.Result result = load("""
                prometheus:
                  outputDr: /x
                  mode: fully
                blackbox:
                  address: blackbox
                docker:
                  hosts:
                    - {name: local, url: "http://docker"}
                """);
        assertThat(result.config()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                dir.resolve("lookout.yaml") + ":2: OperatorConfig: prometheus.outputDr: unknown field \"outputDr\" (did you mean outputDir? known: baseConfig, externalUrl, mode, network, operator, outputDir, url)",
                dir.resolve("lookout.yaml") + ":3: OperatorConfig: prometheus.mode: \"fully\" is not allowed (did you mean full? allowed: full, include, operator)",
                dir.resolve("lookout.yaml") + ":5: OperatorConfig: blackbox.address: \"blackbox\" is not host:port (such as blackbox-exporter:9115)",
                dir.resolve("lookout.yaml") + ":8: OperatorConfig: docker.hosts[0].url: \"http://docker\" is not a Docker engine address (unix:///path or tcp://host:port)");
    }

    @Test
    void operatorModesLabelsAndNamesMustBeKubernetesOnes() {
        OperatorConfig.PrometheusOperator defaults = load("prometheus: {mode: operator}\n").config().orElseThrow().prometheus().operator();
        assertThat(defaults.blackboxConfigMap()).isEqualTo("lookout-blackbox");
        assertThat(defaults.blackboxSecret()).isEqualTo("lookout-blackbox-secrets");
        assertThat(defaults.namespace()).as("Lookout's own namespace, found at run time").isNull();

        OperatorConfigLoader.Result result = load("""
                prometheus:
                  mode: operator
                  operator:
                    labels: {"bad key!": x, release: "not a value"}
                    namespace: Monitoring
                    blackboxConfigMap: Black_Box
                blackbox:
                  secretsDir: relative/dir
                """);
        assertThat(result.config()).isEmpty();
        assertThat(result.problems()).extracting(Problem::message).containsExactlyInAnyOrder(
                "\"relative/dir\" is not a plain absolute path (as Prometheus or blackbox sees it)",
                "\"bad key!\" is not a Kubernetes label key",
                "\"not a value\" is not a Kubernetes label value (63 characters at most: letters, digits, '-', '_', '.')",
                "\"Monitoring\" is not a namespace name",
                "\"Black_Box\" is not a Kubernetes object name");
    }

    @Test
    void anExternalUrlMustBeAnHttpUrlAndMayBeLoopback() {
        assertThat(load("prometheus:\n  externalUrl: http://127.0.0.1:9090\n").problems()).isEmpty();
        assertThat(load("prometheus:\n  externalUrl: prometheus:9090\n").problems()).extracting(Problem::toString)
                .containsExactly(dir.resolve("lookout.yaml") + ":2: OperatorConfig: prometheus.externalUrl: must be an absolute http:// or https:// URL");
    }

    @Test
    void fullModeNeedsAnExistingBaseConfig() {
        OperatorConfigLoader.Result result = load("prometheus:\n  mode: full\n  baseConfig: prometheus.yml\n");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("prometheus.baseConfig");
            assertThat(p.message()).isEqualTo("no such file: prometheus.yml");
        });
        Manifests.write(dir, "prometheus.yml", "scrape_configs: []\n");
        assertThat(load("prometheus:\n  mode: full\n  baseConfig: prometheus.yml\n").config()).isPresent();
    }
}
