package dev.lookout.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.lookout.load.ManifestSet;
import dev.lookout.testing.Manifests;
import dev.lookout.validation.Problem;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of GpuNode (DESIGN.md, "The four kinds"), each scenario an edit of one valid base. */
class GpuNodeValidatorTest {
    private static final String RESOURCE = "GpuNode default/g";
    private static final String UUID_A = "GPU-8f6c2a1e-3b4d-4c5e-9f60-718293a4b5c6";
    private static final String UUID_B = "GPU-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    /** Valid: the example from examples/gpu.yaml, with counters written out. */
    private static final String BASE = """
            apiVersion: lookout.dev/v1alpha1
            kind: GpuNode
            metadata:
              name: g
            spec:
              host: local
              gpus: all
              exporter:
                image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04
                port: 9400
                counters:
                  - DCGM_FI_DEV_GPU_TEMP
                  - DCGM_FI_DEV_FB_FREE
              labels:
                node: gpu-node-01
              alerts:
                temperatureCelsius: 80
                utilization:
                  percent: 90
                  for: 10m
                memoryFreeMiB: 500
                powerNearLimitRatio: 0.95
                xidErrors: true
            """;

    @TempDir
    Path dir;

    /** The base with each whole line {@code from} (present exactly once) replaced by {@code to}. */
    static String with(String... fromTo) {
        return Manifests.editLines(BASE, fromTo);
    }

    static Arguments error(String scenario, String yaml, String field, String fragment) {
        return arguments(scenario, yaml, field, fragment);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // spec.gpus: all, indexes or UUIDs
                error("gpusOtherWord", with("  gpus: all", "  gpus: first # <-"), "spec.gpus", "\"first\" is not allowed"),
                error("gpusAllInUpperCase", with("  gpus: all", "  gpus: ALL # <-"), "spec.gpus", "\"ALL\" is not allowed"),
                error("gpusQuotedIndex", with("  gpus: all", "  gpus: \"0\" # <-"), "spec.gpus", "\"0\" is not allowed"),
                error("gpusSingleNumber", with("  gpus: all", "  gpus: 2 # <-"), "spec.gpus", "must be all, a list of GPU indexes"),
                error("gpusBoolean", with("  gpus: all", "  gpus: true # <-"), "spec.gpus", "must be all, a list of GPU indexes"),
                error("gpusEmptyList", with("  gpus: all", "  gpus: [] # <-"), "spec.gpus", "must be all, a list of GPU indexes"),
                error("gpusMapping", with("  gpus: all", "  gpus: # <-\n    count: 2"), "spec.gpus", "must be all, a list of GPU indexes"),
                error("gpusNegativeIndex", with("  gpus: all", "  gpus:\n    - 0\n    - -1 # <-"),
                        "spec.gpus[1]", "must be a non-negative GPU index"),
                error("gpusNegativeFirstIndex", with("  gpus: all", "  gpus:\n    - -1 # <-\n    - 0"),
                        "spec.gpus[0]", "must be a non-negative GPU index"),
                error("gpusFractionalIndex", with("  gpus: all", "  gpus:\n    - 0\n    - 1.5 # <-"),
                        "spec.gpus[1]", "must be a non-negative GPU index"),
                error("gpusFractionalFirstIndex", with("  gpus: all", "  gpus:\n    - 1.5 # <-\n    - 2"),
                        "spec.gpus[0]", "must be a non-negative GPU index"),
                error("gpusIndexBeyondInt", with("  gpus: all", "  gpus:\n    - 4294967296 # <-"),
                        "spec.gpus[0]", "must be a non-negative GPU index"),
                error("gpusEmptyItem", with("  gpus: all", "  gpus:\n    - 0\n    - ~ # <-"),
                        "spec.gpus[1]", "must be a non-negative GPU index"),
                error("gpusDuplicateIndex", with("  gpus: all", "  gpus:\n    - 1\n    - 0\n    - 1 # <-"),
                        "spec.gpus[2]", "1 is listed twice"),
                error("gpusDuplicateUuid", with("  gpus: all", "  gpus:\n    - " + UUID_A + "\n    - " + UUID_A + " # <-"),
                        "spec.gpus[1]", UUID_A + " is listed twice"),
                error("gpusUuidMixedIntoIndexes", with("  gpus: all", "  gpus:\n    - 0\n    - " + UUID_A + " # <-"),
                        "spec.gpus[1]", "mixes a UUID into a list of indexes"),
                error("gpusIndexMixedIntoUuids", with("  gpus: all", "  gpus:\n    - " + UUID_A + "\n    - 1 # <-"),
                        "spec.gpus[1]", "mixes an index into a list of UUIDs"),
                error("gpusUuidInUpperCase", with("  gpus: all", "  gpus:\n    - " + UUID_A.toUpperCase() + " # <-"),
                        "spec.gpus[0]", "must be a GPU UUID"),
                error("gpusUuidWithoutPrefix", with("  gpus: all", "  gpus:\n    - " + UUID_A.substring(4) + " # <-"),
                        "spec.gpus[0]", "must be a GPU UUID"),
                error("gpusUuidTooShort", with("  gpus: all", "  gpus:\n    - GPU-8f6c2a1e-3b4d-4c5e-9f60-718293a4b5 # <-"),
                        "spec.gpus[0]", "must be a GPU UUID"),
                error("gpusUuidNotHex", with("  gpus: all", "  gpus:\n    - GPU-8f6c2a1e-3b4d-4c5e-9f60-718293a4b5zz # <-"),
                        "spec.gpus[0]", "must be a GPU UUID"),
                error("gpusAllInsideList", with("  gpus: all", "  gpus:\n    - all # <-"), "spec.gpus[0]", "must be a GPU UUID"),

                // spec.exporter
                error("exporterImageUpperCaseRepository",
                        with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "    image: nvidia/DCGM-Exporter:4.2.3-4.1.3-ubuntu22.04 # <-"),
                        "spec.exporter.image", "repository names must be lower case"),
                error("exporterImageWithSpace",
                        with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "    image: nvidia/dcgm exporter:4.2.3 # <-"),
                        "spec.exporter.image", "is not a valid image reference"),
                error("exporterImageEmptyTag",
                        with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "    image: \"nvidia/dcgm-exporter:\" # <-"),
                        "spec.exporter.image", "is not a valid image reference"),
                error("exporterImageNotString",
                        with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "    image: 4 # <-"),
                        "spec.exporter.image", "must be a string"),
                error("exporterPortZero", with("    port: 9400", "    port: 0 # <-"), "spec.exporter.port", "0 is not a port (1-65535)"),
                error("exporterPortNegative", with("    port: 9400", "    port: -1 # <-"), "spec.exporter.port", "-1 is not a port (1-65535)"),
                error("exporterPortAbove65535", with("    port: 9400", "    port: 65536 # <-"), "spec.exporter.port", "65536 is not a port"),
                error("exporterPortQuoted", with("    port: 9400", "    port: \"9400\" # <-"), "spec.exporter.port", "must be an integer"),
                error("counterInLowerCase", with("      - DCGM_FI_DEV_FB_FREE", "      - dcgm_fi_dev_fb_free # <-"),
                        "spec.exporter.counters[1]", "\"dcgm_fi_dev_fb_free\" is not a DCGM field name"),
                error("counterObsoleteMetricName", with("      - DCGM_FI_DEV_GPU_TEMP", "      - dcgm_gpu_temp # <-"),
                        "spec.exporter.counters[0]", "is not a DCGM field name"),
                error("counterWithoutFieldPrefix", with("      - DCGM_FI_DEV_GPU_TEMP", "      - GPU_TEMP # <-"),
                        "spec.exporter.counters[0]", "is not a DCGM field name"),
                error("counterAsNumber", with("      - DCGM_FI_DEV_GPU_TEMP", "      - 150 # <-"),
                        "spec.exporter.counters[0]", "must be a string"),
                error("countersNotAList",
                        with("    counters:", "    counters: DCGM_FI_DEV_GPU_TEMP # <-", "      - DCGM_FI_DEV_GPU_TEMP", "",
                                "      - DCGM_FI_DEV_FB_FREE", ""),
                        "spec.exporter.counters", "must be a list"),
                error("exporterNotAMapping",
                        with("  exporter:", "  exporter: nvidia/dcgm-exporter # <-",
                                "    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "", "    port: 9400", "",
                                "    counters:", "", "      - DCGM_FI_DEV_GPU_TEMP", "", "      - DCGM_FI_DEV_FB_FREE", ""),
                        "spec.exporter", "must be a mapping"),

                // spec.labels: Prometheus label names and safe values
                error("labelNameWithDash", with("    node: gpu-node-01", "    node-name: gpu-node-01 # <-"),
                        "spec.labels.node-name", "\"node-name\" is not a Prometheus label name"),
                error("labelNameStartingWithDigit", with("    node: gpu-node-01", "    1node: gpu-node-01 # <-"),
                        "spec.labels[\"1node\"]", "is not a Prometheus label name"),
                error("labelNameWithDot", with("    node: gpu-node-01", "    node.name: gpu-node-01 # <-"),
                        "spec.labels[\"node.name\"]", "is not a Prometheus label name"),
                error("labelNameReservedDoubleUnderscore", with("    node: gpu-node-01", "    __node: gpu-node-01 # <-"),
                        "spec.labels.__node", "reserved for Prometheus' internal use"),
                error("labelNameMetricName", with("    node: gpu-node-01", "    __name__: gpu # <-"),
                        "spec.labels.__name__", "reserved"),
                error("labelJobSetByLookout", with("    node: gpu-node-01", "    job: gpu # <-"),
                        "spec.labels.job", "\"job\" is set by Lookout"),
                error("labelInstanceSetByLookout", with("    node: gpu-node-01", "    instance: gpu-node-01:9400 # <-"),
                        "spec.labels.instance", "\"instance\" is set by Lookout"),
                error("labelValueWithNewline", with("    node: gpu-node-01", "    node: \"gpu\\nnode\" # <-"),
                        "spec.labels.node", "could inject into a rendered file"),
                error("labelValueWithDoubleQuote", with("    node: gpu-node-01", "    node: 'gpu\"01' # <-"),
                        "spec.labels.node", "could inject into a rendered file"),
                error("labelValueWithSingleQuote", with("    node: gpu-node-01", "    node: \"gpu'01\" # <-"),
                        "spec.labels.node", "could inject into a rendered file"),
                error("labelValueWithBrace", with("    node: gpu-node-01", "    node: \"{gpu}\" # <-"),
                        "spec.labels.node", "could inject into a rendered file"),
                error("labelValueWithSemicolon", with("    node: gpu-node-01", "    node: gpu;01 # <-"),
                        "spec.labels.node", "could inject into a rendered file"),
                error("labelValueNumber", with("    node: gpu-node-01", "    node: 1 # <-"), "spec.labels.node", "must be a string"),
                error("labelsAsList", with("  labels:", "  labels: [node] # <-", "    node: gpu-node-01", ""),
                        "spec.labels", "must be a mapping"),

                // spec.alerts
                error("temperatureZero", with("    temperatureCelsius: 80", "    temperatureCelsius: 0 # <-"),
                        "spec.alerts.temperatureCelsius", "0 is out of range (1-150 °C)"),
                error("temperatureAbove150", with("    temperatureCelsius: 80", "    temperatureCelsius: 151 # <-"),
                        "spec.alerts.temperatureCelsius", "151 is out of range (1-150 °C)"),
                error("temperatureFractional", with("    temperatureCelsius: 80", "    temperatureCelsius: 80.5 # <-"),
                        "spec.alerts.temperatureCelsius", "must be an integer"),
                error("utilizationPercentNegative", with("      percent: 90", "      percent: -1 # <-"),
                        "spec.alerts.utilization.percent", "-1 is out of range (a percent, 0-100)"),
                error("utilizationPercentAbove100", with("      percent: 90", "      percent: 101 # <-"),
                        "spec.alerts.utilization.percent", "101 is out of range (a percent, 0-100)"),
                error("utilizationForZero", with("      for: 10m", "      for: 0s # <-"),
                        "spec.alerts.utilization.for", "must be greater than zero"),
                error("utilizationForInWords", with("      for: 10m", "      for: 10 minutes # <-"),
                        "spec.alerts.utilization.for", "\"10 minutes\" is not a Prometheus duration"),
                error("utilizationForUnitsOutOfOrder", with("      for: 10m", "      for: 30m1h # <-"),
                        "spec.alerts.utilization.for", "is not a Prometheus duration"),
                error("utilizationForEmpty", with("      for: 10m", "      for: \"\" # <-"),
                        "spec.alerts.utilization.for", "is not a Prometheus duration"),
                error("utilizationForNumber", with("      for: 10m", "      for: 10 # <-"),
                        "spec.alerts.utilization.for", "must be a string"),
                error("memoryFreeNegative", with("    memoryFreeMiB: 500", "    memoryFreeMiB: -1 # <-"),
                        "spec.alerts.memoryFreeMiB", "-1 is out of range (0 or more MiB)"),
                error("powerRatioZero", with("    powerNearLimitRatio: 0.95", "    powerNearLimitRatio: 0 # <-"),
                        "spec.alerts.powerNearLimitRatio", "is not a ratio in (0, 1]"),
                error("powerRatioAboveOne", with("    powerNearLimitRatio: 0.95", "    powerNearLimitRatio: 1.5 # <-"),
                        "spec.alerts.powerNearLimitRatio", "1.5 is not a ratio in (0, 1]"),
                error("powerRatioNegative", with("    powerNearLimitRatio: 0.95", "    powerNearLimitRatio: -0.5 # <-"),
                        "spec.alerts.powerNearLimitRatio", "is not a ratio in (0, 1]"),
                error("powerRatioNotANumber", with("    powerNearLimitRatio: 0.95", "    powerNearLimitRatio: .nan # <-"),
                        "spec.alerts.powerNearLimitRatio", "is not a ratio in (0, 1]"),
                error("powerRatioString", with("    powerNearLimitRatio: 0.95", "    powerNearLimitRatio: high # <-"),
                        "spec.alerts.powerNearLimitRatio", "must be a number"),
                error("xidErrorsString", with("    xidErrors: true", "    xidErrors: \"true\" # <-"),
                        "spec.alerts.xidErrors", "must be true or false, not a string"),
                error("xidErrorsNumber", with("    xidErrors: true", "    xidErrors: 1 # <-"),
                        "spec.alerts.xidErrors", "must be true or false"),

                // spec.host
                error("hostUpperCase", with("  host: local", "  host: GPU-Node # <-"), "spec.host", "\"GPU-Node\" is not a host name"),
                error("hostWithUnderscore", with("  host: local", "  host: gpu_node # <-"), "spec.host", "is not a host name"),
                error("hostEmpty", with("  host: local", "  host: \"\" # <-"), "spec.host", "is not a host name"),
                error("hostWildcardPattern", with("  host: local", "  host: \"gpu-*\" # <-"), "spec.host", "is not a host name"),
                error("hostEndingWithDash", with("  host: local", "  host: gpu- # <-"), "spec.host", "is not a host name"),
                error("hostNumber", with("  host: local", "  host: 5 # <-"), "spec.host", "must be a string (quote it)"),

                // unknown fields, with "did you mean"
                error("unknownSpecFieldGpu", with("  gpus: all", "  gpu: all # <-"), "spec.gpu", "unknown field \"gpu\" (did you mean gpus?"),
                error("unknownExporterFieldPorts", with("    port: 9400", "    ports: 9400 # <-"),
                        "spec.exporter.ports", "unknown field \"ports\" (did you mean port?"),
                error("unknownAlertFieldMisspelled", with("    temperatureCelsius: 80", "    temperatureCelcius: 80 # <-"),
                        "spec.alerts.temperatureCelcius", "did you mean temperatureCelsius?"),
                error("unknownUtilizationField", with("      percent: 90", "      precent: 90 # <-"),
                        "spec.alerts.utilization.precent", "did you mean percent?"),
                error("unknownAlertFieldBritishSpelling", with("    utilization:", "    utilisation: # <-"),
                        "spec.alerts.utilisation", "did you mean utilization?"),
                error("labelValueMapping", with("    node: gpu-node-01", "    node: # <-\n      name: gpu-node-01"),
                        "spec.labels.node", "must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String scenario, String yaml, String field, String fragment) {
        Manifests.assertError(dir, yaml, RESOURCE, field, fragment);
    }

    @Test
    void validBasePasses() {
        ManifestSet set = Manifests.assertValid(dir, BASE);
        assertThat(set.warnings()).isEmpty();
        assertThat(set.resources()).singleElement().satisfies(r -> assertThat(r.key()).hasToString(RESOURCE));
    }

    @Test
    void gpusIndexesAreValid() {
        Manifests.assertValid(dir, with("  gpus: all", "  gpus: [0, 1]"));
    }

    @Test
    void gpusSingleIndexZeroIsValid() {
        Manifests.assertValid(dir, with("  gpus: all", "  gpus: [0]"));
    }

    @Test
    void gpusUuidsAreValid() {
        Manifests.assertValid(dir, with("  gpus: all", "  gpus: [" + UUID_A + ", " + UUID_B + "]"));
    }

    @Test
    void gpusOmittedMeansAll() {
        ManifestSet set = Manifests.assertValid(dir, with("  gpus: all", ""));
        GpuNode node = (GpuNode) set.resources().get(0).resource();
        assertThat(node.getSpec().gpus().asText()).isEqualTo("all");
    }

    @Test
    void hostStarMeansEveryGpuNode() {
        Manifests.assertValid(dir, with("  host: local", "  host: \"*\""));
    }

    @Test
    void hostWithEmptyOrDashedDnsLabelIsRejected() {
        Manifests.assertError(dir, with("  host: local", "  host: gpu..node # <-"), RESOURCE, "spec.host", "is not a host name");
        Manifests.assertError(dir, with("  host: local", "  host: gpu.-node # <-"), RESOURCE, "spec.host", "is not a host name");
    }

    @Test
    void hostWithDotsAndDashesIsValid() {
        Manifests.assertValid(dir, with("  host: local", "  host: gpu-node-01.lab"));
    }

    @Test
    void alertBoundsAreInclusive() {
        Manifests.assertValid(dir, with(
                "    temperatureCelsius: 80", "    temperatureCelsius: 150",
                "      percent: 90", "      percent: 0",
                "      for: 10m", "      for: 1h30m",
                "    memoryFreeMiB: 500", "    memoryFreeMiB: 0",
                "    powerNearLimitRatio: 0.95", "    powerNearLimitRatio: 1",
                "    xidErrors: true", "    xidErrors: false"));
        Manifests.assertValid(dir, with(
                "    temperatureCelsius: 80", "    temperatureCelsius: 1",
                "      percent: 90", "      percent: 100"));
    }

    @Test
    void exporterPortBoundsAreValid() {
        Manifests.assertValid(dir, with("    port: 9400", "    port: 1"));
        Manifests.assertValid(dir, with("    port: 9400", "    port: 65535"));
    }

    @Test
    void exporterImageFromPrivateRegistryWithDigestIsValid() {
        ManifestSet set = Manifests.assertValid(dir, with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04",
                "    image: registry.example.com:5000/nvidia/dcgm-exporter@sha256:" + "a".repeat(64)));
        assertThat(set.warnings()).isEmpty();
    }

    @Test
    void minimalSpecTakesTheDefaults() {
        ManifestSet set = Manifests.assertValid(dir, """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata:
                  name: g
                spec: {}
                """);
        GpuNodeSpec spec = ((GpuNode) set.resources().get(0).resource()).getSpec();
        assertThat(spec.host()).isEqualTo("local");
        assertThat(spec.exporter().image()).isEqualTo(GpuExporter.DEFAULT_IMAGE);
        assertThat(spec.exporter().port()).isEqualTo(9400);
        assertThat(spec.alerts().temperatureCelsius()).isEqualTo(80);
        assertThat(spec.alerts().utilization().forDuration()).isEqualTo("10m");
        assertThat(spec.alerts().powerNearLimitRatio()).isEqualTo(0.95);
        assertThat(set.warnings()).isEmpty();
    }

    @Test
    void unpinnedExporterImageWarns() {
        assertWarning(with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "    image: nvidia/dcgm-exporter # <-"),
                "spec.exporter.image", "is not pinned");
    }

    @Test
    void latestExporterImageWarns() {
        assertWarning(with("    image: nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "    image: nvidia/dcgm-exporter:latest # <-"),
                "spec.exporter.image", "is not pinned");
    }

    @Test
    void everyBadFieldIsReportedNotOnlyTheFirst() {
        String yaml = with("  gpus: all", "  gpus: [-1]",
                "    port: 9400", "    port: 0",
                "    temperatureCelsius: 80", "    temperatureCelsius: 0");
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).extracting(Problem::field)
                .contains("spec.gpus[0]", "spec.exporter.port", "spec.alerts.temperatureCelsius");
        assertThat(set.resources()).isEmpty();
    }

    private void assertWarning(String yaml, String field, String fragment) {
        ManifestSet set = Manifests.assertValid(dir, yaml);
        Path file = dir.resolve("resources.yaml");
        int line = Manifests.markedLine(yaml);
        assertThat(set.warnings())
                .filteredOn(p -> field.equals(p.field()) && p.message().contains(fragment))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.toString()).startsWith(file + ":" + line + ": warning: " + RESOURCE + ": " + field + ": ");
                });
        assertThat(set.resources()).hasSize(1);
    }
}
