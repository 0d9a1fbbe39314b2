package dev.lookout.docker;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container Lookout wants on a host, in Docker's own terms. Reconcilers build it; {@link DockerApi#create}
 * turns it into a create request. Everything that makes a container different is in here, so that
 * {@link Ownership#specHash} over it decides whether a running container must be recreated.
 *
 * @param cmd           arguments after the image's entrypoint; empty keeps the image's CMD
 * @param network       the network the container joins (its only one), with {@code aliases}
 * @param gpus          a GPU device request (the API form of {@code --gpus}); null for none
 * @param exposedPorts  container ports (TCP) other containers on the network reach
 * @param liveFiles     files copied in like {@code files} but left out of the spec hash: the workload reloads them in
 *                      place when they change
 * @param published     container ports (TCP) published on the host: a remote host's exporter (under the same number,
 *                      as Prometheus cannot reach its containers by name), or what a user asked for
 * @param restartPolicy Docker's restart policy name: no, always, unless-stopped, on-failure
 * @param files         files copied into the container after create and before start
 */
public record ContainerSpec(String name, String image, List<String> cmd, Map<String, String> env,
                            Map<String, String> labels, String hostname, String network, List<String> aliases,
                            GpuRequest gpus, List<Integer> exposedPorts, String restartPolicy, List<String> capAdd,
                            List<ContainerFile> files, List<Published> published, List<ContainerFile> liveFiles) {
    public ContainerSpec {
        liveFiles = liveFiles == null ? List.of() : List.copyOf(liveFiles);
        published = published == null ? List.of() : List.copyOf(published);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        restartPolicy = restartPolicy == null ? "unless-stopped" : restartPolicy;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The same container with more labels (ownership and hash are added after the hash is computed). */
    public ContainerSpec withLabels(Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(labels);
        all.putAll(more);
        return new ContainerSpec(name, image, cmd, env, all, hostname, network, aliases, gpus, exposedPorts,
                restartPolicy, capAdd, files, published, liveFiles);
    }

    /** {@code -p [hostIp:]hostPort:containerPort}/tcp; {@code hostIp} null for every interface. */
    public record Published(String hostIp, int hostPort, int containerPort) {
    }

    /** A container that publishes nothing on its host. */
    public ContainerSpec(String name, String image, List<String> cmd, Map<String, String> env, Map<String, String> labels,
                         String hostname, String network, List<String> aliases, GpuRequest gpus, List<Integer> exposedPorts,
                         String restartPolicy, List<String> capAdd, List<ContainerFile> files) {
        this(name, image, cmd, env, labels, hostname, network, aliases, gpus, exposedPorts, restartPolicy, capAdd, files, List.of(),
                List.of());
    }

    /**
     * A GPU device request: Docker's {@code DeviceRequests} entry with driver {@code nvidia}.
     *
     * @param count     -1 for all GPUs, else ignored when {@code deviceIds} is set
     * @param deviceIds indexes ("0", "1") or UUIDs; empty means {@code count}
     */
    public record GpuRequest(String driver, int count, List<String> deviceIds, List<String> capabilities) {
        public GpuRequest {
            deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
            capabilities = capabilities == null ? List.of("gpu") : List.copyOf(capabilities);
        }
    }

    /** A file placed in the container before it starts (no host path is needed, so Lookout may run anywhere). */
    public record ContainerFile(String path, byte[] content, int mode) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ContainerFile f && f.path.equals(path) && java.util.Arrays.equals(f.content, content)
                    && f.mode == mode;
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + java.util.Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return path + " (" + content.length + " bytes, mode " + Integer.toOctalString(mode) + ")";
        }
    }
}
