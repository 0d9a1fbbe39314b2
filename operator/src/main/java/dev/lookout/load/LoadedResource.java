package dev.lookout.load;

import io.fabric8.kubernetes.client.CustomResource;

/** A Lookout resource bound to its typed model, with the document it came from. */
public record LoadedResource(LookoutKind kind, ObjectKey key, CustomResource<?, ?> resource, YamlDocument source) {
}
