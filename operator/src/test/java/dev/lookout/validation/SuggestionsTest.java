package dev.lookout.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> FIELDS = List.of("bodyMustMatch", "basicAuth", "method", "path", "tls");

    @Test
    void suggestsTheClosestWithinAFewEdits() {
        assertThat(Suggestions.closest("bodyMustMach", FIELDS)).contains("bodyMustMatch");
        assertThat(Suggestions.closest("BasicAuth", FIELDS)).contains("basicAuth");
        assertThat(Suggestions.closest("pth", FIELDS)).contains("path");
    }

    @Test
    void countsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestions.distance("sepc", "spec")).isEqualTo(1);
        assertThat(Suggestions.closest("sepc", List.of("spec", "status"))).contains("spec");
    }

    @Test
    void suggestsNothingForUnrelatedNames() {
        assertThat(Suggestions.closest("replicas", FIELDS)).isEmpty();
        assertThat(Suggestions.closest("x", FIELDS)).isEmpty();
    }
}
