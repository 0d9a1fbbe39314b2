package dev.lookout.validation;

import dev.lookout.api.SecretKeyRef;
import java.util.List;

/** The semantic rules of one kind, run on its typed model after the structural checks. */
public interface KindValidator<T> {

    void validate(T resource, ProblemReporter report);

    /** The Secret keys the resource reads, so that references to missing Secrets can be reported. */
    default List<SecretUse> secretUses(T resource) {
        return List.of();
    }

    /**
     * What the resource claims that no other resource of its kind may claim, e.g. a NetworkPolicy its host (their
     * pools would contradict). Empty: nothing.
     */
    default java.util.Optional<Exclusive> exclusive(T resource) {
        return java.util.Optional.empty();
    }

    /**
     * @param field where the claim is made ({@code spec.host})
     * @param value what is claimed ({@code local})
     * @param why   why two resources may not claim it, for the message
     */
    record Exclusive(FieldPath field, String value, String why) {
    }

    /** A Secret key referenced at a field; {@code key} null means the Secret must hold {@code requiredKeys}. */
    record SecretUse(FieldPath field, SecretKeyRef ref, List<String> requiredKeys) {
        /** The use of a reference whose name and key are both given (otherwise that is reported elsewhere). */
        public static java.util.Optional<SecretUse> of(FieldPath field, SecretKeyRef ref) {
            if (ref == null || ref.name() == null || ref.name().isEmpty() || ref.key() == null || ref.key().isEmpty()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new SecretUse(field, ref, List.of(ref.key())));
        }
    }
}
