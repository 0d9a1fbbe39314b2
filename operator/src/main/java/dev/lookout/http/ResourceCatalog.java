package dev.lookout.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The resources the operator holds, with their status, as the engine last built them. The HTTP
 * endpoint and {@code lookout get} only read it, so the engine stays the one owner of status.
 *
 * <p>Each item is a Kubernetes-shaped object: {@code apiVersion: lookout.dev/v1alpha1}, {@code kind}
 * (the kind name, e.g. {@code ComfyProbe}), {@code metadata} ({@code name}, {@code namespace},
 * {@code generation}, {@code creationTimestamp} as RFC 3339, {@code annotations}), {@code spec} and
 * {@code status} ({@code observedGeneration}, {@code conditions} with a {@code Ready} condition, and
 * the kind's own fields). {@code lookout get}'s columns read {@code metadata.creationTimestamp},
 * the {@code Ready} condition's {@code status} and {@code reason}, and the fields named in the CRD's
 * additionalPrinterColumns. Callers must not modify the returned objects; the endpoint does not.
 */
public interface ResourceCatalog {
    /** A snapshot, in any order; the endpoint sorts. Called on an HTTP thread: make it cheap and thread-safe. */
    List<ObjectNode> resources();
}
