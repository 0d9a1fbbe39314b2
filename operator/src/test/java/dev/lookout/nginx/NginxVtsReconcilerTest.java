package dev.lookout.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.ResourceInputs;
import dev.lookout.platform.Workload;
import dev.lookout.testing.FakeWorkloads;
import dev.lookout.testing.Manifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** NginxVtsTarget's reconciler against the workloads seam in memory, on the examples' edge. */
class NginxVtsReconcilerTest {
    static final Map<String, byte[]> MODULE = Map.of("config", "ngx_addon_name=ngx_http_vhost_traffic_status_module\n"
            .getBytes(StandardCharsets.UTF_8));

    final FakeWorkloads workloads = new FakeWorkloads();
    final Map<String, byte[]> secrets = new HashMap<>(Map.of("nginx-status/password", "change-me-nginx".getBytes(StandardCharsets.UTF_8)));
    final ResourceInputs inputs = new ResourceInputs() {
        @Override
        public Optional<Path> manifestFile(ObjectKey key) {
            return Optional.of(Manifests.EXAMPLES.resolve("nginx.yaml"));
        }

        @Override
        public Optional<byte[]> secretValue(String namespace, String name, String key) {
            return Optional.ofNullable(secrets.get(name + "/" + key));
        }
    };
    final List<String> read = new java.util.ArrayList<>();
    final NginxVtsReconciler reconciler = new NginxVtsReconciler(workloads, inputs, where -> {
        read.add(where);
        return MODULE;
    }, ModuleImage.NGINX_SOURCE_URL, "registry.example/nginx-vts-exporter:v0.10.7", dev.lookout.config.OperatorConfig.defaults());

    ReconcileResult reconcile(LoadedResource r) {
        return reconciler.reconcile((NginxVtsTarget) r.resource(), r.key());
    }

    @Test
    void withoutAVtsSourceNothingIsBuiltOrDownloadedAndItSaysWhatToSet() {
        ReconcileResult result = reconcile(edgeFromExamples());
        assertThat(result.blocked().reason()).isEqualTo("VtsSourceMissing");
        assertThat(result.blocked().message()).contains("v0.2.4.tar.gz");
        assertThat(workloads.changes()).isEmpty();
        assertThat(read).isEmpty();
    }

    LoadedResource edgeFromExamples() {
        return Manifests.load(Manifests.EXAMPLES).resources().stream().filter(r -> r.resource() instanceof NginxVtsTarget)
                .findFirst().orElseThrow();
    }

    @Test
    void theWorkloadHasTheBuildTheConfigTheHashedPasswordTlsIncludesAndThePublishedPort() {
        LoadedResource edge = edgeFromExamples();
        NginxVtsTarget target = (NginxVtsTarget) edge.resource();
        NginxVtsTarget withSource = withVtsSource(target, "nginx-module-vts-0.2.4.tar.gz");
        ReconcileResult result = reconciler.reconcile(withSource, edge.key());

        assertThat(read).containsExactly(Manifests.EXAMPLES.resolve("nginx-module-vts-0.2.4.tar.gz").toAbsolutePath().normalize().toString());
        Workload w = workloads.placed(edge.key()).workload();
        assertThat(w.name()).isEqualTo("lookout-nginx-default_edge");
        assertThat(w.build().baseImage()).isEqualTo("nginx:1.27");
        assertThat(w.build().label()).isEqualTo("vts-0.2.4");
        assertThat(w.build().context()).containsKeys("Dockerfile", "module/config");
        assertThat(w.args()).containsExactly("nginx", "-g", "daemon off;", "-c", NginxConf.CONF);
        assertThat(w.ports()).containsExactly(443);
        assertThat(w.publish()).containsExactly(new Workload.Publish(null, 443, 443));
        Map<String, Workload.WorkloadFile> files = new HashMap<>();
        assertThat(w.files()).as("everything is live: reloaded in place").isEmpty();
        assertThat(w.live().check()).containsExactly("nginx", "-t", "-c", NginxConf.CONF);
        assertThat(w.live().reload()).as("the reload, then proof that nginx took it").startsWith("sh", "-c");
        assertThat(w.live().reload().get(2)).contains("nginx -s reload -c " + NginxConf.CONF, "nginx: worker process");
        assertThat(w.sidecars()).as("native mode: Prometheus reads VTS itself").isEmpty();
        w.live().files().forEach(f -> files.put(f.path(), f));
        assertThat(files).containsOnlyKeys(NginxConf.CONF, NginxConf.HTPASSWD, NginxConf.CERTIFICATE, NginxConf.KEY,
                NginxConf.INCLUDES + "proxy_common.conf");
        String htpasswd = new String(files.get(NginxConf.HTPASSWD).content(), StandardCharsets.UTF_8);
        assertThat(Htpasswd.matches(htpasswd, "admin", "change-me-nginx".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(w.toString() + w.env() + w.labels()).doesNotContain("change-me-nginx");
        assertThat(files.get(NginxConf.KEY).mode()).isEqualTo(0600);
        assertThat(result.blocked()).isNull();
        assertThat(((NginxVtsTargetStatus) result.status()).getImageTag()).isEqualTo("nginx:1.27"); // the fake runs the base
        assertThat(((NginxVtsTargetStatus) result.status()).getNginxVersion()).as("nothing claimed that was not reported").isNull();
        assertThat(w.build().describe()).as("the base says its nginx version before the build").containsExactly("sh", "-c", "nginx -v 2>&1");

        reconciler.reconcile(withSource, edge.key());
        assertThat(workloads.changes()).as("the same password keeps the same htpasswd: nothing changes").hasSize(1);
        secrets.put("nginx-status/password", "rotated".getBytes(StandardCharsets.UTF_8));
        reconciler.reconcile(withSource, edge.key());
        String rotated = new String(workloads.placed(edge.key()).workload().live().files().stream()
                .filter(f -> f.path().equals(NginxConf.HTPASSWD)).findFirst().orElseThrow().content(), StandardCharsets.UTF_8);
        assertThat(Htpasswd.matches(rotated, "admin", "rotated".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void theStatusSaysWhatThePlatformReportsOfTheBuiltImage() {
        LoadedResource edge = edgeFromExamples();
        NginxVtsTarget target = withVtsSource((NginxVtsTarget) edge.resource(), "nginx-module-vts-0.2.4.tar.gz");
        workloads.builtImage = new dev.lookout.platform.WorkloadState.BuiltImage("sha256:0123", java.time.Duration.ofMillis(41_700),
                "nginx version: nginx/1.27.3");
        NginxVtsTargetStatus status = (NginxVtsTargetStatus) reconciler.reconcile(target, edge.key()).status();

        assertThat(status.getImageId()).isEqualTo("sha256:0123");
        assertThat(status.getNginxVersion()).isEqualTo("1.27.3");
        assertThat(status.getLastBuildDuration()).isEqualTo("41s");
        assertThat(status.getVtsVersion()).isEqualTo("0.2.4");
    }

    @Test
    void sidecarModeRunsTheExporterInNginxsNetworkWithAPasswordFreeLoopbackUri() {
        LoadedResource edge = edgeFromExamples();
        NginxVtsTarget target = withVtsSource((NginxVtsTarget) edge.resource(), "nginx-module-vts-0.2.4.tar.gz");
        NginxVtsTargetSpec s = target.getSpec();
        NginxVtsTarget sidecar = copy(target, new NginxVtsTargetSpec(s.host(), s.image(), s.listen(), s.includes(), s.status(),
                new VtsExporter(ExporterMode.SIDECAR), s.scrape(), s.alerts()));
        ReconcileResult result = reconciler.reconcile(sidecar, edge.key());

        assertThat(result.blocked()).isNull();
        Workload w = workloads.placed(edge.key()).workload();
        assertThat(w.ports()).as("the exporter's port is nginx's: they share a network").containsExactly(443, 9913);
        assertThat(w.sidecars()).singleElement().satisfies(exporter -> {
            assertThat(exporter.name()).isEqualTo("lookout-nginx-vts-exporter-default_edge");
            assertThat(exporter.image()).isEqualTo("registry.example/nginx-vts-exporter:v0.10.7");
            assertThat(exporter.env()).containsEntry("NGINX_STATUS", "http://127.0.0.1:9912/status/format/json");
            assertThat(exporter.toString()).doesNotContain("change-me-nginx", "admin");
        });
        String conf = new String(w.live().files().stream().filter(f -> f.path().equals(NginxConf.CONF)).findFirst().orElseThrow()
                .content(), StandardCharsets.UTF_8);
        assertThat(conf).contains("listen 127.0.0.1:9912;", "vhost_traffic_status_display_format json;");
        assertThat(((NginxVtsTargetStatus) result.status()).getScrapeEndpoint())
                .isEqualTo("http://lookout-nginx-default_edge:9913/metrics");
    }

    static NginxVtsTarget withVtsSource(NginxVtsTarget target, String source) {
        NginxVtsTargetSpec s = target.getSpec();
        NginxImage i = s.image();
        return copy(target, new NginxVtsTargetSpec(s.host(), new NginxImage(i.repository(), i.baseImage(), i.vtsVersion(), source,
                i.prebuilt()), s.listen(), s.includes(), s.status(), s.exporter(), s.scrape(), s.alerts()));
    }

    static NginxVtsTarget copy(NginxVtsTarget target, NginxVtsTargetSpec spec) {
        NginxVtsTarget copy = new NginxVtsTarget();
        copy.setMetadata(target.getMetadata());
        copy.setSpec(spec);
        return copy;
    }
}
