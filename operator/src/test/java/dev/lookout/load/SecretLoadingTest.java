package dev.lookout.load;

import static dev.lookout.testing.Manifests.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.testing.Manifests;
import dev.lookout.validation.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretLoadingTest {
    private static final String VALUE = "s3cr3t-Value-NEVER-printed";
    private static final String PROBE_WITH_AUTH = """
            apiVersion: lookout.dev/v1alpha1
            kind: ComfyProbe
            metadata: {name: p}
            spec:
              targets: [{url: "http://comfy:8188"}]
              http:
                basicAuth:
                  username: admin
                  passwordSecretRef: {name: comfy-pass, key: password}
            """;

    @TempDir
    Path dir;

    @Test
    void decodesDataAndStringDataWithStringDataWinning() {
        String b64 = java.util.Base64.getEncoder().encodeToString("from-data".getBytes(StandardCharsets.UTF_8));
        ManifestSet set = Manifests.assertValid(dir, """
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                data:
                  a: %s
                  b: %s
                stringData:
                  b: from-stringData
                """.formatted(b64, b64));
        LoadedSecret secret = set.secrets().get(new ObjectKey("Secret", "default", "s"));
        assertThat(new String(secret.value("a"), StandardCharsets.UTF_8)).isEqualTo("from-data");
        assertThat(new String(secret.value("b"), StandardCharsets.UTF_8)).isEqualTo("from-stringData");
        assertThat(secret.toString()).isEqualTo("Secret default/s (keys: a, b)");
    }

    @Test
    void rejectsInvalidBase64WithoutPrintingTheValue() {
        Problem p = assertError(dir, """
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                data:
                  password: %s!   # <-
                """.formatted(VALUE), "Secret default/s", "data.password", "not valid base64");
        assertThat(p.toString()).doesNotContain(VALUE);
    }

    @Test
    void rejectsANonStringValueInStringData() {
        assertError(dir, """
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                stringData:
                  pin: 1234   # <-
                """, "Secret default/s", "stringData.pin", "must be a string (quote it)");
    }

    @Test
    void rejectsUnknownSecretFields() {
        assertError(dir, """
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                stringdata:   # <-
                  a: b
                """, "Secret default/s", "stringdata", "did you mean stringData?");
    }

    @Test
    void reportsAReferenceToAMissingSecret() {
        String yaml = PROBE_WITH_AUTH.replace("passwordSecretRef: {name: comfy-pass, key: password}",
                "passwordSecretRef: {name: comfy-pass, key: password}   # <-");
        assertError(dir, yaml, "ComfyProbe default/p", "spec.http.basicAuth.passwordSecretRef.name",
                "names no Secret default/comfy-pass");
    }

    @Test
    void reportsAMissingKeyNamingTheKeysButNoValues() {
        String yaml = PROBE_WITH_AUTH.replace("passwordSecretRef: {name: comfy-pass, key: password}",
                "passwordSecretRef: {name: comfy-pass, key: password}   # <-")
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: comfy-pass}\nstringData: {pass: " + VALUE + "}\n";
        Problem p = assertError(dir, yaml, "ComfyProbe default/p", "spec.http.basicAuth.passwordSecretRef.key",
                "Secret default/comfy-pass has no key \"password\" (its keys: pass)");
        assertThat(p.toString()).doesNotContain(VALUE);
    }

    @Test
    void aSecretInAnotherNamespaceDoesNotCount() {
        String yaml = PROBE_WITH_AUTH.replace("passwordSecretRef: {name: comfy-pass, key: password}",
                "passwordSecretRef: {name: comfy-pass, key: password}   # <-")
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: comfy-pass, namespace: other}\nstringData: {password: x}\n";
        assertError(dir, yaml, "ComfyProbe default/p", "spec.http.basicAuth.passwordSecretRef.name", "names no Secret default/comfy-pass");
    }

    @Test
    void noMessageEverContainsASecretValue() {
        String yaml = PROBE_WITH_AUTH.replace("username: admin", "username: \"ad:min\"")
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: comfy-pass}\nstringData: {password: " + VALUE + "}\n"
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: comfy-pass}\ndata: {password: \"" + VALUE + "\"}\n";
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(set.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain(VALUE));
    }
}
