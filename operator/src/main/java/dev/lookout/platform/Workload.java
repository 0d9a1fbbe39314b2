package dev.lookout.platform;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a kind wants running for one resource, in no platform's terms: a Docker platform makes it a container, a
 * Kubernetes platform a DaemonSet or Deployment with a Service. Where it runs (which network, what is published,
 * the ownership labels) is the platform's business; what it is, is the kind's.
 *
 * @param name     the workload's name on its platform (container name; object name on Kubernetes)
 * @param args     arguments after the image's entrypoint; empty keeps the image's own
 * @param labels   the user's labels (ownership labels are the platform's)
 * @param hostname the hostname inside the workload (exporters put it on their series); null: the platform's
 * @param ports    TCP ports it serves; each is reported back as an {@link Endpoint} once it runs
 * @param gpus     the GPUs it needs; null for none
 * @param files    files placed in it before it starts
 */
public record Workload(String name, String image, List<String> args, Map<String, String> env, Map<String, String> labels,
                       String hostname, List<Integer> ports, GpuRequest gpus, List<String> capabilities, List<WorkloadFile> files) {
    public Workload {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        ports = ports == null ? List.of() : List.copyOf(ports);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * GPUs for the workload: all of the host's, or some by index or UUID.
     *
     * @param all       every GPU of the host ({@code --gpus all})
     * @param deviceIds indexes ("0", "1") or UUIDs when not {@code all}
     */
    public record GpuRequest(boolean all, List<String> deviceIds) {
        public GpuRequest {
            deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
        }
    }

    /** A file placed in the workload before it starts (no host path is needed, so Lookout may run anywhere). */
    public record WorkloadFile(String path, byte[] content, int mode) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WorkloadFile f && f.path.equals(path) && Arrays.equals(f.content, content) && f.mode == mode;
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return path + " (" + content.length + " bytes, mode " + Integer.toOctalString(mode) + ")";
        }
    }
}
