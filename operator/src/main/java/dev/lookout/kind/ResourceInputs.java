package dev.lookout.kind;

import dev.lookout.api.ObjectKey;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a reconciler may read besides its resource: the file its manifest came from (paths in a spec are relative to
 * it: includes, certificates, a module's source) and the values of the Secrets it names. A changed Secret requeues
 * the resources that read it, so a value read here is never stale for long.
 */
public interface ResourceInputs {
    /** The manifest file of {@code key}; empty where resources come from no file (Kubernetes). */
    Optional<Path> manifestFile(ObjectKey key);

    /** The value of {@code key} in the Secret {@code namespace/name}; empty when there is none. */
    Optional<byte[]> secretValue(String namespace, String name, String key);

    /** No files, no Secrets. */
    ResourceInputs NONE = new ResourceInputs() {
        @Override
        public Optional<Path> manifestFile(ObjectKey key) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> secretValue(String namespace, String name, String key) {
            return Optional.empty();
        }
    };
}
