package dev.lookout.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.registry.KindRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceKindsTest {
    private final ResourceKinds kinds = ResourceKinds.fromCrds();

    @Test
    void readsTheNamesOfEveryKindFromItsCrd() {
        assertThat(kinds.all()).extracting(ResourceKind::plural)
                .containsExactly("comfyprobes", "gpunodes", "networkpolicies", "nginxvtstargets");
        ResourceKind dnp = kinds.resolve("dnp").orElseThrow();
        assertThat(dnp.kind()).isEqualTo(KindRegistry.NETWORK_POLICY);
        assertThat(dnp.name()).isEqualTo("NetworkPolicy");
        assertThat(dnp.singular()).isEqualTo("networkpolicy");
        assertThat(dnp.shortNames()).containsExactly("dnp");
    }

    @Test
    void resolvesKindPluralSingularShortAndQualifiedNamesInAnyCase() {
        for (String name : new String[] {"NginxVtsTarget", "nginxvtstargets", "nginxvtstarget", "NGINXVTSTARGETS",
            "nginxvtstargets.lookout.dev"}) {
            assertThat(kinds.resolve(name)).as(name).map(ResourceKind::name).hasValue("NginxVtsTarget");
        }
        assertThat(kinds.resolve("networkpolicies.networking.k8s.io")).isEmpty();
        assertThat(kinds.resolve("pods")).isEmpty();
    }

    @Test
    void readsThePrinterColumnsInCrdOrder() {
        assertThat(kinds.resolve("comfyprobes").orElseThrow().columns()).containsExactly(
                new PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", 0),
                new PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", 0),
                new PrinterColumn("Targets", "integer", ".status.targetCount", 0),
                new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0));
    }

    /** kubectl shows the columns in the CRD's order; CrdsOnApiServerTest checks what it prints. */
    @Test
    void everyKindListsReadyAndReasonFirstAndAgeLast() {
        for (ResourceKind kind : kinds.all()) {
            List<String> names = kind.columns().stream().map(PrinterColumn::name).toList();
            assertThat(names).as(kind.plural()).hasSizeGreaterThan(3).startsWith("Ready", "Reason").endsWith("Age");
        }
    }

    @Test
    void anUnknownKindSuggestsTheClosestAndListsTheKnown() {
        assertThat(kinds.unknownKind("gpunods")).isEqualTo(
                "unknown kind \"gpunods\" (did you mean gpunode? known: comfyprobes, gpunodes, networkpolicies (dnp), nginxvtstargets)");
    }
}
