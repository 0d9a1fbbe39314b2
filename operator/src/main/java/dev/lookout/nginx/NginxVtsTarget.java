package dev.lookout.nginx;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** Nginx built with the VTS module, its status page scraped by Prometheus. */
@Group("lookout.dev")
@Version("v1alpha1")
@Plural("nginxvtstargets")
@Kind("NginxVtsTarget")
public class NginxVtsTarget extends CustomResource<NginxVtsTargetSpec, NginxVtsTargetStatus> implements Namespaced {
}
