package dev.lookout.kubernetes;

import dev.lookout.api.ObjectKey;
import dev.lookout.engine.Engine;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's Secrets, watched so that a changed one requeues the resources that read it (a rotated status-page
 * password reaches the htpasswd and Prometheus's password file without touching the resource). Secrets of the kinds
 * no Lookout resource can mean are left out server-side, as prometheus-operator does by default: service-account
 * tokens, registry credentials and Helm's release records are most of a cluster's Secrets, and large.
 */
final class SecretWatch {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SecretWatch.class);
    /** Secret types never read: {@code type!=…} field selectors. */
    static final List<String> IGNORED_TYPES = List.of("kubernetes.io/service-account-token", "kubernetes.io/dockercfg",
            "kubernetes.io/dockerconfigjson", "helm.sh/release.v1");
    /** A first list that takes longer than this is an API server Lookout cannot work with: start fails, saying so. */
    private static final long SYNC_SECONDS = 60;

    private SecretWatch() {
    }

    /**
     * Starts the informer and waits for its first list; its store then holds every Secret it watches. Empty when the API
     * server serves no Secrets at all (404: an API server for custom resources alone, such as apiextensions-apiserver):
     * resources that reference one are then told it is missing, as they would be for any absent Secret.
     */
    static List<SharedIndexInformer<Secret>> start(KubernetesClient client, ClusterResources resources, Engine engine,
                                                   java.util.Set<String> namespaces) {
        if (!servesSecrets(client, namespaces)) {
            LOG.warn("{} serves no Secrets (no core API): resources that reference a Secret will say it is missing",
                    client.getMasterUrl());
            return List.of();
        }
        if (namespaces.isEmpty()) {
            return List.of(start(client.secrets().inAnyNamespace(), resources, engine));
        }
        // One informer per watched namespace: a role in each is all it needs, as for the resources themselves.
        List<SharedIndexInformer<Secret>> informers = new java.util.ArrayList<>();
        try {
            for (String namespace : new java.util.TreeSet<>(namespaces)) {
                informers.add(start(client.secrets().inNamespace(namespace), resources, engine));
            }
        } catch (RuntimeException e) {
            informers.forEach(SharedIndexInformer::close);
            throw e;
        }
        return informers;
    }

    private static SharedIndexInformer<Secret> start(io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<Secret,
            io.fabric8.kubernetes.api.model.SecretList, io.fabric8.kubernetes.client.dsl.Resource<Secret>> secrets,
                                                     ClusterResources resources, Engine engine) {
        for (String type : IGNORED_TYPES) {
            secrets = secrets.withoutField("type", type);
        }
        SharedIndexInformer<Secret> informer = secrets.inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                requeue(engine, resources.putSecret(secret));
            }

            @Override
            public void onUpdate(Secret before, Secret now) {
                requeue(engine, resources.putSecret(now));
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                requeue(engine, resources.removeSecret(ClusterResources.secretKey(secret)));
            }
        }, 0);
        try {
            informer.start().toCompletableFuture().get(SYNC_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            informer.close();
            throw new IllegalStateException("interrupted while listing Secrets", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            informer.close();
            throw new IllegalStateException("cannot list and watch Secrets (Lookout reads the ones its resources reference; "
                    + "its role needs get, list and watch on secrets): " + e.getMessage(), e);
        }
        return informer;
    }

    /** False only for a 404 on the Secrets collection; any other failure (403: RBAC) is the informer's to report. */
    private static boolean servesSecrets(KubernetesClient client, java.util.Set<String> namespaces) {
        try {
            // A list, not a get: a get of an absent Secret is a 404 on any cluster (fabric8 answers null).
            var options = new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build();
            if (namespaces.isEmpty()) {
                client.secrets().inAnyNamespace().list(options);
            } else {
                client.secrets().inNamespace(namespaces.iterator().next()).list(options);
            }
            return true;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            return e.getCode() != 404;
        }
    }

    private static void requeue(Engine engine, Set<ObjectKey> keys) {
        keys.forEach(engine::requeue);
    }
}
