package dev.lookout.nginx;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;
import dev.lookout.kind.ResourceInputs;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * NginxVtsTarget: nginx-module-vts compiled against exactly the base image's nginx ({@link ModuleImage}), nginx.conf and
 * the htpasswd rendered from the spec ({@link NginxConf}, {@link Htpasswd}), and the container run where Prometheus
 * scrapes it ({@link NginxWorkload}). Ready means the container runs (and its scrape job is live in Prometheus).
 */
public final class NginxVtsReconciler implements Reconciler<NginxVtsTarget> {
    static final Duration SOURCE_RECHECK = Duration.ofMinutes(10);

    private final Workloads workloads;
    private final ResourceInputs inputs;
    /** The module's source by where it is (a path, a URL); read once per content change of the resource. */
    private final Function<String, Map<String, byte[]>> sources;
    private final String nginxSourceUrl;
    private final String exporterImage;
    private final OperatorConfig config;
    private final Map<ObjectKey, Htpassword> htpasswds = new java.util.concurrent.ConcurrentHashMap<>();

    /** The last htpasswd line made for a password: kept while the password is the same (a new salt is a new file). */
    private record Htpassword(String user, byte[] password, String line) {
    }

    /**
     * @param sources        reads a module's source from a path or a URL ({@link ModuleSource#read}); throws when it cannot
     * @param nginxSourceUrl where a non-Debian nginx's source is fetched, {@code %s} the version
     * @param exporterImage  nginx-vts-exporter's image, for exporter.mode sidecar
     * @param config         where Prometheus scrapes what runs on each host (for the status's scrape endpoint)
     */
    public NginxVtsReconciler(Workloads workloads, ResourceInputs inputs, Function<String, Map<String, byte[]>> sources,
                              String nginxSourceUrl, String exporterImage, OperatorConfig config) {
        this.workloads = workloads;
        this.inputs = inputs;
        this.sources = sources;
        this.nginxSourceUrl = nginxSourceUrl;
        this.exporterImage = exporterImage;
        this.config = config;
    }

    @Override
    public ReconcileResult reconcile(NginxVtsTarget target, ObjectKey key) {
        NginxVtsTargetSpec spec = target.getSpec();
        NginxVtsTargetStatus status = new NginxVtsTargetStatus();
        status.setScrapeEndpoint(NginxVtsOutputs.scrapeEndpoint(spec, key, config));
        Path folder = inputs.manifestFile(key).map(f -> f.toAbsolutePath().getParent()).orElse(null);
        Workload.ImageBuild build = null;
        if (spec.image().prebuilt() == null) {
            if (spec.image().vtsSource() == null) {
                return ReconcileResult.status(status).blocked("VtsSourceMissing", "spec.image.vtsSource is not set: Lookout "
                        + "downloads nothing it was not told to. Set it to nginx-module-vts's release tarball (such as "
                        + "https://github.com/vozlt/nginx-module-vts/archive/refs/tags/v" + spec.image().vtsVersion() + ".tar.gz)"
                        + " or a copy of it next to this file");
            }
            Map<String, byte[]> source;
            try {
                source = sources.apply(where(spec.image().vtsSource(), folder));
            } catch (RuntimeException e) {
                return ReconcileResult.status(status).blocked("VtsSourceUnavailable", "spec.image.vtsSource "
                        + spec.image().vtsSource() + ": " + e.getMessage()).requeueAfter(SOURCE_RECHECK);
            }
            build = ModuleImage.build(spec.image().repository(), spec.image().baseImage(), NginxConf.VTS_MODULE, source,
                    "vts-" + spec.image().vtsVersion(), nginxSourceUrl);
        }
        NginxWorkload.Inputs files;
        try {
            files = new NginxWorkload.Inputs(build, htpasswd(spec, key), tlsFile(spec, key, folder, true),
                    tlsFile(spec, key, folder, false), includes(spec, folder), exporterImage);
        } catch (IOException | IllegalStateException e) {
            return ReconcileResult.status(status).blocked("InputsUnreadable", e.getMessage());
        }
        WorkloadState state = workloads.apply(key, spec.host(), NginxWorkload.of(spec, key, files));
        if (state instanceof WorkloadState.Planned) {
            return ReconcileResult.status(status);
        }
        if (state instanceof WorkloadState.Blocked blocked) {
            String reason = switch (blocked.reason()) {
                case "ConfigRejected" -> "NginxConfigRejected";
                case "ConfigNotApplied" -> "NginxReloadFailed";
                default -> blocked.reason();
            };
            return ReconcileResult.status(status).blocked(reason, blocked.message()).requeueAfter(blocked.lookAgain());
        }
        if (state instanceof WorkloadState.Starting starting) {
            status.setContainerId(starting.id());
            status.setContainerState(starting.state());
            return ReconcileResult.status(status).blocked("NginxNotRunning", starting.message()).requeueAfter(starting.lookAgain());
        }
        WorkloadState.Running running = (WorkloadState.Running) state;
        status.setContainerId(running.id());
        status.setContainerState(running.state());
        status.setImageTag(running.image());
        if (build != null) {
            status.setVtsVersion(spec.image().vtsVersion());
        }
        if (running.built() != null) {
            status.setImageId(running.built().id());
            status.setNginxVersion(ModuleImage.nginxVersion(running.built().description()));
            if (running.built().buildTime() != null) {
                status.setLastBuildDuration(running.built().buildTime().toSeconds() + "s");
            }
        }
        return ReconcileResult.status(status);
    }

    /** A local path relative to the manifest's folder (or absolute), or a URL as it is. */
    private static String where(String source, Path folder) {
        if (source.startsWith("http://") || source.startsWith("https://") || source.startsWith("/") || folder == null) {
            return source;
        }
        return folder.resolve(source).normalize().toString();
    }

    /** The htpasswd file: the same line while the password is the same, a new one (new salt) when it changes. */
    private byte[] htpasswd(NginxVtsTargetSpec spec, ObjectKey key) {
        if (spec.status().basicAuth() == null) {
            htpasswds.remove(key);
            return null;
        }
        var auth = spec.status().basicAuth();
        byte[] password = inputs.secretValue(key.namespace(), auth.passwordSecretRef().name(), auth.passwordSecretRef().key())
                .orElseThrow(() -> new IllegalStateException("Secret " + key.namespace() + "/" + auth.passwordSecretRef().name()
                        + " has no key " + auth.passwordSecretRef().key()));
        Htpassword kept = htpasswds.get(key);
        if (kept == null || !kept.user().equals(auth.username()) || !java.util.Arrays.equals(kept.password(), password)) {
            kept = new Htpassword(auth.username(), password, Htpasswd.line(auth.username(), password));
            htpasswds.put(key, kept);
        }
        return kept.line().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] tlsFile(NginxVtsTargetSpec spec, ObjectKey key, Path folder, boolean certificate) throws IOException {
        NginxTls tls = spec.listen().tls();
        if (tls == null) {
            return null;
        }
        if (tls.secretRef() != null) {
            String name = certificate ? "tls.crt" : "tls.key";
            return inputs.secretValue(key.namespace(), tls.secretRef().name(), name).orElseThrow(() -> new IllegalStateException(
                    "Secret " + key.namespace() + "/" + tls.secretRef().name() + " has no key " + name));
        }
        return read(folder, certificate ? tls.certificateFile() : tls.keyFile());
    }

    private static Map<String, byte[]> includes(NginxVtsTargetSpec spec, Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (String include : spec.includes()) {
            files.put(NginxConf.includeName(include), read(folder, include));
        }
        return files;
    }

    private static byte[] read(Path folder, String relative) throws IOException {
        Path file = Optional.ofNullable(folder).map(f -> f.resolve(relative)).orElse(Path.of(relative));
        return Files.readAllBytes(file);
    }

    @Override
    public void cleanup(ObjectKey key) {
        htpasswds.remove(key);
        workloads.remove(key);
    }
}
