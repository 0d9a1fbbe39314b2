package dev.lookout.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Points at one key of a {@code v1/Secret} in the resource's own namespace. */
public record SecretKeyRef(
        @JsonPropertyDescription("Name of a v1 Secret in the same namespace.") String name,
        @JsonPropertyDescription("Key inside that Secret's data or stringData.") String key) {
}
