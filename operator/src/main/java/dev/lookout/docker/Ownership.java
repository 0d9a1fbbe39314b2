package dev.lookout.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lookout.api.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The labels that say what Lookout created, for whom, and from which spec. Lookout only ever changes or removes
 * a container that carries {@code app.kubernetes.io/managed-by=lookout}; the owner label ties it to one resource,
 * and the spec hash decides whether it must be recreated (any other difference is left alone).
 */
public final class Ownership {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LOOKOUT = "lookout";
    public static final String OWNER = "lookout.dev/owner";
    public static final String SPEC_HASH = "lookout.dev/spec-hash";
    /** Which Lookout created it (lookout.yaml's {@code lookout.instance}): another instance's containers are not ours. */
    public static final String INSTANCE = "lookout.dev/instance";
    /** The owner label of a short-lived helper container (a config check, a build's base probe): no resource declares it. */
    public static final String HELPER_PREFIX = "helper.";

    // Sorted keys and properties, empty values left out: the same spec always gives the same bytes, and a field
    // added to ContainerSpec later (empty for existing resources) does not change every hash, which would
    // recreate every container on upgrade.
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            .build();

    private Ownership() {
    }

    /** {@code <kind>.<namespace>.<name>}, kind in lower case: {@code gpunode.default.gpu-node-01}. */
    public static String owner(ObjectKey key) {
        return key.kind().toLowerCase(Locale.ROOT) + "." + key.namespace() + "." + key.name();
    }

    /** The label filter that finds everything {@code key} owns (as created by {@code instance}). */
    public static Map<String, String> ownedBy(String instance, ObjectKey key) {
        return Map.of(MANAGED_BY, LOOKOUT, INSTANCE, instance, OWNER, owner(key));
    }

    /** The label filter that finds everything {@code instance} manages on a host. */
    public static Map<String, String> managed(String instance) {
        return Map.of(MANAGED_BY, LOOKOUT, INSTANCE, instance);
    }

    /** {@code spec} with the ownership labels and the hash of everything else in it. */
    public static ContainerSpec stamp(ContainerSpec spec, String instance, ObjectKey owner) {
        Map<String, String> labels = new TreeMap<>(ownedBy(instance, owner));
        labels.put(SPEC_HASH, specHash(spec));
        return spec.withLabels(labels);
    }

    /** First 16 hex digits of the SHA-256 of the spec's canonical JSON (ownership labels left out). */
    public static String specHash(ContainerSpec spec) {
        Map<String, String> labels = new TreeMap<>(spec.labels());
        labels.keySet().removeAll(java.util.List.of(MANAGED_BY, INSTANCE, OWNER, SPEC_HASH));
        ContainerSpec bare = new ContainerSpec(spec.name(), spec.image(), spec.cmd(), spec.env(), labels, spec.hostname(),
                spec.network(), spec.aliases(), spec.gpus(), spec.exposedPorts(), spec.restartPolicy(), spec.capAdd(),
                spec.files(), spec.published(), List.of()); // live files are reloaded in place, not a new container
        try {
            byte[] json = CANONICAL.writeValueAsString(bare).getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash container spec " + spec.name(), e);
        }
    }

    /** The owner label of a container Lookout manages; empty for anything else. */
    public static Optional<String> ownerOf(ContainerInfo container) {
        if (!LOOKOUT.equals(container.label(MANAGED_BY))) {
            return Optional.empty();
        }
        return Optional.ofNullable(container.label(OWNER));
    }
}
