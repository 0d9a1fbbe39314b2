package dev.lookout.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** HTTP basic auth whose password lives in a Secret, never inline. */
public record BasicAuth(
        @JsonPropertyDescription("User name; may not contain a colon.") @Pattern(Patterns.USERNAME) String username,
        @JsonPropertyDescription("Secret key holding the password.") SecretKeyRef passwordSecretRef) {
}
