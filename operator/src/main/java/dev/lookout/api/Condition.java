package dev.lookout.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of {@code status.conditions[]}, shaped like Kubernetes' metav1.Condition so that
 * {@code kubectl wait --for=condition=Ready} works on Lookout's resources.
 *
 * @param status             {@code True}, {@code False} or {@code Unknown}
 * @param reason             CamelCase, machine-readable
 * @param lastTransitionTime RFC 3339; changes only when {@code status} changes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(String type, String status, String reason, String message, String lastTransitionTime) {
    public static final String READY = "Ready";
}
