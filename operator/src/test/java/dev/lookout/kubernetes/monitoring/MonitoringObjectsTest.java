package dev.lookout.kubernetes.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.chart.StrictModel;
import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.Rendering;
import dev.lookout.prometheus.RenderYaml;
import dev.lookout.prometheus.ScrapeConfigs;
import dev.lookout.render.PrometheusRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.Probe;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.ScrapeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code prometheus.mode: operator}'s objects for examples/ and the options scenario: pinned by golden files
 * ({@code src/test/resources/golden/operator/<scenario>.yaml}, {@code -Dgolden.update=true} rewrites them), read back
 * strictly into fabric8's typed model, and checked for what prometheus-operator makes of them (docs/kubernetes.md):
 * the job label the alerts select on, blackbox's module and address, no secret value outside a Secret.
 */
class MonitoringObjectsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/operator");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("lookout.dev/v1alpha1")
            .withKind("ComfyProbe").withName("comfy").withUid("uid-1").withController(true).build();

    /** Every object of a scenario, resources in key order then the operator-wide ones, as the publisher writes them. */
    static List<HasMetadata> objects(String scenario) throws IOException {
        PrometheusRenderer.Result result = Rendering.renderInOperatorMode(scenario);
        MonitoringObjects objects = new MonitoringObjects(configOf(scenario), "monitoring");
        List<HasMetadata> all = new ArrayList<>();
        objects.all(result, key -> Optional.of(OWNER)).values().forEach(all::addAll);
        return all;
    }

    private static OperatorConfig configOf(String scenario) throws IOException {
        // The same config renderInOperatorMode used: read back from a resource's render is not possible, so rebuild it.
        return Rendering.operatorModeConfig(scenario);
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "options"})
    void theObjectsAreTheGoldenFile(String scenario) throws IOException {
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata o : objects(scenario)) {
            yaml.append("---\n").append(SERIALIZATION.asYaml(o).replaceFirst("^---\n", ""));
        }
        Path expected = GOLDEN.resolve(scenario + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(expected, yaml.toString());
        }
        assertThat(expected).as("golden file (regenerate with -Dgolden.update=true)").exists();
        assertThat(yaml.toString()).as("objects vs %s (regenerate with -Dgolden.update=true)", expected)
                .isEqualTo(Files.readString(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "options"})
    void everyObjectReadsBackStrictlyIntoItsTypedModel(String scenario) throws IOException {
        for (HasMetadata o : objects(scenario)) {
            HasMetadata back = StrictModel.parse(RenderYaml.parse(SERIALIZATION.asJson(o)));
            assertThat(back).as("%s %s", o.getKind(), o.getMetadata().getName()).isEqualTo(o);
            assertThat(o.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack")
                    .containsEntry("app.kubernetes.io/managed-by", "lookout").containsEntry(MonitoringObjects.INSTANCE, "lookout");
        }
    }

    @Test
    void staticBlackboxTargetsAreOneProbePerLabelSetWithTheJobLabelTheAlertsSelect() throws IOException {
        List<Probe> probes = objects("options").stream().filter(Probe.class::isInstance).map(Probe.class::cast).toList();

        assertThat(probes).extracting(p -> p.getMetadata().getName()).hasSize(2).first().isEqualTo("lookout-comfyprobe-static");
        // The second's suffix is a digest, never a number another resource's name could end in.
        assertThat(probes.get(1).getMetadata().getName()).matches("lookout-comfyprobe-static-[0-9a-f]{8}");
        Probe first = probes.get(0);
        assertThat(first.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(first.getSpec().getJobName()).isEqualTo("lookout/comfyprobe/default/static");
        assertThat(first.getSpec().getModule()).isEqualTo("lookout/default/static");
        assertThat(first.getSpec().getProber().getUrl()).isEqualTo("lookout-blackbox.monitoring.svc:9115");
        assertThat(first.getSpec().getProber().getPath()).isEqualTo("/probe");
        assertThat(first.getSpec().getInterval()).isEqualTo("10s");
        assertThat(first.getSpec().getTargets().getStaticConfig().getStatic()).containsExactly("https://comfy-1:8188/");
        assertThat(first.getSpec().getTargets().getStaticConfig().getLabels()).containsExactly(Map.entry("model", "sdxl"));
        assertThat(first.getSpec().getTargets().getStaticConfig().getRelabelingConfigs()).singleElement()
                .satisfies(r -> {
                    assertThat(r.getSourceLabels()).containsExactly("__param_target");
                    assertThat(r.getTargetLabel()).isEqualTo("target");
                });
        assertThat(probes.get(1).getSpec().getTargets().getStaticConfig().getStatic()).containsExactly("https://comfy-2:8188/");
        assertThat(probes.get(1).getSpec().getTargets().getStaticConfig().getLabels()).isEmpty();
        assertThat(probes).allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences()).containsExactly(OWNER));
    }

    @Test
    void discoveredTargetsAreAScrapeConfigThroughBlackboxAndScrapeAuthIsASecretOfLookouts() throws IOException {
        List<HasMetadata> objects = objects("examples");
        ScrapeConfig comfy = find(objects, ScrapeConfig.class, "lookout-comfyprobe-comfy");
        assertThat(comfy.getSpec().getJobName()).isEqualTo("lookout/comfyprobe/default/comfy");
        assertThat(comfy.getSpec().getParams()).containsExactly(Map.entry("module", List.of("lookout/default/comfy")));
        assertThat(comfy.getSpec().getStaticConfigs()).as("nothing discovered in a pure render").isEmpty();
        assertThat(comfy.getSpec().getRelabelings()).last().satisfies(r -> {
            assertThat(r.getTargetLabel()).isEqualTo("__address__");
            assertThat(r.getReplacement()).isEqualTo("lookout-blackbox.monitoring.svc:9115");
        });

        ScrapeConfig nginx = find(objects, ScrapeConfig.class, "lookout-nginxvtstarget-edge");
        assertThat(nginx.getSpec().getScheme()).isEqualTo("HTTPS");
        assertThat(nginx.getSpec().getTlsConfig().getInsecureSkipVerify()).isTrue();
        assertThat(nginx.getSpec().getBasicAuth().getPassword().getName()).isEqualTo("lookout-nginxvtstarget-edge-auth");
        Secret auth = find(objects, Secret.class, "lookout-nginxvtstarget-edge-auth");
        assertThat(decode(auth, "username")).isEqualTo("admin");
        String password = decode(auth, "password");
        assertThat(password).isNotBlank();
        // The password is in Secrets only: not in any job, rule or the blackbox ConfigMap.
        for (HasMetadata o : objects) {
            if (!(o instanceof Secret)) {
                assertThat(SERIALIZATION.asJson(o)).as("%s %s", o.getKind(), o.getMetadata().getName()).doesNotContain(password);
            }
        }
        int before = objects.indexOf(auth);
        assertThat(before).as("the Secret is written before the job that reads it").isLessThan(objects.indexOf(nginx));

        ConfigMap blackbox = find(objects, ConfigMap.class, "lookout-blackbox");
        assertThat(blackbox.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(blackbox.getData().get("blackbox.yml")).contains("lookout/default/comfy:")
                .contains("password_file: /etc/blackbox/secrets/default.comfy-pass.password");
        Secret probeSecrets = find(objects, Secret.class, "lookout-blackbox-secrets");
        assertThat(probeSecrets.getData()).containsOnlyKeys("default.comfy-pass.password");
    }

    @Test
    void theRulesAreTheRuleFilesGroups() throws IOException {
        PrometheusRenderer.Result result = Rendering.renderInOperatorMode("examples");
        List<HasMetadata> objects = objects("examples");
        for (ObjectKey key : result.outputs().keySet()) {
            String file = "prometheus/rules/" + dev.lookout.prometheus.JobNames.fileStem(key) + ".yml";
            if (result.tree().get(file) == null) {
                continue;
            }
            PrometheusRule rule = find(objects, PrometheusRule.class, MonitoringObjects.base(key));
            ObjectNode groups = RenderYaml.object();
            groups.set("groups", RenderYaml.parse(SERIALIZATION.asJson(rule.getSpec())).get("groups"));
            assertThat(groups).as(file).isEqualTo(RenderYaml.parse(result.tree().get(file).text()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "options"})
    void everyPrometheusRulePassesPromtoolCheckRules(String scenario, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path promtool = dev.lookout.testing.Tools.require(dev.lookout.testing.Tools.promtool(), "promtool");
        List<String> files = new ArrayList<>();
        for (HasMetadata o : objects(scenario)) {
            if (o instanceof PrometheusRule rule) {
                ObjectNode file = RenderYaml.object();
                file.set("groups", RenderYaml.parse(SERIALIZATION.asJson(rule.getSpec())).get("groups"));
                files.add(Files.writeString(dir.resolve(rule.getMetadata().getName() + ".yml"), RenderYaml.yaml(file)).toString());
            }
        }
        assertThat(files).isNotEmpty();
        List<String> command = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        command.addAll(files);

        dev.lookout.reload.ToolProcess.Result result = dev.lookout.testing.Tools.run(command, java.time.Duration.ofSeconds(60));

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void restartAlertsBringTheScrapeConfigOfLookoutsOwnMetrics() throws IOException {
        ScrapeConfig self = find(objects("examples"), ScrapeConfig.class, "lookout-operator");
        assertThat(self.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(self.getSpec().getJobName()).isEqualTo("lookout/operator");
        assertThat(self.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void aScrapeKeyWithNoTranslationFailsRatherThanBeingDropped() {
        ObjectNode job = ScrapeConfigs.job("lookout/x/default/y");
        job.put("honor_labels", true);
        KindOutputs out = new KindOutputs(List.of(job), List.of(), new TreeMap<>(), new TreeMap<>(), List.of());
        MonitoringObjects objects = new MonitoringObjects(OperatorConfig.defaults(), "monitoring");

        assertThatThrownBy(() -> objects.of(new ObjectKey("GpuNode", "default", "y"), out, new OutputTree(), Optional.empty()))
                .hasMessageContaining("honor_labels");
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + objects.stream()
                        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
