package dev.lookout.nginx;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;

/**
 * NginxVtsTarget's reconciler, until its platform work exists: the scrape job and alerts are rendered, and the
 * status says where Prometheus scrapes, but the VTS image is not built and no nginx container is run, so the
 * resource is {@code Ready=False, reason: NotImplemented} rather than claiming an nginx that Lookout did not start.
 */
public final class NginxVtsReconciler implements Reconciler<NginxVtsTarget> {
    static final String NOT_IMPLEMENTED = "NotImplemented";

    @Override
    public ReconcileResult reconcile(NginxVtsTarget resource, ObjectKey key) {
        NginxVtsTargetStatus status = new NginxVtsTargetStatus();
        String endpoint = NginxVtsOutputs.scrapeEndpoint(resource.getSpec(), key);
        status.setScrapeEndpoint(endpoint);
        return ReconcileResult.status(status).blocked(NOT_IMPLEMENTED, "building the VTS image and running its nginx "
                + "container on Docker host " + resource.getSpec().host() + " is not built yet; the scrape job (" + endpoint
                + ") and the alerts are rendered, so an nginx with VTS that you run there under that name is scraped");
    }
}
