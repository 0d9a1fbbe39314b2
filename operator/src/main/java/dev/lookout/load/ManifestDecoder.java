package dev.lookout.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kind.LoadedResource;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.manifest.StructuralSchema;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.registry.KindRegistry;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.Problem;
import dev.lookout.validation.ProblemReporter;
import dev.lookout.validation.Suggestions;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one YAML document into a typed Lookout resource or a Secret, reporting every structural
 * problem (identity, metadata, unknown fields, wrong types) with its line. The semantic rules of each
 * kind run later, on the typed model.
 */
public final class ManifestDecoder {
    private static final List<String> TOP_LEVEL = List.of("apiVersion", "kind", "metadata", "spec", "status");
    /** Top-level keys of the operator configuration (lookout.yaml), which often sits next to the manifests. */
    private static final List<String> OPERATOR_CONFIG_KEYS = List.of("blackbox", "docker", "images", "prometheus");

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final KindResolver kinds = new KindResolver();
    private final Map<String, StructuralSchema> schemas = new HashMap<>();

    public ManifestDecoder() {
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            schemas.put(kind.kind(), StructuralSchema.fromClassPath(kind.crdResource()));
        }
    }

    /** What one document turned out to be, with the reporter that holds its problems. */
    public sealed interface Decoded {
        ProblemReporter report();
    }

    public record Resource(LoadedResource resource, ProblemReporter report) implements Decoded {
    }

    public record Secret(LoadedSecret secret, ProblemReporter report) implements Decoded {
    }

    /** A document that is not Lookout's (or is too broken to tell): reported, not loaded. */
    public record Skipped(ProblemReporter report) implements Decoded {
    }

    public Decoded decode(YamlDocument doc, List<Problem> sink) {
        JsonNode root = doc.root();
        if (!root.isObject()) {
            ProblemReporter report = new ProblemReporter(doc.file(), null, doc.lines()::lineOf, sink);
            report.error(FieldPath.ROOT, "document must be a mapping with apiVersion, kind, metadata and spec");
            return new Skipped(report);
        }
        if (isOperatorConfig(root)) {
            ProblemReporter report = new ProblemReporter(doc.file(), null, doc.lines()::lineOf, sink);
            report.warning(FieldPath.ROOT, "skipped: operator configuration, not a resource (pass it with --config;"
                    + " kubectl apply would reject this file)");
            return new Skipped(report);
        }
        String apiVersion = root.path("apiVersion").isTextual() ? root.get("apiVersion").asText() : "";
        String kind = root.path("kind").isTextual() ? root.get("kind").asText() : "";
        String label = (kind.isEmpty() ? "<no kind>" : kind) + " " + MetadataRules.namespace(root) + "/" + MetadataRules.name(root);
        ProblemReporter report = new ProblemReporter(doc.file(), label, doc.lines()::lineOf, sink);
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            if (apiVersion.isEmpty()) {
                report.error(FieldPath.of("apiVersion"), "required (a string such as " + KindDefinition.API_VERSION + ")");
            }
            if (kind.isEmpty()) {
                report.error(FieldPath.of("kind"), "required (a string such as ComfyProbe)");
            }
            return new Skipped(report);
        }
        KindResolver.Resolution resolution = kinds.resolve(apiVersion, kind);
        if (resolution instanceof KindResolver.Lookout l) {
            return decodeLookout(l.kind(), doc, report);
        }
        if (resolution instanceof KindResolver.Secret) {
            return decodeSecret(doc, report);
        }
        if (resolution instanceof KindResolver.Invalid invalid) {
            report.error(FieldPath.of(invalid.field()), invalid.message());
        } else if (resolution instanceof KindResolver.Foreign foreign) {
            report.warning(FieldPath.of("kind"), "ignored: " + foreign.description() + " is not a Lookout kind");
        }
        return new Skipped(report);
    }

    private static boolean isOperatorConfig(JsonNode root) {
        if (root.has("apiVersion") || root.has("kind") || root.isEmpty()) {
            return false;
        }
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            if (!OPERATOR_CONFIG_KEYS.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    private Decoded decodeLookout(KindDefinition<?> kind, YamlDocument doc, ProblemReporter report) {
        ObjectNode root = ((ObjectNode) doc.root()).deepCopy();
        root.fieldNames().forEachRemaining(f -> {
            if (!TOP_LEVEL.contains(f)) {
                report.error(FieldPath.of(f), Suggestions.unknownField(f, TOP_LEVEL));
            }
        });
        if (root.has("status")) {
            report.warning(FieldPath.of("status"), "ignored: status is written by Lookout, not read from manifests");
        }
        MetadataRules.check(root, report);
        JsonNode spec = root.get("spec");
        if (spec == null || spec.isNull()) {
            report.error(FieldPath.of("spec"), "required");
            spec = mapper.createObjectNode();
        } else if (!spec.isObject()) {
            report.error(FieldPath.of("spec"), "must be a mapping");
            spec = mapper.createObjectNode();
        }
        schemas.get(kind.kind()).check(spec, FieldPath.of("spec"), report);
        ObjectNode bindable = mapper.createObjectNode();
        bindable.put("apiVersion", KindDefinition.API_VERSION).put("kind", kind.kind());
        ObjectNode metadata = bindable.putObject("metadata");
        metadata.put("name", MetadataRules.name(root)).put("namespace", MetadataRules.namespace(root));
        bindable.set("spec", spec);
        try {
            CustomResource<?, ?> resource = mapper.treeToValue(bindable, kind.type());
            ObjectKey key = new ObjectKey(kind.kind(), MetadataRules.namespace(root), MetadataRules.name(root));
            return new Resource(new LoadedResource(kind, key, resource, doc), report);
        } catch (JsonProcessingException e) {
            // The schema walk should have caught this; say where binding failed rather than hide it.
            report.error(FieldPath.of("spec"), "cannot be read: " + e.getOriginalMessage());
            return new Skipped(report);
        }
    }

    private static Decoded decodeSecret(YamlDocument doc, ProblemReporter report) {
        MetadataRules.check(doc.root(), report);
        Map<String, byte[]> data = SecretDecoder.decode(doc.root(), report);
        ObjectKey key = new ObjectKey("Secret", MetadataRules.namespace(doc.root()), MetadataRules.name(doc.root()));
        return new Secret(new LoadedSecret(key, data, doc), report);
    }
}
