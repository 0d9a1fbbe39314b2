package dev.lookout.probe;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** Is each ComfyUI instance alive (blackbox probe), and how often did it restart. */
@Group("lookout.dev")
@Version("v1alpha1")
@Plural("comfyprobes")
@Kind("ComfyProbe")
public class ComfyProbe extends CustomResource<ComfyProbeSpec, ComfyProbeStatus> implements Namespaced {
}
