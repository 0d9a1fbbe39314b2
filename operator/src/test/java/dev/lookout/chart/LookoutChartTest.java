package dev.lookout.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.config.OperatorConfigLoader;
import dev.lookout.reload.ToolProcess;
import dev.lookout.testing.Helm;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * charts/lookout through the real helm 3 ({@code .ci/helm.sh}): lint and template per layout, the whole rendering
 * pinned by golden files ({@code src/test/resources/chart/<scenario>.yaml}; {@code -Dgolden.update=true} rewrites
 * them), every object read strictly into fabric8's typed model, lookout.yaml read by Lookout's own loader, prometheus.yml
 * by promtool, values.schema.json refusing bad values by name, and the chart's CRDs the generated ones.
 *
 * <p>What it cannot prove: that the pods run (no cluster here); the CRDs are applied to a real API server in
 * {@code ChartCrdsOnApiServerTest}, the RBAC rules are compared with the operator's calls in {@code RbacRulesTest}.
 */
class LookoutChartTest {
    static final Path GOLDEN = Manifests.REPO.resolve("operator/src/test/resources/chart");
    static final List<String> STANDALONE = List.of("layout=standalone",
            "config.prometheus.url=http://prometheus.monitoring.svc:9090",
            "config.blackbox.url=http://blackbox.monitoring.svc:9115",
            "config.blackbox.address=blackbox.monitoring.svc:9115",
            "standalone.output.existingClaim=lookout-out");

    static final List<String> OPERATOR = List.of("layout=operator", "operator.labels.release=kps",
            "config.prometheus.url=http://kps-prometheus.monitoring.svc:9090");

    /** Each scenario: a golden file's name and the values it is rendered with. */
    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("sidecar", List.of()),
                Arguments.of("standalone", STANDALONE),
                Arguments.of("operator", OPERATOR),
                Arguments.of("standalone-ha", java.util.stream.Stream.concat(STANDALONE.stream(), Stream.of("replicas=2",
                        "serviceMonitor.enabled=true", "watchNamespaces={ml,web}", "config.docker.hosts[0].name=gpu-box",
                        "config.docker.hosts[0].url=tcp://10.0.0.5:2376")).toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void helmLintPasses(String scenario, List<String> sets) {
        List<String> args = new java.util.ArrayList<>(List.of("lint", "--strict", Helm.CHART.toString()));
        sets.forEach(s -> args.addAll(List.of("--set", s)));
        ToolProcess.Result lint = Helm.run(args.toArray(String[]::new));

        assertThat(lint.exit()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theRenderingIsTheGoldenFile(String scenario, List<String> sets) throws IOException {
        String rendered = Helm.rendered(sets);
        Path expected = GOLDEN.resolve(scenario + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(expected, rendered);
        }
        assertThat(expected).as("golden file (regenerate with -Dgolden.update=true)").exists();
        assertThat(rendered).as("helm template vs %s (regenerate with -Dgolden.update=true)", expected)
                .isEqualTo(Files.readString(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyObjectIsItsTypedModelWithNoUnknownField(String scenario, List<String> sets) throws IOException {
        List<HasMetadata> objects = StrictModel.parseAll(Helm.rendered(sets));

        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("ServiceAccount", "ConfigMap", "Service", "Deployment");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", Helm.RELEASE));
    }

    @Test
    void theStrictModelRefusesAFieldItDoesNotKnow() {
        JsonNode typo = StrictModel.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replica: 2}
                """).get(0);

        assertThatThrownBy(() -> StrictModel.parse(typo)).hasMessageContaining("replica");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void lookoutYamlIsAcceptedByLookoutsOwnLoader(String scenario, List<String> sets, @TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("lookout.yaml"), configMap(sets).getData().get("lookout.yaml"));

        OperatorConfigLoader.Result loaded = new OperatorConfigLoader().load(file);

        // No warning either: in the sidecar pod 127.0.0.1 is the shared network namespace, exactly where Lookout reaches
        // Prometheus and blackbox.
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isPresent();
        assertThat(loaded.config().get().prometheus().outputDir()).isEqualTo("/var/lib/lookout/out/prometheus");
        // The operator layout's blackbox reads the ConfigMap Lookout publishes, mounted in its own pod.
        assertThat(loaded.config().get().blackbox().configFile()).isEqualTo(scenario.equals("operator")
                ? "/etc/blackbox/config/blackbox.yml" : "/var/lib/lookout/out/blackbox/blackbox.yml");
    }

    @Test
    void theSidecarsPrometheusConfigPassesPromtoolAndIncludesLookoutsFiles(@TempDir Path tmp) throws IOException {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        String prometheusYml = configMap(List.of()).getData().get("prometheus.yml");
        Path file = Files.writeString(tmp.resolve("prometheus.yml"), prometheusYml);

        ToolProcess.Result check = Tools.run(List.of(promtool.toString(), "check", "config", file.toString()), Duration.ofSeconds(60));

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(prometheusYml).contains("/var/lib/lookout/out/prometheus/scrape/*.yml", "/var/lib/lookout/out/prometheus/rules/*.yml");
        assertThat(configMap(List.of()).getData().get("lookout.yaml")).contains("url: http://127.0.0.1:9090", "url: http://127.0.0.1:9115");
    }

    @Test
    void theSidecarPodSharesTheOutputFolderAndPrometheusCanBeReloaded() throws IOException {
        PodSpec pod = deployment(List.of()).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("lookout", "prometheus", "blackbox");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("output")).singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        for (Container c : pod.getContainers()) {
            assertThat(c.getVolumeMounts()).as(c.getName()).anySatisfy(m -> {
                assertThat(m.getName()).isEqualTo("output");
                assertThat(m.getMountPath()).isEqualTo("/var/lib/lookout/out");
                assertThat(Boolean.TRUE.equals(m.getReadOnly())).isEqualTo(!c.getName().equals("lookout"));
            });
        }
        assertThat(container(pod, "prometheus").getArgs()).contains("--web.enable-lifecycle");
        assertThat(String.join(" ", container(pod, "blackbox").getCommand()))
                .contains("--config.file=/var/lib/lookout/out/blackbox/blackbox.yml");
    }

    @Test
    void standaloneIsLookoutAloneOnTheSharedClaim() throws IOException {
        PodSpec pod = deployment(STANDALONE).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("lookout");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("output")).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("lookout-out"));
        assertThat(configMap(STANDALONE).getData().get("lookout.yaml")).contains("url: http://prometheus.monitoring.svc:9090")
                .contains("metricsAddress: demo-lookout.monitoring.svc:8080");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyContainerIsLockedDown(String scenario, List<String> sets) throws IOException {
        Deployment deployment = deployment(sets);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();

        for (HasMetadata o : StrictModel.parseAll(Helm.rendered(sets))) {
            if (!(o instanceof Deployment d)) {
                continue;
            }
            PodSpec each = d.getSpec().getTemplate().getSpec();
            assertThat(each.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(each.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            for (Container c : each.getContainers()) {
                assertThat(c.getSecurityContext().getRunAsNonRoot()).as(c.getName()).isTrue();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
                assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
            }
        }
        Container lookout = container(pod, "lookout");
        assertThat(lookout.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(lookout.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(lookout.getArgs()).startsWith("run", "--kubernetes");
        boolean ha = deployment.getSpec().getReplicas() > 1;
        assertThat(lookout.getArgs().contains("--leader-elect")).isEqualTo(ha);
    }

    @Test
    void twoReplicasElectALeaderWithALeaseAndTheServiceMonitorScrapesLookout() throws IOException {
        List<String> sets = java.util.stream.Stream.concat(STANDALONE.stream(), Stream.of("replicas=2", "serviceMonitor.enabled=true"))
                .toList();
        List<HasMetadata> objects = StrictModel.parseAll(Helm.rendered(sets));

        assertThat(deployment(sets).getSpec().getReplicas()).isEqualTo(2);
        assertThat(objects).filteredOn(o -> o.getMetadata().getName().endsWith("-leader-election") && o.getKind().equals("Role"))
                .singleElement().satisfies(r -> {
                    var rule = ((io.fabric8.kubernetes.api.model.rbac.Role) r).getRules().get(0);
                    assertThat(rule.getResources()).containsExactly("leases");
                    // fabric8's lease lock renews with a merge patch (a real API server refuses it without patch).
                    assertThat(rule.getVerbs()).contains("create", "get", "patch", "update");
                });
        assertThat(deployment(sets).getSpec().getStrategy()).as("Kubernetes' rolling update: replicas overlap, one acting")
                .isNull();
        assertThat(deployment(List.of()).getSpec().getStrategy().getType()).as("a single Lookout never runs twice")
                .isEqualTo("Recreate");
        assertThat(objects).filteredOn(ServiceMonitor.class::isInstance).singleElement().satisfies(o -> {
            ServiceMonitor monitor = (ServiceMonitor) o;
            assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
                assertThat(e.getPort()).isEqualTo("http");
                assertThat(e.getPath()).isEqualTo("/metrics");
            });
        });
        assertThat(StrictModel.parseAll(Helm.rendered(List.of()))).noneMatch(ServiceMonitor.class::isInstance)
                .noneMatch(o -> o.getMetadata().getName().endsWith("-leader-election"));
    }

    @Test
    void everyImageTakesTheRegistryRepositoryAndTagGiven() throws IOException {
        List<String> sets = List.of("image.registry=registry.local:5000", "image.tag=1.2.3",
                "prometheus.image.registry=registry.local:5000", "prometheus.image.repository=mirror/prometheus",
                "blackbox.image.registry=registry.local:5000", "blackbox.image.tag=v9",
                "blackbox.image.digest=sha256:" + "a".repeat(64));

        PodSpec pod = deployment(sets).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers()).extracting(Container::getImage).containsExactly(
                "registry.local:5000/lookout/lookout:1.2.3", "registry.local:5000/mirror/prometheus:v3.5.3",
                "registry.local:5000/prometheus/blackbox-exporter:v9@sha256:" + "a".repeat(64));
        assertThat(container(deployment(List.of()).getSpec().getTemplate().getSpec(), "lookout").getImage())
                .as("the chart's appVersion when no tag is given").isEqualTo("docker.io/lookout/lookout:0.1.0");
    }

    /** A value the schema refuses, and the field helm's message must name. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("layout=sidecars", "layout"),
                Arguments.of("replicas=0", "replicas"),
                Arguments.of("replica=2", "replica"),
                Arguments.of("image.tagg=1", "tagg"),
                Arguments.of("image.pullPolicy=Sometimes", "image.pullPolicy"),
                Arguments.of("prometheus.retention=forever", "prometheus.retention"),
                Arguments.of("config.prometheus.mode=fully", "config.prometheus.mode"),
                Arguments.of("config.prometheus.urll=http://x", "urll"),
                Arguments.of("watchNamespaces={Bad_Namespace}", "watchNamespaces"),
                Arguments.of("securityContext.allowPrivilegeEscalation=true", "securityContext.allowPrivilegeEscalation"),
                Arguments.of("securityContext.runAsNonRoot=false", "securityContext.runAsNonRoot"),
                Arguments.of("serviceMonitor.enabled=yes", "serviceMonitor.enabled"),
                Arguments.of("lookout.port=70000", "lookout.port"),
                Arguments.of("operator.labels.release=not a value", "operator.labels.release"),
                Arguments.of("operator.configReloader.image.pullPolicy=Sometimes", "operator.configReloader.image.pullPolicy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void theSchemaRefusesBadValuesNamingTheField(String set, String field) {
        ToolProcess.Result result = Helm.template(List.of(set));

        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("values don't meet the specifications of the schema").contains(field);
    }

    @Test
    void theOperatorLayoutPublishesObjectsForTheSelectorsAndRunsABlackboxThatReadsThem() throws IOException {
        List<HasMetadata> objects = StrictModel.parseAll(Helm.rendered(OPERATOR));
        String lookoutYaml = configMap(OPERATOR).getData().get("lookout.yaml");
        Deployment blackbox = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals("demo-lookout-blackbox")).findFirst().orElseThrow();
        PodSpec pod = blackbox.getSpec().getTemplate().getSpec();

        assertThat(lookoutYaml).contains("mode: operator").contains("release: kps").contains("namespace: monitoring")
                .contains("address: demo-lookout-blackbox.monitoring.svc:9115")
                .contains("blackboxConfigMap: demo-lookout-blackbox").contains("blackboxSecret: demo-lookout-blackbox-secrets")
                .contains("configFile: /etc/blackbox/config/blackbox.yml").contains("secretsDir: /etc/blackbox/secrets");
        assertThat(pod.getVolumes()).extracting(v -> v.getConfigMap() != null ? "configMap " + v.getConfigMap().getName()
                        + (v.getConfigMap().getOptional() ? " optional" : "") : "secret " + v.getSecret().getSecretName()
                        + (v.getSecret().getOptional() ? " optional" : ""))
                .containsExactly("configMap demo-lookout-blackbox optional", "secret demo-lookout-blackbox-secrets optional");
        assertThat(container(pod, "blackbox").getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactly("/etc/blackbox/config", "/etc/blackbox/secrets");
        assertThat(container(pod, "config-reloader").getArgs()).contains("--watched-dir=/etc/blackbox/config",
                "--watched-dir=/etc/blackbox/secrets", "--reload-url=http://127.0.0.1:9115/-/reload");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        // Lookout's Service and Deployment select by name and instance: blackbox's pods must not carry Lookout's name.
        Map<String, String> lookoutSelector = deployment(OPERATOR).getSpec().getSelector().getMatchLabels();
        assertThat(blackbox.getSpec().getTemplate().getMetadata().getLabels().entrySet()).doesNotContainAnyElementsOf(
                lookoutSelector.entrySet().stream().filter(e -> e.getKey().equals("app.kubernetes.io/name")).toList());
        assertThat(objects).filteredOn(o -> o instanceof Service && o.getMetadata().getName().equals("demo-lookout-blackbox"))
                .singleElement().satisfies(o -> assertThat(((Service) o).getSpec().getSelector())
                        .isEqualTo(blackbox.getSpec().getSelector().getMatchLabels()));
        assertThat(deployment(OPERATOR).getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("lookout");
    }

    @Test
    void severalReplicasInTheSidecarLayoutAreRefused() {
        ToolProcess.Result result = Helm.template(List.of("replicas=2"));

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("replicas above 1 needs layout standalone");
    }

    @Test
    void standaloneWithoutAPrometheusToReloadIsRefused() {
        ToolProcess.Result result = Helm.template(List.of("layout=standalone"));

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("layout: standalone needs config.prometheus.url");
    }

    @Test
    void theChartsCrdsAreTheGeneratedOnes() throws IOException {
        Path generated = Manifests.REPO.resolve("crds");
        Path chart = Helm.CHART.resolve("crds");
        if (Boolean.getBoolean("crds.update")) {
            try (Stream<Path> old = Files.list(chart)) {
                for (Path f : (Iterable<Path>) old::iterator) {
                    Files.delete(f);
                }
            }
            try (Stream<Path> files = Files.list(generated)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, chart.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        assertThat(names(chart)).as("charts/lookout/crds vs crds/ (run `make crds`)").isEqualTo(names(generated));
        for (String name : names(generated)) {
            assertThat(Files.readString(chart.resolve(name))).as("charts/lookout/crds/%s differs from crds/ (run `make crds`)", name)
                    .isEqualTo(Files.readString(generated.resolve(name)));
        }
    }

    @Test
    void helmPackageMakesTheArchive(@TempDir Path tmp) throws IOException {
        ToolProcess.Result result = Helm.run("package", Helm.CHART.toString(), "--destination", tmp.toString());

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(tmp.resolve("lookout-0.1.0.tgz")).isRegularFile();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static ConfigMap configMap(List<String> sets) throws IOException {
        return (ConfigMap) StrictModel.parseAll(Helm.rendered(sets)).stream().filter(ConfigMap.class::isInstance).findFirst().orElseThrow();
    }

    /** Lookout's Deployment (the operator layout has blackbox's too). */
    private static Deployment deployment(List<String> sets) throws IOException {
        return (Deployment) StrictModel.parseAll(Helm.rendered(sets)).stream().filter(Deployment.class::isInstance)
                .filter(d -> !d.getMetadata().getName().endsWith("-blackbox")).findFirst().orElseThrow();
    }

    private static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }
}
