package dev.lookout.cli;

import static dev.lookout.testing.StatusObjects.resource;
import static dev.lookout.testing.StatusObjects.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.http.PrinterColumn;
import dev.lookout.http.ResourceKind;
import dev.lookout.registry.KindRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final ResourceKind KIND = new ResourceKind(KindRegistry.GPU_NODE, "GpuNode", "gpunodes", "gpunode", List.of(), List.of(
            new PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", 0),
            new PrinterColumn("Host", "string", ".spec.host", 0),
            new PrinterColumn("Gpus", "string", ".spec.gpus", 1),
            new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0)));
    private static final List<JsonNode> ITEMS = List.of(
            with(with(resource("GpuNode", "default", "g", NOW.minusSeconds(7), "True", "Ok"), "spec.host", "h"), "spec.gpus", "all"));

    @Test
    void keepsTheCrdsColumnOrderAsKubectlDoes() {
        ResourceKind ageFirst = new ResourceKind(KindRegistry.GPU_NODE, "GpuNode", "gpunodes", "gpunode", List.of(),
                List.of(KIND.columns().get(3), KIND.columns().get(1), KIND.columns().get(0)));
        assertThat(new StatusTable(ageFirst, false, false).render(ITEMS, NOW)).isEqualTo("""
                NAME   AGE   HOST   READY
                g      7s    h      True
                """);
    }

    @Test
    void wideAddsTheColumnsOfHigherPriority() {
        assertThat(new StatusTable(KIND, false, false).render(ITEMS, NOW)).isEqualTo("""
                NAME   READY   HOST   AGE
                g      True    h      7s
                """);
        assertThat(new StatusTable(KIND, false, true).render(ITEMS, NOW)).isEqualTo("""
                NAME   READY   HOST   GPUS   AGE
                g      True    h      all    7s
                """);
    }

    @Test
    void aBadTimestampReadsInvalidAndAMissingValueIsBlank() {
        JsonNode odd = with(resource("GpuNode", "default", "g", NOW, null, null), "metadata.creationTimestamp", "yesterday");
        assertThat(new StatusTable(KIND, false, false).render(List.of(odd), NOW)).isEqualTo("""
                NAME   READY   HOST   AGE
                g                     <invalid>
                """);
    }
}
