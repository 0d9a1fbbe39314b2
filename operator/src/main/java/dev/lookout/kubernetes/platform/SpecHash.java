package dev.lookout.kubernetes.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The digest of an object as Lookout writes it, kept in its {@code lookout.dev/spec-hash} annotation. Comparing it
 * (rather than the live object) ignores whatever the API server and other controllers add (defaults, a clusterIP,
 * status), so an object is replaced exactly when Lookout would write something else.
 */
public final class SpecHash {
    // Sorted map keys, empty values left out: the same desired object always gives the same bytes (the model's own
    // property order is fixed by its @JsonPropertyOrder).
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            .build();

    private SpecHash() {
    }

    /** First 16 hex digits of the SHA-256 of the object's canonical JSON, its own hash annotation left out. */
    public static String of(HasMetadata desired) {
        String before = desired.getMetadata().getAnnotations() == null ? null
                : desired.getMetadata().getAnnotations().remove(OwnerLabels.SPEC_HASH);
        try {
            return ObjectNames.digest(CANONICAL.writeValueAsString(desired)).substring(0, 16);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + desired.getKind() + " " + desired.getMetadata().getName(), e);
        } finally {
            if (before != null) {
                desired.getMetadata().getAnnotations().put(OwnerLabels.SPEC_HASH, before);
            }
        }
    }
}
