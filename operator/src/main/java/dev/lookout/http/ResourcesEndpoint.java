package dev.lookout.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code /api/v1/resources}: the catalog's objects as a kubectl-style {@code List}, sorted by kind,
 * namespace and name, filtered by {@code kind}, {@code namespace} and {@code name}; and
 * {@code /api/v1/resources/KIND/NAMESPACE/NAME} for one object. Kinds are matched as kubectl matches
 * them (kind, plural, singular or short name, see {@link ResourceKind#isNamedBy}).
 */
final class ResourcesEndpoint {
    static final String PATH = "/api/v1/resources";
    private static final Set<String> PARAMETERS = new TreeSet<>(Set.of("kind", "namespace", "name"));
    private static final Comparator<JsonNode> ORDER = Comparator
            .comparing((JsonNode o) -> o.path("kind").asText())
            .thenComparing(o -> o.path("metadata").path("namespace").asText())
            .thenComparing(o -> o.path("metadata").path("name").asText());

    private final ResourceCatalog catalog;
    private final ResourceKinds kinds;

    ResourcesEndpoint(ResourceCatalog catalog, ResourceKinds kinds) {
        this.catalog = catalog;
        this.kinds = kinds;
    }

    HttpReply handle(HttpRequest request) {
        if (request.path().equals(PATH) || request.path().equals(PATH + "/")) {
            return list(request.query());
        }
        String[] parts = request.path().substring(PATH.length() + 1).split("/", -1);
        if (parts.length != 3 || List.of(parts).contains("")) {
            return HttpReply.error(404, "no such path " + request.path() + " (use " + PATH + "/KIND/NAMESPACE/NAME)");
        }
        return one(parts[0], parts[1], parts[2]);
    }

    private HttpReply list(Map<String, String> query) {
        Optional<String> unknown = query.keySet().stream().filter(k -> !PARAMETERS.contains(k)).sorted().findFirst();
        if (unknown.isPresent()) {
            return HttpReply.error(400, "unknown parameter \"" + unknown.get() + "\" (known: " + String.join(", ", PARAMETERS) + ")");
        }
        Predicate<JsonNode> filter = o -> true;
        String kind = query.get("kind");
        if (kind != null) {
            Optional<ResourceKind> resolved = kinds.resolve(kind);
            if (resolved.isEmpty()) {
                return HttpReply.error(400, kinds.unknownKind(kind));
            }
            filter = filter.and(o -> o.path("kind").asText().equals(resolved.get().name()));
        }
        filter = filter.and(field("namespace", query.get("namespace"))).and(field("name", query.get("name")));
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "List");
        ArrayNode items = list.putArray("items");
        catalog.resources().stream().filter(filter).sorted(ORDER).forEach(items::add);
        return HttpReply.json(200, list);
    }

    private static Predicate<JsonNode> field(String metadataField, String wanted) {
        return wanted == null ? o -> true : o -> o.path("metadata").path(metadataField).asText().equals(wanted);
    }

    private HttpReply one(String kind, String namespace, String name) {
        Optional<ResourceKind> resolved = kinds.resolve(kind);
        if (resolved.isEmpty()) {
            return HttpReply.error(404, kinds.unknownKind(kind));
        }
        ResourceKind k = resolved.get();
        return catalog.resources().stream()
                .filter(o -> o.path("kind").asText().equals(k.name()))
                .filter(field("namespace", namespace))
                .filter(field("name", name))
                .findFirst()
                .map(o -> HttpReply.json(200, o))
                .orElseGet(() -> HttpReply.error(404, k.plural() + " \"" + name + "\" not found in namespace \"" + namespace + "\""));
    }
}
