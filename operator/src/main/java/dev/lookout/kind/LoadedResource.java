package dev.lookout.kind;

import dev.lookout.api.ObjectKey;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.RenderContext;
import dev.lookout.validation.KindValidator;
import dev.lookout.validation.ProblemReporter;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Optional;

/**
 * A Lookout resource bound to its typed model, with its kind and the document it came from. The methods call the
 * kind's own parts with the model as the kind's type, so that callers never switch over kinds.
 */
public record LoadedResource(KindDefinition<?> kind, ObjectKey key, CustomResource<?, ?> resource, YamlDocument source) {
    public void validate(ProblemReporter report) {
        validate(kind, report);
    }

    /** The Secret keys it reads. */
    public List<KindValidator.SecretUse> secretUses() {
        return secretUses(kind);
    }

    /** What it claims that no other resource of its kind may claim (a host, say). */
    public Optional<KindValidator.Exclusive> exclusive() {
        return exclusive(kind);
    }

    /** What it adds to the shared Prometheus outputs. */
    public KindOutputs outputs(RenderContext context) {
        return outputs(kind, context);
    }

    /** Whether it reads the Secret {@code secret} (a changed Secret requeues it). */
    public boolean reads(ObjectKey secret) {
        return secret.namespace().equals(key.namespace())
                && secretUses().stream().anyMatch(use -> use.ref().name().equals(secret.name()));
    }

    private <R extends CustomResource<?, ?>> void validate(KindDefinition<R> k, ProblemReporter report) {
        k.validator().validate(k.cast(resource), report);
    }

    private <R extends CustomResource<?, ?>> List<KindValidator.SecretUse> secretUses(KindDefinition<R> k) {
        return k.validator().secretUses(k.cast(resource));
    }

    private <R extends CustomResource<?, ?>> Optional<KindValidator.Exclusive> exclusive(KindDefinition<R> k) {
        return k.validator().exclusive(k.cast(resource));
    }

    private <R extends CustomResource<?, ?>> KindOutputs outputs(KindDefinition<R> k, RenderContext context) {
        return k.outputs().render(k.cast(resource), key, context);
    }
}
