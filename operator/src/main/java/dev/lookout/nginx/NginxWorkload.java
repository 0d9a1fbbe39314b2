package dev.lookout.nginx;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import dev.lookout.prometheus.JobNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The nginx workload of an NginxVtsTarget, in no platform's terms: the built image, nginx.conf, the htpasswd, the TLS
 * files and the user's includes as live files placed in it (a change is checked and reloaded in place) (so that no password travels in an environment variable or a
 * label, where {@code docker inspect} would show it), its port and the publishing the user asked for.
 */
public final class NginxWorkload {
    /** The role in the container name: where Prometheus scrapes it on the shared network. */
    public static final String ROLE = "nginx";

    private NginxWorkload() {
    }

    /** What the workload is made of besides the spec: the files read for it. */
    public record Inputs(Workload.ImageBuild build, byte[] htpasswd, byte[] certificate, byte[] key, Map<String, byte[]> includes) {
    }

    public static String name(ObjectKey key) {
        return JobNames.container(ROLE, key);
    }

    public static Workload of(NginxVtsTargetSpec spec, ObjectKey key, Inputs inputs) {
        int port = spec.listen().effectivePort();
        List<Workload.WorkloadFile> files = new ArrayList<>();
        files.add(new Workload.WorkloadFile(NginxConf.CONF, NginxConf.render(spec, key).getBytes(StandardCharsets.UTF_8), 0644));
        if (inputs.htpasswd() != null) {
            // Read by nginx's worker processes (not root): a hash, never the password.
            files.add(new Workload.WorkloadFile(NginxConf.HTPASSWD, inputs.htpasswd(), 0644));
        }
        if (inputs.certificate() != null) {
            files.add(new Workload.WorkloadFile(NginxConf.CERTIFICATE, inputs.certificate(), 0644));
            files.add(new Workload.WorkloadFile(NginxConf.KEY, inputs.key(), 0600)); // read by the master, as root
        }
        inputs.includes().forEach((name, bytes) -> files.add(new Workload.WorkloadFile(NginxConf.INCLUDES + name, bytes, 0444)));
        List<Workload.Publish> publish = new ArrayList<>();
        if (spec.listen().publish() != null) {
            PublishSpec.parse(spec.listen().publish()).spec().ifPresent(p -> publish.add(new Workload.Publish(
                    p.hostIp() == null ? null : p.hostIp().replaceAll("^\\[|\\]$", ""), p.hostPort(),
                    p.containerPort() == null ? port : p.containerPort())));
        }
        String image = spec.image().prebuilt() != null ? spec.image().prebuilt() : spec.image().baseImage();
        // Every file is reloadable: a new htpasswd, certificate or include is checked (nginx -t in a throwaway container),
        // copied in and reloaded, without recreating the container that serves.
        Workload.LiveConfig live = new Workload.LiveConfig(files, List.of("nginx", "-t", "-c", NginxConf.CONF),
                List.of("nginx", "-s", "reload", "-c", NginxConf.CONF));
        return new Workload(name(key), image, List.of("nginx", "-g", "daemon off;", "-c", NginxConf.CONF), Map.of(), Map.of(),
                null, List.of(port), null, List.of(), List.of(), spec.image().prebuilt() != null ? null : inputs.build(), publish,
                live);
    }
}
