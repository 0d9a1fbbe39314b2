/**
 * The platform seam ({@link dev.lookout.platform}) on a Kubernetes cluster (docs/kubernetes-platform.md): workloads as
 * DaemonSets or Deployments with their Service, ConfigMap and Secret in the owner's namespace, instances as pods by
 * label selector. It only talks to the API server; watching and requeueing are the controller layer's
 * ({@code dev.lookout.kubernetes}), which also supplies the owner references ({@link
 * dev.lookout.kubernetes.platform.OwnerReferences}).
 */
package dev.lookout.kubernetes.platform;
