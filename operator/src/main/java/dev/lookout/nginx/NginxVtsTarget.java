package dev.lookout.nginx;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.exporter.mode")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NginxVtsTarget extends CustomResource<NginxVtsTargetSpec, NginxVtsTargetStatus> implements Namespaced {
}
