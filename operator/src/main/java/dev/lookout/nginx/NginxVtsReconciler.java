package dev.lookout.nginx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.engine.ReconcileResult;
import dev.lookout.engine.Reconciler;
import dev.lookout.load.ObjectKey;

/**
 * NginxVtsTarget's reconciler. In directory mode without a Docker platform its effect is its scrape job and
 * alerts; it reports where Prometheus scrapes it. Building the image and running the container come with
 * the Docker platform.
 */
public final class NginxVtsReconciler implements Reconciler<NginxVtsTarget> {
    @Override
    public ReconcileResult reconcile(NginxVtsTarget resource, ObjectKey key) {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("scrapeEndpoint", NginxVtsOutputs.scrapeEndpoint(resource.getSpec(), key));
        return ReconcileResult.status(status);
    }
}
