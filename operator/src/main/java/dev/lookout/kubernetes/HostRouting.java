package dev.lookout.kubernetes;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * In Kubernetes mode the kinds' work goes to one of two platforms by {@code spec.host}: a Docker host that lookout.yaml
 * names stays with the Docker platform (a compose host beside the cluster, as DESIGN.md's Kubernetes mode says),
 * anything else (a node name, or {@code "*"} for every GPU node) is the cluster's. Instances follow the query: one
 * with a host is a Docker host's containers, one without (ComfyProbe's {@code discover.kubernetes}) the cluster's pods.
 */
final class HostRouting {
    private HostRouting() {
    }

    /**
     * Leaving one platform for the other (the host was edited) removes what the resource had on the first, this run or an
     * earlier one: each way once per run, the first time the resource is placed on its new side (a restart that finds a
     * host edited while Lookout was down cleans up too). The cluster's objects also carry the resource's owner
     * reference, so Kubernetes' garbage collector removes them with the resource, even while Lookout is down: a
     * deletion asks the cluster only about what this run placed there.
     */
    static Workloads workloads(OperatorConfig config, Workloads docker, Workloads cluster) {
        Set<String> dockerHosts = dockerHosts(config);
        Set<ObjectKey> onCluster = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<ObjectKey> onDocker = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return new Workloads() {
            @Override
            public WorkloadState apply(ObjectKey owner, String host, Workload desired) {
                if (dockerHosts.contains(host)) {
                    // Non-short-circuit: both sets learn where it is now.
                    if (onDocker.add(owner) | onCluster.remove(owner)) {
                        cluster.remove(owner); // by the owner's labels: one request per kind of object, once
                    }
                    return docker.apply(owner, host, desired);
                }
                onDocker.remove(owner);
                // What it ran on a Docker host before (this run or an earlier one) goes once, when it comes to the cluster:
                // a removal lists every Docker host's containers, too much for every reconcile of a cluster workload.
                if (onCluster.add(owner)) {
                    docker.remove(owner);
                }
                return cluster.apply(owner, host, desired);
            }

            @Override
            public void remove(ObjectKey owner) {
                docker.remove(owner);
                onDocker.remove(owner);
                if (onCluster.remove(owner)) {
                    cluster.remove(owner);
                }
            }
        };
    }

    static Instances instances(Instances docker, Instances cluster) {
        return new Instances() {
            @Override
            public Found find(ObjectKey owner, InstanceQuery query) {
                return (query.host() == null ? cluster : docker).find(owner, query);
            }

            @Override
            public void forget(ObjectKey owner) {
                docker.forget(owner);
                cluster.forget(owner);
            }

            @Override
            public void restart(String host, Instance instance, Duration grace) {
                (host == null ? cluster : docker).restart(host, instance, grace);
            }
        };
    }

    private static Set<String> dockerHosts(OperatorConfig config) {
        return config.docker().hosts().stream().map(OperatorConfig.DockerHost::name).collect(Collectors.toUnmodifiableSet());
    }
}
