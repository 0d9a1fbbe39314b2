package dev.lookout.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.kind.KindDefinition;
import dev.lookout.manifest.CrdResources;
import dev.lookout.registry.KindRegistry;
import dev.lookout.validation.Suggestions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The four kinds, their names and printer columns read from the committed CRDs in the jar: the CRD is
 * what kubectl shows on a cluster, so {@code lookout get} and {@code /api/v1/resources} accept the same
 * names and show the same columns without a second list to keep in step.
 */
public final class ResourceKinds {
    private final List<ResourceKind> kinds;

    private ResourceKinds(List<ResourceKind> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    /** Reads the CRDs of every kind of the registry from the class path. */
    public static ResourceKinds fromCrds() {
        List<ResourceKind> kinds = new ArrayList<>();
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            kinds.add(fromCrd(kind, CrdResources.read(kind.crdResource())));
        }
        kinds.sort(Comparator.comparing(ResourceKind::plural));
        return new ResourceKinds(kinds);
    }

    private static ResourceKind fromCrd(KindDefinition<?> kind, JsonNode crd) {
        JsonNode names = crd.path("spec").path("names");
        List<String> shortNames = new ArrayList<>();
        names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
        List<PrinterColumn> columns = new ArrayList<>();
        for (JsonNode c : crd.path("spec").path("versions").path(0).path("additionalPrinterColumns")) {
            columns.add(new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
                    c.path("jsonPath").asText(), c.path("priority").asInt(0)));
        }
        return new ResourceKind(kind, names.path("kind").asText(), names.path("plural").asText(),
                names.path("singular").asText(), shortNames, columns);
    }

    /** Sorted by plural. */
    public List<ResourceKind> all() {
        return kinds;
    }

    /** The kind {@code given} names (see {@link ResourceKind#isNamedBy}). */
    public Optional<ResourceKind> resolve(String given) {
        return kinds.stream().filter(k -> k.isNamedBy(given)).findFirst();
    }

    /**
     * {@code unknown kind "probes" (did you mean comfyprobes? known: comfyprobes, gpunodes, networkpolicies
     * (dnp), nginxvtstargets)}: the one wording for the endpoint and the CLI.
     */
    public String unknownKind(String given) {
        List<String> names = kinds.stream().flatMap(ResourceKind::names).map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
        String hint = Suggestions.closest(given, names).map(s -> "did you mean " + s + "? ").orElse("");
        String known = kinds.stream()
                .map(k -> k.plural() + (k.shortNames().isEmpty() ? "" : " (" + String.join(", ", k.shortNames()) + ")"))
                .collect(Collectors.joining(", "));
        return "unknown kind \"" + given + "\" (" + hint + "known: " + known + ")";
    }
}
