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
 * @param build    how to build its image where the platform can (then {@code image} names the base); null: run
 *                 {@code image} as it is
 * @param publish  ports also published on the host, as the user asked ({@code listen.publish})
 * @param live     configuration it reloads in place (nginx.conf, an htpasswd): a change is checked, copied in and
 *                 reloaded rather than recreating it; null: none
 * @param sidecars programs that run beside it in its network (they reach it on 127.0.0.1, and their ports are among
 *                 {@code ports}): a Kubernetes pod's second container, a Docker container in the first one's network
 */
public record Workload(String name, String image, List<String> args, Map<String, String> env, Map<String, String> labels,
                       String hostname, List<Integer> ports, GpuRequest gpus, List<String> capabilities, List<WorkloadFile> files,
                       ImageBuild build, List<Publish> publish, LiveConfig live, List<Sidecar> sidecars) {
    /** A workload that runs a given image and publishes nothing itself. */
    public Workload(String name, String image, List<String> args, Map<String, String> env, Map<String, String> labels,
                    String hostname, List<Integer> ports, GpuRequest gpus, List<String> capabilities, List<WorkloadFile> files) {
        this(name, image, args, env, labels, hostname, ports, gpus, capabilities, files, null, List.of(), null, List.of());
    }

    /** A workload without sidecars. */
    public Workload(String name, String image, List<String> args, Map<String, String> env, Map<String, String> labels,
                    String hostname, List<Integer> ports, GpuRequest gpus, List<String> capabilities, List<WorkloadFile> files,
                    ImageBuild build, List<Publish> publish, LiveConfig live) {
        this(name, image, args, env, labels, hostname, ports, gpus, capabilities, files, build, publish, live, List.of());
    }

    /** The same workload running another image (the tag a platform built for it), built no more. */
    public Workload withImage(String builtImage) {
        return new Workload(name, builtImage, args, env, labels, hostname, ports, gpus, capabilities, files, null, publish, live,
                sidecars);
    }

    /**
     * A program beside the workload, in its network: what it reaches on 127.0.0.1 is the workload, so a page the
     * workload serves on loopback only needs no password for it. It gets no files and no secrets.
     *
     * @param name its own name on the platform (container name)
     * @param env  configuration only, never a secret ({@code docker inspect} shows it)
     */
    public record Sidecar(String name, String image, List<String> args, Map<String, String> env) {
        public Sidecar {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        }
    }

    /**
     * Files the workload reads again when told, and how to tell it.
     *
     * @param check  a command that exits non-zero (saying why) when the files would not work, run against them in a
     *               throwaway copy of the workload before anything running is touched ({@code nginx -t})
     * @param reload a command run in the workload once the files are in place ({@code nginx -s reload})
     */
    public record LiveConfig(List<WorkloadFile> files, List<String> check, List<String> reload) {
        public LiveConfig {
            files = List.copyOf(files);
            check = List.copyOf(check);
            reload = List.copyOf(reload);
        }
    }

    public Workload {
        publish = publish == null ? List.of() : List.copyOf(publish);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        ports = ports == null ? List.of() : List.copyOf(ports);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        files = files == null ? List.of() : List.copyOf(files);
        sidecars = sidecars == null ? List.of() : List.copyOf(sidecars);
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

    /**
     * An image to build: a Dockerfile and its context, tagged {@code repository:<label>-<hash>} where the hash covers
     * {@code inputs} and the base image's id, so that it is built again exactly when one of them changes.
     *
     * @param baseImage the image the Dockerfile starts from (pulled when missing; its id is part of the tag)
     * @param context   the build context's files by path, the Dockerfile among them
     * @param inputs    a digest of everything else that makes the image (the Dockerfile, the sources)
     * @param label     what the tag starts with, for a person ({@code 0.2.4})
     * @param describe  a command run in the base image before a build, whose output (stdout and stderr, trimmed) the
     *                  built image keeps and the platform reports with it ({@code nginx -v}); empty for none
     */
    public record ImageBuild(String repository, String baseImage, Map<String, byte[]> context, String inputs, String label,
                             List<String> describe) {
        public ImageBuild {
            context = Collections.unmodifiableMap(new TreeMap<>(context));
            describe = describe == null ? List.of() : List.copyOf(describe);
        }

        public ImageBuild(String repository, String baseImage, Map<String, byte[]> context, String inputs, String label) {
            this(repository, baseImage, context, inputs, label, List.of());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ImageBuild b && b.repository.equals(repository) && b.baseImage.equals(baseImage)
                    && b.inputs.equals(inputs) && b.label.equals(label);
        }

        @Override
        public int hashCode() {
            return inputs.hashCode();
        }

        @Override
        public String toString() {
            return repository + " from " + baseImage + " (" + context.size() + " files, inputs " + inputs + ")";
        }
    }

    /** {@code docker run -p [hostIp:]hostPort:containerPort}; {@code hostIp} null for every interface. */
    public record Publish(String hostIp, int hostPort, int containerPort) {
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
