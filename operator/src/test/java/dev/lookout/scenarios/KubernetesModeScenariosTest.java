package dev.lookout.scenarios;

import dev.lookout.engine.Engine;
import dev.lookout.kubernetes.KubernetesOperator;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.runtime.OperatorCore;
import dev.lookout.testing.CrdApiServer;
import dev.lookout.testing.Manifests;
import java.net.InetSocketAddress;

/**
 * {@link ReconcileScenarios} in Kubernetes mode: a resource is applied with kubectl to a real API server for custom
 * resources ({@link CrdApiServer}) and deleted with kubectl.
 */
class KubernetesModeScenariosTest extends ReconcileScenarios {
    private CrdApiServer server;
    private KubernetesOperator lookout;

    @Override
    protected int startLookout() throws Exception {
        server = CrdApiServer.start();
        server.succeeded(server.kubectl("apply", "-f", Manifests.REPO.resolve("crds").toString()));
        server.succeeded(server.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"));
        OperatorCore.Parts parts = new OperatorCore.Parts(config, null, folders.out(), tmp.resolve("state"),
                new InetSocketAddress("127.0.0.1", 0), null, true, true, new PrometheusRenderer()::render,
                Engine.Settings.DEFAULT, dev.lookout.docker.DockerSettings.defaults());
        lookout = KubernetesOperator.start(new KubernetesOperator.Options(parts, server.kubeconfig()));
        return lookout.httpPort();
    }

    @Override
    protected void stopLookout() throws Exception {
        dev.lookout.testing.Cleanup.quietly(lookout, server);
    }

    @Override
    protected void apply(String name, String yaml) {
        server.succeeded(server.apply(yaml));
    }

    @Override
    protected void delete(String name) {
        server.succeeded(server.kubectl("delete", "comfyprobe", name, "--wait=true", "--timeout=30s"));
    }
}
