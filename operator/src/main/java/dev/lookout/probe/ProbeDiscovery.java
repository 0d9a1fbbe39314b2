package dev.lookout.probe;

public record ProbeDiscovery(DockerDiscovery docker, KubernetesDiscovery kubernetes) {
}
