package dev.lookout.load;

import static dev.lookout.testing.Manifests.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.probe.ComfyProbe;
import dev.lookout.testing.Manifests;
import dev.lookout.validation.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading: identity, metadata, structure, Secrets and the rules across resources. */
class ManifestLoaderTest {
    static final Path EXAMPLES = Manifests.EXAMPLES;
    static final String PROBE = """
            apiVersion: lookout.dev/v1alpha1
            kind: ComfyProbe
            metadata:
              name: p
            spec:
              targets:
                - url: http://comfy:8188
            """;

    @TempDir
    Path dir;

    @Test
    void loadsTheExamplesWithoutError() {
        ManifestSet set = Manifests.load(EXAMPLES);
        assertThat(set.errors()).isEmpty();
        assertThat(set.resources()).extracting(r -> r.key().toString()).containsExactly(
                "ComfyProbe default/comfy", "GpuNode default/gpu-node-01", "NetworkPolicy default/host-pools",
                "NginxVtsTarget default/edge");
        assertThat(set.secrets()).hasSize(2);
        assertThat(set.warnings()).extracting(Problem::message).allMatch(m -> m.contains("operator configuration"));
        ComfyProbe comfy = (ComfyProbe) set.resources().get(0).resource();
        assertThat(comfy.getSpec().http().bodyMustMatch()).containsExactly("CheckpointLoaderSimple");
        assertThat(comfy.getSpec().discover().docker().composeProjects()).contains("flux-20002");
    }

    static Stream<Arguments> structuralProblems() {
        return Stream.of(
                Arguments.of("typoInFieldSuggestsTheRightOne", PROBE + "  http:\n    bodyMustMach: [x]   # <-\n",
                        "spec.http.bodyMustMach", "unknown field \"bodyMustMach\" (did you mean bodyMustMatch?"),
                Arguments.of("unknownTopLevelField", PROBE.replace("spec:", "sepc: {}   # <-\nspec:"),
                        "sepc", "did you mean spec?"),
                Arguments.of("stringWhereAnIntegerBelongs", PROBE + "  discover:\n    docker:\n      port: abc   # <-\n",
                        "spec.discover.docker.port", "must be an integer, not a string"),
                Arguments.of("numberWhereAStringBelongs", PROBE + "  interval: 30   # <-\n",
                        "spec.interval", "must be a string (quote it)"),
                Arguments.of("mappingWhereAListBelongs", PROBE + "  http:\n    validStatusCodes: {a: 1}   # <-\n",
                        "spec.http.validStatusCodes", "must be a list, not a mapping"),
                Arguments.of("integerOutOfRange", PROBE + "  discover:\n    docker:\n      port: 99999999999   # <-\n",
                        "spec.discover.docker.port", "integer out of range"),
                Arguments.of("enumValueWithSuggestion", PROBE + "  http:\n    method: get   # <-\n",
                        "spec.http.method", "\"get\" is not allowed (did you mean GET? allowed: GET, HEAD, POST)"),
                Arguments.of("nullListItem", PROBE + "  http:\n    bodyMustMatch:\n      -   # <-\n",
                        "spec.http.bodyMustMatch[0]", "must not be empty"),
                Arguments.of("missingSpec", "apiVersion: lookout.dev/v1alpha1   # <-\nkind: GpuNode\nmetadata: {name: g}\n",
                        "spec", "required"),
                Arguments.of("specNotAMapping", "apiVersion: lookout.dev/v1alpha1\nkind: GpuNode\nmetadata: {name: g}\nspec: [1]   # <-\n",
                        "spec", "must be a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structuralProblems")
    void reportsStructuralProblems(String scenario, String yaml, String field, String fragment) {
        String resource = yaml.contains("kind: GpuNode") ? "GpuNode default/g" : "ComfyProbe default/p";
        assertError(dir, yaml, resource, field, fragment);
    }

    static Stream<Arguments> identityProblems() {
        return Stream.of(
                Arguments.of("pluralKindSuggestsTheKind", PROBE.replace("kind: ComfyProbe", "kind: ComfyProbes   # <-"),
                        "ComfyProbes default/p", "kind", "did you mean ComfyProbe"),
                Arguments.of("unknownVersion", PROBE.replace("apiVersion: lookout.dev/v1alpha1", "apiVersion: lookout.dev/v1   # <-"),
                        "ComfyProbe default/p", "apiVersion", "unknown version \"lookout.dev/v1\" for ComfyProbe (allowed: lookout.dev/v1alpha1)"),
                Arguments.of("unknownKindInOurGroup", PROBE.replace("kind: ComfyProbe", "kind: Probe   # <-"),
                        "Probe default/p", "kind", "unknown kind \"Probe\" in lookout.dev"),
                Arguments.of("missingApiVersion", PROBE.replace("apiVersion: lookout.dev/v1alpha1\n", "").replace("kind: ComfyProbe", "kind: ComfyProbe   # <-"),
                        "ComfyProbe default/p", "apiVersion", "required"),
                Arguments.of("nameNotDns1123", PROBE.replace("name: p", "name: Comfy_Probe   # <-"),
                        "ComfyProbe default/Comfy_Probe", "metadata.name", "not a valid name (DNS-1123 subdomain"),
                Arguments.of("namespaceNotDns1123", PROBE.replace("name: p", "name: p\n  namespace: Team.A   # <-"),
                        "ComfyProbe Team.A/p", "metadata.namespace", "not a valid namespace"),
                Arguments.of("missingName", PROBE.replace("  name: p\n", "  labels: {}\n").replace("metadata:", "metadata:   # <-"),
                        "ComfyProbe default/<unnamed>", "metadata.name", "required"),
                Arguments.of("unknownMetadataField", PROBE.replace("name: p", "name: p\n  nmespace: x   # <-"),
                        "ComfyProbe default/p", "metadata.nmespace", "did you mean namespace?"),
                Arguments.of("badLabelValue", PROBE.replace("name: p", "name: p\n  labels:\n    app: \"a b\"   # <-"),
                        "ComfyProbe default/p", "metadata.labels.app", "invalid label value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityProblems")
    void reportsIdentityAndMetadataProblems(String scenario, String yaml, String resource, String field, String fragment) {
        assertError(dir, yaml, resource, field, fragment);
    }

    @Test
    void ignoresOtherKindsWithAWarning() {
        ManifestSet set = Manifests.load(dir, PROBE + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all}
                spec: {podSelector: {}}
                """);
        assertThat(set.valid()).isTrue();
        assertThat(set.resources()).hasSize(1);
        assertThat(set.warnings()).extracting(Problem::message)
                .containsExactly("ignored: apps/v1 Deployment is not a Lookout kind",
                        "ignored: networking.k8s.io/v1 NetworkPolicy is not a Lookout kind");
    }

    @Test
    void oneBadDocumentNeverHidesTheOthers() {
        ManifestSet set = Manifests.load(dir, PROBE.replace("name: p", "name: bad") + "  interval: nonsense\n---\n" + PROBE);
        assertThat(set.rejected()).isEqualTo(1);
        assertThat(set.resources()).extracting(r -> r.key().name()).containsExactly("p");
        assertThat(set.errors()).singleElement().satisfies(p -> assertThat(p.resource()).isEqualTo("ComfyProbe default/bad"));
    }

    @Test
    void collectsEveryProblemSorted() {
        ManifestSet set = Manifests.load(dir, PROBE + "  interval: x\n  timeout: y\n  alert: {severity: \"a;b\"}\n");
        assertThat(set.errors()).extracting(Problem::field)
                .containsExactly("spec.interval", "spec.timeout", "spec.alert.severity");
        assertThat(set.problems()).isSorted();
    }

    @Test
    void warnsThatStatusInAManifestIsIgnored() {
        ManifestSet set = Manifests.load(dir, PROBE + "status: {targetCount: 3}\n");
        assertThat(set.valid()).isTrue();
        assertThat(set.warnings()).extracting(Problem::field).containsExactly("status");
    }

    @Test
    void reportsADuplicateInTwoFilesNamingBothPlaces() {
        Path a = Manifests.write(dir, "a.yaml", PROBE);
        Path b = Manifests.write(dir, "sub/b.yml", "# same probe again\n" + PROBE);
        ManifestSet set = Manifests.load(dir);
        assertThat(set.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(b);
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.toString()).isEqualTo(b + ":5: ComfyProbe default/p: metadata.name: defined twice: first at "
                    + a + ":1, again at " + b + ":2 (names are unique per kind and namespace)");
        });
        assertThat(set.resources()).hasSize(1);
    }

    @Test
    void reportsADuplicateWithinOneFile() {
        ManifestSet set = Manifests.load(dir, PROBE + "---\n" + PROBE);
        assertThat(set.errors()).singleElement().satisfies(p -> assertThat(p.message()).startsWith("defined twice"));
    }

    @Test
    void sameNameInAnotherNamespaceOrKindIsNoDuplicate() {
        ManifestSet set = Manifests.load(dir, PROBE + "---\n" + PROBE.replace("name: p", "name: p\n  namespace: other")
                + "---\napiVersion: lookout.dev/v1alpha1\nkind: GpuNode\nmetadata: {name: p}\nspec: {}\n");
        assertThat(set.errors()).isEmpty();
        assertThat(set.resources()).hasSize(3);
    }

    @Test
    void findsManifestsRecursivelySkippingHiddenAndOtherFiles() throws Exception {
        Manifests.write(dir, "one.yaml", PROBE);
        Manifests.write(dir, "deep/er/two.yml", PROBE.replace("name: p", "name: q"));
        Manifests.write(dir, ".swp/three.yaml", "not: [valid");
        Manifests.write(dir, ".four.yaml.swp", "not: [valid");
        Manifests.write(dir, "notes.txt", "not: [valid");
        ManifestSet set = Manifests.load(dir);
        assertThat(set.problems()).isEmpty();
        assertThat(set.resources()).extracting(r -> r.key().name()).containsExactly("p", "q");
    }

    @Test
    void reportsAPathThatDoesNotExist() {
        ManifestSet set = Manifests.load(dir.resolve("nope"));
        assertThat(set.errors()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("no such file or folder"));
    }

    @Test
    void reportsADocumentThatIsNotAMapping() {
        ManifestSet set = Manifests.load(dir, "- a\n- b\n");
        assertThat(set.errors()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("must be a mapping");
        });
    }

    @Test
    void appliesDefaultsFromTheContract() {
        ManifestSet set = Manifests.load(dir, PROBE);
        ComfyProbe probe = (ComfyProbe) set.resources().get(0).resource();
        assertThat(probe.getSpec().http().path()).isEqualTo("/object_info/CheckpointLoaderSimple");
        assertThat(probe.getSpec().interval()).isEqualTo("30s");
        assertThat(probe.getSpec().effectiveTimeout()).isEqualTo("15s");
        assertThat(probe.getSpec().alert().forDuration()).isEqualTo("2m");
        assertThat(probe.getSpec().alert().severity()).isEqualTo("critical");
        assertThat(probe.getMetadata().getNamespace()).isEqualTo("default");
    }

    @Test
    void yamlSyntaxErrorNamesFileAndLine() throws Exception {
        Path file = Manifests.write(dir, "broken.yaml", PROBE + "  interval: [30s\n");
        ManifestSet set = Manifests.load(file);
        assertThat(set.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.toString()).startsWith(file + ":" + p.line() + ": invalid YAML: ");
            assertThat(p.line()).isGreaterThanOrEqualTo(8);
        });
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void aBadListItemKeepsTheIndexesOfTheOthers() {
        String yaml = PROBE.replace("    - url: http://comfy:8188\n", """
                    - url: http://comfy:8188
                    - just-a-string
                    - url: ftp://comfy-3   # <-
                """);
        Problem p = assertError(dir, yaml, "ComfyProbe default/p", "spec.targets[2].url", "absolute http");
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).extracting(Problem::field).containsExactly("spec.targets[1]", "spec.targets[2].url");
        assertThat(p.line()).isEqualTo(Manifests.markedLine(yaml));
    }

    @Test
    void aValueOfTheWrongTypeIsReportedOnce() {
        ManifestSet set = Manifests.load(dir, PROBE.replace("- url: http://comfy:8188", "- url: 8188"));
        assertThat(set.errors()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.targets[0].url");
            assertThat(p.message()).isEqualTo("must be a string (quote it), not a number");
        });
    }

    @Test
    void anExplicitKeyKeepsItsLineOverAMergedOne() {
        String yaml = """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: p}
                x-defaults: &defaults
                  interval: 30s
                spec:
                  <<: *defaults
                  targets: [{url: "http://comfy:8188"}]
                  interval: often   # <-
                """;
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).filteredOn(p -> "spec.interval".equals(p.field()))
                .singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(Manifests.markedLine(yaml)));
    }

    @Test
    void documentsWithoutANameAreNotDuplicatesOfEachOther() {
        String unnamed = PROBE.replace("  name: p\n", "  labels: {a: b}\n");
        ManifestSet set = Manifests.load(dir, unnamed + "---\n" + unnamed);
        assertThat(set.errors()).extracting(Problem::message).containsExactly("required", "required");
    }

    @Test
    void resolvesYesNoAndSingleLetterBooleansLikeKubectl() {
        ManifestSet set = Manifests.load(dir, PROBE + "  http:\n    followRedirects: n\n    tls: {insecureSkipVerify: yes}\n");
        assertThat(set.errors()).isEmpty();
        ComfyProbe probe = (ComfyProbe) set.resources().get(0).resource();
        assertThat(probe.getSpec().http().followRedirects()).isFalse();
        assertThat(probe.getSpec().http().tls().insecureSkipVerify()).isTrue();
    }
}
