package dev.lookout.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nginx", "nginx:1.27", "lookout/nginx-vts", "nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04",
            "registry.local:5000/team/nginx:1.27", "localhost/x:1", "a_b/c__d/e-f:v1",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void acceptsDockerReferences(String ref) {
        assertThat(ImageReference.parse(ref)).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Nginx:1.27", "lookout/Nginx", "nginx:", ":1.27", "nginx:1.27 ", "nginx;rm", "a//b", "-nginx",
            "nginx:-tag", "nginx@sha256:short"})
    void rejectsEverythingElse(String ref) {
        assertThat(ImageReference.parse(ref)).isEmpty();
    }

    @Test
    void separatesRegistryFromDockerHubNamespace() {
        assertThat(ImageReference.parse("lookout/nginx-vts:1").orElseThrow())
                .isEqualTo(new ImageReference(null, "lookout/nginx-vts", "1", null));
        assertThat(ImageReference.parse("registry.local:5000/nginx").orElseThrow())
                .isEqualTo(new ImageReference("registry.local:5000", "nginx", null, null));
    }

    @Test
    void latestOrNoTagIsNotPinned() {
        assertThat(ImageReference.parse("nginx").orElseThrow().pinned()).isFalse();
        assertThat(ImageReference.parse("nginx:latest").orElseThrow().pinned()).isFalse();
        assertThat(ImageReference.parse("nginx:1.27").orElseThrow().pinned()).isTrue();
    }
}
