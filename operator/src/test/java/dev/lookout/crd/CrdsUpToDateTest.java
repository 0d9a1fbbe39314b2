package dev.lookout.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.kind.KindDefinition;
import dev.lookout.registry.KindRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** crds/ is generated from the model and committed; this fails while it is stale. {@code make crds} refreshes it. */
class CrdsUpToDateTest {
    static final Path CRDS = dev.lookout.testing.Manifests.REPO.resolve("crds");

    @Test
    void committedCrdsMatchTheModel(@TempDir Path generated) throws IOException {
        CrdFiles.generate(generated);
        if (Boolean.getBoolean("crds.update")) {
            try (Stream<Path> files = Files.list(generated)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, CRDS.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            Path committed = CRDS.resolve(kind.crdFileName());
            assertThat(committed).as("committed CRD for %s (run `make crds`)", kind.kind()).exists();
            assertThat(Files.readString(committed))
                    .as("%s is out of date: run `make crds` and commit crds/", committed)
                    .isEqualTo(Files.readString(generated.resolve(kind.crdFileName())));
        }
        try (Stream<Path> files = Files.list(generated)) {
            assertThat(files.count()).isEqualTo(KindRegistry.ALL.size());
        }
    }

    @Test
    void committedOperatorConfigSchemaMatchesTheModel(@TempDir Path generated) throws IOException {
        Path committed = dev.lookout.testing.Manifests.REPO.resolve("operator/src/main/resources/schema")
                .resolve(dev.lookout.config.OperatorConfigDocument.SCHEMA_FILE);
        CrdFiles.generateConfigSchema(generated);
        Path fresh = generated.resolve(dev.lookout.config.OperatorConfigDocument.SCHEMA_FILE);
        if (Boolean.getBoolean("crds.update")) {
            Files.createDirectories(committed.getParent());
            Files.copy(fresh, committed, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.readString(committed)).as("%s is out of date: run `make crds`", committed)
                .isEqualTo(Files.readString(fresh));
    }

    @Test
    void networkPolicyHasShortNameDnp() throws IOException {
        assertThat(Files.readString(CRDS.resolve("networkpolicies.lookout.dev-v1.yml")))
                .contains("shortNames:\n    - \"dnp\"");
    }

    @Test
    void schemaCarriesEnumsPatternsAndRanges() throws IOException {
        String probe = Files.readString(CRDS.resolve("comfyprobes.lookout.dev-v1.yml"));
        assertThat(probe).contains("- \"GET\"", "- \"https\"", "pattern: \"^([0-9]+y)?", "maximum: 65535.0");
        String nginx = Files.readString(CRDS.resolve("nginxvtstargets.lookout.dev-v1.yml"));
        assertThat(nginx).contains("- \"native\"", "- \"sidecar\"", "default: \"/status\"");
        String network = Files.readString(CRDS.resolve("networkpolicies.lookout.dev-v1.yml"));
        assertThat(network).contains("- \"Report\"", "- \"Recreate\"", "maximum: 30.0");
        String gpu = Files.readString(CRDS.resolve("gpunodes.lookout.dev-v1.yml"));
        assertThat(gpu).contains("maximum: 100.0", "default: 9400", "exclusiveMinimum: true");
        assertThat(network).contains("minItems: 1");
        assertThat(probe).contains("minimum: 100.0", "maximum: 599.0");
    }

    @Test
    void kubectlGetShowsReadinessColumns() throws IOException {
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            assertThat(Files.readString(CRDS.resolve(kind.crdFileName())))
                    .contains("name: \"Ready\"", "name: \"Reason\"", "name: \"Age\"",
                            "jsonPath: \".status.conditions[?(@.type==\\\"Ready\\\")].status\"");
        }
    }
}
