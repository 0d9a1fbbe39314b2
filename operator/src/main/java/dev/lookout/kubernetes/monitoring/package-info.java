/**
 * {@code prometheus.mode: operator} (docs/kubernetes.md): each resource's outputs as prometheus-operator's objects in
 * its namespace (a Probe per static blackbox target group, a ScrapeConfig for any other scrape job, a PrometheusRule
 * for its alerts) and the blackbox modules as a ConfigMap and a Secret that blackbox mounts. {@link
 * dev.lookout.kubernetes.monitoring.MonitoringObjects} computes them from the render, {@link
 * dev.lookout.kubernetes.monitoring.MonitoringPublisher} makes the cluster hold them. The typed model is fabric8's
 * {@code openshift-model-monitoring}, generated from prometheus-operator's CRDs and released with the client Lookout uses.
 */
package dev.lookout.kubernetes.monitoring;
