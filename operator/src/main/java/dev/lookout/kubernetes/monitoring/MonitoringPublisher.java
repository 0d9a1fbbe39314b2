package dev.lookout.kubernetes.monitoring;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.engine.OutputPublisher;
import dev.lookout.engine.RenderSet;
import dev.lookout.kubernetes.platform.ObjectApplier;
import dev.lookout.kubernetes.platform.OwnerLabels;
import dev.lookout.kubernetes.platform.OwnerReferences;
import dev.lookout.kubernetes.platform.SpecHash;
import dev.lookout.render.PrometheusRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.monitoring.v1.Probe;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.ScrapeConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the cluster hold what {@link MonitoringObjects} computes. What was last published is remembered by spec hash
 * (the {@code lookout.dev/spec-hash} annotation), so a cycle writes only the objects whose content changed and reads
 * nothing for the others: with thousands of resources an unchanged object costs no request. The first publication
 * lists what carries this Lookout's labels, to learn those hashes and to delete what a previous run left for resources
 * that are gone.
 *
 * <p>An object the API server refuses (invalid, denied by an admission webhook, forbidden) is blamed on its resource,
 * whose other objects and every other resource's still go ahead; an API server that does not answer stops the
 * publication, which the pipeline retries.
 */
public final class MonitoringPublisher implements OutputPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPublisher.class);
    /** Removal order: what reads a Secret before the Secret. */
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(Probe.class, ScrapeConfig.class,
            PrometheusRule.class, ConfigMap.class, Secret.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final MonitoringObjects objects;
    private final OwnerReferences owners;
    private final ObjectApplier applier;
    private final Set<String> namespaces;
    /** The uid of each resource's owner reference as last published (none: published without one). */
    private volatile Map<ObjectKey, String> publishedUids = Map.of();
    /** Each object last published, by id; null until the first publication has listed the cluster. */
    private Map<Id, Live> published;

    /** What is known of an object in the cluster: the spec hash it was written with, and its owner label. */
    private record Live(String hash, String owner) {
    }

    /** An object's identity: kind, namespace and name. */
    record Id(String kind, String namespace, String name) implements Comparable<Id> {
        static Id of(HasMetadata o) {
            return new Id(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
        }

        @Override
        public int compareTo(Id o) {
            return toString().compareTo(o.toString());
        }
    }

    /**
     * @param namespace  where the operator-wide objects go
     * @param namespaces the watched namespaces, where leftovers are looked for; empty: every namespace
     */
    public MonitoringPublisher(KubernetesClient client, OperatorConfig config, String namespace, OwnerReferences owners,
                               Set<String> namespaces) {
        this.client = client;
        this.config = config;
        this.objects = new MonitoringObjects(config, namespace);
        this.owners = owners;
        this.applier = new ObjectApplier(client, MonitoringObjects.OWNER);
        this.namespaces = new TreeSet<>(namespaces);
        if (!this.namespaces.isEmpty()) {
            this.namespaces.add(namespace);
        }
    }

    /** The namespace the operator-wide objects go to when the configuration names none: Lookout's own, else default. */
    public static String defaultNamespace(KubernetesClient client) {
        String own = client.getConfiguration().getNamespace();
        return own == null || own.isBlank() ? "default" : own;
    }

    @Override
    public String userBlackboxConfig() {
        String file = config.blackbox().configFileName();
        try {
            ConfigMap live = client.configMaps().inNamespace(objects.self().namespace())
                    .withName(config.prometheus().operator().blackboxConfigMap()).get();
            return live == null || live.getData() == null ? null : live.getData().get(file);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot read the blackbox ConfigMap {}/{} ({}): Lookout's modules start from an empty configuration",
                    objects.self().namespace(), config.prometheus().operator().blackboxConfigMap(), e.getMessage());
            return null;
        }
    }

    @Override
    public boolean owed() {
        for (Map.Entry<ObjectKey, String> e : publishedUids.entrySet()) {
            if (!e.getValue().equals(uid(e.getKey()))) {
                return true; // deleted and created again: the new resource's reference must replace the old one's
            }
        }
        return false;
    }

    private String uid(ObjectKey key) {
        return owners.of(key).map(io.fabric8.kubernetes.api.model.OwnerReference::getUid).orElse("");
    }

    @Override
    public synchronized Published publish(PrometheusRenderer.Result result, RenderSet set) throws Refused, Unreachable {
        Map<ObjectKey, String> clashes = new java.util.TreeMap<>();
        Map<Id, Desired> desired = desired(result, clashes);
        try {
            if (published == null) {
                published = live();
            }
            int applied = 0;
            Set<ObjectKey> refused = new LinkedHashSet<>();
            StringBuilder why = new StringBuilder();
            clashes.forEach((owner, message) -> refuse(refused, why, owner, message));
            for (Map.Entry<Id, Desired> e : desired.entrySet()) {
                Desired d = e.getValue();
                if (refused.contains(d.owner())) {
                    continue; // its Secret was refused: its job would read a Secret that is not there
                }
                String hash = SpecHash.of(d.object());
                Live before = published.get(e.getKey());
                if (before != null && hash.equals(before.hash())) {
                    continue;
                }
                try {
                    applier.apply(d.owner(), d.object());
                    published.put(e.getKey(), new Live(hash, OwnerLabels.owner(d.owner())));
                    applied++;
                } catch (ObjectApplier.NameTaken taken) {
                    refuse(refused, why, d.owner(), taken.getMessage());
                } catch (KubernetesClientException k) {
                    if (!refusal(k)) {
                        throw k; // retried, after the whole state is listed again
                    }
                    refuse(refused, why, d.owner(), e.getKey().kind() + " " + e.getKey().namespace() + "/" + e.getKey().name()
                            + ": " + message(k));
                }
            }
            int removed = 0;
            for (Id id : new TreeSet<>(published.keySet())) {
                if (!desired.containsKey(id) && !refusedOwners(refused).contains(published.get(id).owner())) {
                    delete(id);
                    published.remove(id);
                    removed++;
                }
            }
            Map<ObjectKey, String> uids = new HashMap<>();
            result.outputs().keySet().forEach(key -> uids.put(key, uid(key)));
            publishedUids = uids;
            if (!refused.isEmpty()) {
                // Only a version not yet published can be blamed: the engine then renders the last good one. A refused
                // last good version (another object took its name since) would be refused again at once, so it waits.
                Set<ObjectKey> newest = new java.util.HashSet<>();
                set.entries().stream().filter(e -> e.newest() && e.pending()).forEach(e -> newest.add(e.key()));
                if (!newest.containsAll(refused)) {
                    throw new Unreachable("ObjectsRefused", why.toString(), null);
                }
                throw new Refused(refused, why.toString());
            }
            return new Published(applied, removed);
        } catch (KubernetesClientException e) {
            published = null; // the next try lists again: a write may or may not have happened
            // No answer (code 0, 5xx) is unreachable; an answer that blames no version (409, 404, 403) is retried too.
            throw new Unreachable(e.getCode() == 0 || e.getCode() >= 500 ? "KubernetesUnreachable" : "ObjectsNotPublished",
                    message(e), e);
        }
    }

    private record Desired(ObjectKey owner, HasMetadata object) {
    }

    /**
     * Every object wanted, by id. An id two resources would both take (names meet only by chance, see {@link
     * MonitoringObjects}) stays the first's; the second resource is put in {@code clashes} with why.
     */
    private Map<Id, Desired> desired(PrometheusRenderer.Result result, Map<ObjectKey, String> clashes) {
        Map<Id, Desired> desired = new LinkedHashMap<>();
        objects.all(result, owners::of).forEach((owner, list) -> list.forEach(o -> {
            Desired before = desired.putIfAbsent(Id.of(o), new Desired(owner, o));
            if (before != null && !before.owner().equals(owner)) {
                clashes.put(owner, o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()
                        + " is " + before.owner() + "'s name too; rename one of them");
            }
        }));
        desired.values().removeIf(d -> clashes.containsKey(d.owner()));
        return desired;
    }

    /** What carries this Lookout's labels now, with the hash it was written with. */
    private Map<Id, Live> live() {
        Map<Id, Live> live = new HashMap<>();
        Map<String, String> labels = Map.of(OwnerLabels.MANAGED_BY, OwnerLabels.LOOKOUT, MonitoringObjects.INSTANCE,
                config.lookout().instance());
        for (Class<? extends HasMetadata> kind : KINDS) {
            List<? extends HasMetadata> found = namespaces.isEmpty()
                    ? client.resources(kind).inAnyNamespace().withLabels(labels).list().getItems()
                    : namespaces.stream().flatMap(ns -> client.resources(kind).inNamespace(ns).withLabels(labels).list().getItems().stream()).toList();
            for (HasMetadata o : found) {
                Map<String, String> annotations = o.getMetadata().getAnnotations();
                live.put(Id.of(o), new Live(annotations == null ? "" : annotations.getOrDefault(OwnerLabels.SPEC_HASH, ""),
                        o.getMetadata().getLabels().getOrDefault(MonitoringObjects.OWNER, "")));
            }
        }
        return live;
    }

    private void delete(Id id) {
        Class<? extends HasMetadata> kind = KINDS.stream().filter(k -> io.fabric8.kubernetes.api.model.HasMetadata.getKind(k).equals(id.kind()))
                .findFirst().orElseThrow();
        client.resources(kind).inNamespace(id.namespace()).withName(id.name()).delete();
    }

    /** The owner labels of refused resources: their objects stay as they were, their last good version comes next. */
    private static Set<String> refusedOwners(Set<ObjectKey> refused) {
        Set<String> owners = new java.util.HashSet<>();
        refused.forEach(k -> owners.add(OwnerLabels.owner(k)));
        return owners;
    }

    private static void refuse(Set<ObjectKey> refused, StringBuilder why, ObjectKey owner, String message) {
        refused.add(owner);
        if (why.length() > 0) {
            why.append("; ");
        }
        why.append(owner).append(": ").append(message);
    }

    /**
     * The API server refused this object's content (invalid, or an admission webhook said no): what a newer version of
     * the resource can be blamed for. A conflict with another writer, an object deleted meanwhile, or a permission
     * missing are no fault of the version: those are retried.
     */
    private static boolean refusal(KubernetesClientException e) {
        int code = e.getCode();
        return code == 400 || code == 422;
    }

    private static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
