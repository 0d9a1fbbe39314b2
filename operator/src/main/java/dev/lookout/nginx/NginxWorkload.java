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

    /** lookout.yaml's {@code images} key for nginx-vts-exporter (exporter.mode sidecar). */
    public static final String EXPORTER_ROLE = "nginx-vts-exporter";
    /** The exporter's last release, configured (like its image's entrypoint wants) by environment variables. */
    public static final String EXPORTER_IMAGE = "sophos/nginx-vts-exporter:v0.10.7";

    /**
     * What the workload is made of besides the spec: the files read for it.
     *
     * @param exporterImage nginx-vts-exporter's image (exporter.mode sidecar)
     */
    public record Inputs(Workload.ImageBuild build, byte[] htpasswd, byte[] certificate, byte[] key, Map<String, byte[]> includes,
                         String exporterImage) {
    }

    /** The exporter's container name (exporter.mode sidecar). */
    public static String exporterName(ObjectKey key) {
        return JobNames.container(EXPORTER_ROLE, key);
    }

    /**
     * {@code nginx -s reload}, then proof that it took: its exit status only says the signal was sent, and a master that
     * cannot apply the new configuration (a port taken, a certificate unreadable at that moment) logs it and keeps its
     * old workers. The new configuration serves every new connection once a worker exists that did not before and none
     * of the old ones still accepts (an old worker retitles itself "is shutting down" as it closes its listening
     * sockets). {@code sh} and {@code /proc} are in every nginx image (Debian's and Alpine's); nothing else is assumed.
     */
    public static final List<String> RELOAD = List.of("sh", "-c", """
            workers() { for d in /proc/[0-9]*; do
                case "$(tr '\\000' ' ' < "$d/cmdline" 2>/dev/null | sed 's/ *$//')" in "nginx: worker process") echo "${d#/proc/}";; esac
              done; }
            before=" $(workers | tr '\\n' ' ')"
            nginx -s reload -c %s || exit 1
            i=0
            while [ $i -lt 250 ]; do
              fresh=no; stale=no
              for pid in $(workers); do case "$before" in *" $pid "*) stale=yes;; *) fresh=yes;; esac; done
              [ $fresh = yes ] && [ $stale = no ] && exit 0
              i=$((i + 1)); sleep 0.02
            done
            if [ $fresh = no ]; then
              echo "nginx kept its old workers 5 s after the reload signal: it did not apply the new configuration" >&2
            else
              echo "nginx started new workers, but old ones still accept connections 5 s after the reload signal" >&2
            fi
            exit 1
            """.formatted(NginxConf.CONF));

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
        Workload.LiveConfig live = new Workload.LiveConfig(files, List.of("nginx", "-t", "-c", NginxConf.CONF), RELOAD);
        List<Integer> ports = new ArrayList<>(List.of(port));
        List<Workload.Sidecar> sidecars = new ArrayList<>();
        if (spec.exporter().mode() == ExporterMode.SIDECAR) {
            // In nginx's network: it reads the loopback-only status server, so its URI carries no password.
            ports.add(NginxVtsOutputs.SIDECAR_PORT);
            sidecars.add(new Workload.Sidecar(exporterName(key), inputs.exporterImage(), List.of(), Map.of(
                    "NGINX_STATUS", NginxConf.LOOPBACK_STATUS_URI, "METRICS_ADDR", ":" + NginxVtsOutputs.SIDECAR_PORT)));
        }
        return new Workload(name(key), image, List.of("nginx", "-g", "daemon off;", "-c", NginxConf.CONF), Map.of(), Map.of(),
                null, ports, null, List.of(), List.of(), spec.image().prebuilt() != null ? null : inputs.build(), publish,
                live, sidecars);
    }
}
