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

    /** A Secret key referenced at a field; {@code key} null means the Secret must hold {@code requiredKeys}. */
    record SecretUse(FieldPath field, SecretKeyRef ref, List<String> requiredKeys) {
        public static SecretUse of(FieldPath field, SecretKeyRef ref) {
            return new SecretUse(field, ref, List.of(ref.key()));
        }
    }
}
