package dev.lookout.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.engine.ContentHash;
import dev.lookout.engine.Engine;
import dev.lookout.engine.ResourceTable;
import dev.lookout.engine.SourceSnapshot;
import dev.lookout.load.ManifestLoader;
import dev.lookout.manifest.LineIndex;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.registry.KindRegistry;
import dev.lookout.validation.KindValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kubernetes source: the newest version of every Lookout resource the API server has shown, folded into the
 * engine as one {@link SourceSnapshot} whenever one of them changes. The snapshot goes through the same
 * {@link ManifestLoader} validation as a folder's manifests, so a resource gets the same problems (field path
 * included) in both modes, and the engine renders the outputs of all resources at once, as in directory mode.
 * Each resource is validated as the document {@code apiVersion, kind, metadata (name, namespace, labels), spec}:
 * what the API server adds to metadata (uid, managedFields, annotations of kubectl) is not the user's spec.
 *
 * <p>Secrets are inputs like in a folder: the Secrets a resource references (its kind's {@code secretUses}, in its
 * namespace) go into the snapshot as {@code v1/Secret} documents, so the same loader decodes them, the same rules
 * report a missing one or a missing key, and the engine requeues every reader of one whose data changed. A Secret no
 * resource references is kept out of the snapshot (it is not Lookout's business, and it would cost every fold).
 *
 * <p>A fold validates every document, so it costs the whole set; folding once per event would make loading N resources
 * one event at a time cost N folds of up to N documents. Changes are therefore folded as a group commit: each event
 * records its change and then waits for a fold that covers it; the first waiter folds every change recorded so far, and
 * the changes recorded while that fold runs go into the next one. One event alone is folded at once, as before; a burst
 * (kubectl apply of hundreds of resources, each reconciled on its own java-operator-sdk thread) costs one fold per
 * fold-time of events. A caller returns only once its change is in the table, so its reconcile reads it.
 */
final class ClusterResources {
    private final Engine engine;
    private final ResourceTable table;
    private final PriorStatus prior;
    private final ObjectMapper mapper;
    private final ManifestLoader loader = new ManifestLoader();
    private final Map<ObjectKey, Entry> latest = new TreeMap<>();
    private final Map<ObjectKey, SecretEntry> secrets = new TreeMap<>();
    private final OwnerIndex owners;
    private boolean primed;
    /** Held while folding: one fold at a time, each of a snapshot taken after the previous one's. */
    private final Object folding = new Object();
    /** How many changes were recorded, and how many of them the last fold covered (guarded by {@code this}). */
    private long recorded;
    private long folded;
    /** The resources changed since the last fold, which their own callers reconcile (guarded by {@code this}). */
    private final Set<ObjectKey> unfolded = new HashSet<>();
    /** When the oldest change not folded yet was recorded (guarded by {@code this}; null: none). */
    private Instant unfoldedSince;
    /** Folds done (guarded by {@link #folding}). */
    private long folds;

    /**
     * One resource as validated: its document, the hash of that document, its {@code metadata.generation} and the
     * Secrets it reads.
     */
    private record Entry(YamlDocument document, String hash, long generation, Set<ObjectKey> reads) {
    }

    /** A Secret as the API server has it: its document for the loader, and its data (base64) to compare. */
    private record SecretEntry(YamlDocument document, Map<String, String> data) {
    }

    ClusterResources(Engine engine, ResourceTable table, PriorStatus prior, ObjectMapper mapper, OwnerIndex owners) {
        this.owners = owners;
        this.engine = engine;
        this.table = table;
        this.prior = prior;
        this.mapper = mapper;
    }

    static ObjectKey key(HasMetadata resource) {
        String namespace = resource.getMetadata().getNamespace();
        return new ObjectKey(resource.getKind(), namespace == null ? ObjectKey.DEFAULT_NAMESPACE : namespace,
                resource.getMetadata().getName());
    }

    /** Every resource at start (one list per kind): one snapshot, so that no output is rendered from a partial set. */
    void prime(Collection<? extends CustomResource<?, ?>> resources, Collection<Secret> secrets) {
        long change;
        synchronized (this) {
            for (CustomResource<?, ?> resource : resources) {
                remember(resource);
            }
            for (Secret secret : secrets) {
                rememberSecret(secret); // folded below, once
            }
            primed = true;
            change = record(null);
        }
        foldThrough(change);
    }

    /**
     * A resource as the API server has it now, folded in when this returns. Returns the keys whose state changed, other
     * than those whose own events are being handled (their callers reconcile them): empty when only its status or
     * metadata outside the spec changed (nothing to fold in), or when another caller's fold took this change in.
     */
    Set<ObjectKey> put(CustomResource<?, ?> resource) {
        long change;
        synchronized (this) {
            ObjectKey key = key(resource);
            Entry before = latest.get(key);
            Entry now = remember(resource);
            // Unchanged, unless a fold that should have taken it failed (then it is still among the unfolded).
            if (before != null && before.hash().equals(now.hash()) && table.tracks(key) && !unfolded.contains(key)) {
                return Set.of();
            }
            change = record(key);
        }
        return foldThrough(change);
    }

    /** The resource is gone (deleted, or its finalizer is being handled); as {@link #put}, folded when this returns. */
    Set<ObjectKey> remove(ObjectKey key) {
        long change;
        synchronized (this) {
            owners.remove(key);
            prior.forget(key); // one recreated under the same name starts with no status: it must be written again
            if (latest.remove(key) == null && !table.tracks(key)) {
                return Set.of();
            }
            change = record(key);
        }
        return foldThrough(change);
    }

    /** A Secret as the API server has it now; the keys to requeue (empty when no resource reads it or nothing changed). */
    Set<ObjectKey> putSecret(Secret secret) {
        long change;
        synchronized (this) {
            if (!rememberSecret(secret)) {
                return Set.of();
            }
            change = record(null);
        }
        return foldThrough(change);
    }

    /** Remembers {@code secret}; true when that changes what a fold would see (primed, read, data changed). */
    private boolean rememberSecret(Secret secret) {
        ObjectKey key = secretKey(secret);
        Map<String, String> data = secret.getData() == null ? Map.of() : new TreeMap<>(secret.getData());
        ObjectNode root = mapper.createObjectNode();
        root.put("apiVersion", "v1");
        root.put("kind", "Secret");
        root.putObject("metadata").put("name", key.name()).put("namespace", key.namespace());
        root.set("data", mapper.valueToTree(data));
        Path where = Path.of("namespaces", key.namespace(), "secrets", key.name());
        SecretEntry before = secrets.put(key, new SecretEntry(new YamlDocument(where, 0, root, new LineIndex(1, Map.of())), data));
        return primed && (before == null || !before.data().equals(data)) && read(key);
    }

    /** The Secret is gone: its readers say so (a missing Secret is a problem), or keep their last good version. */
    Set<ObjectKey> removeSecret(ObjectKey key) {
        long change;
        synchronized (this) {
            if (secrets.remove(key) == null || !read(key)) {
                return Set.of();
            }
            change = record(null);
        }
        return foldThrough(change);
    }

    /** How many folds there were (tests: a burst of events is folded in fewer). */
    long folds() {
        synchronized (folding) {
            return folds;
        }
    }

    static ObjectKey secretKey(Secret secret) {
        String namespace = secret.getMetadata().getNamespace();
        return new ObjectKey("Secret", namespace == null ? ObjectKey.DEFAULT_NAMESPACE : namespace, secret.getMetadata().getName());
    }

    private boolean read(ObjectKey secret) {
        return latest.values().stream().anyMatch(e -> e.reads().contains(secret));
    }

    /** The Secrets {@code resource} references, by the rules its kind's validator states. */
    private static Set<ObjectKey> reads(CustomResource<?, ?> resource, ObjectKey key) {
        if (resource.getSpec() == null) {
            return Set.of();
        }
        Set<ObjectKey> keys = new java.util.TreeSet<>();
        KindRegistry.byKind(key.kind()).ifPresent(kind -> uses(kind, resource)
                .forEach(use -> keys.add(new ObjectKey("Secret", key.namespace(), use.ref().name()))));
        return keys;
    }

    private static <R extends CustomResource<?, ?>> List<KindValidator.SecretUse> uses(dev.lookout.kind.KindDefinition<R> kind,
                                                                                        CustomResource<?, ?> resource) {
        return kind.validator().secretUses(kind.type().cast(resource));
    }

    private Entry remember(CustomResource<?, ?> resource) {
        ObjectKey key = key(resource);
        owners.put(key, resource);
        ObjectNode root = mapper.createObjectNode();
        root.put("apiVersion", resource.getApiVersion());
        root.put("kind", resource.getKind());
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("name", key.name());
        metadata.put("namespace", key.namespace());
        if (resource.getMetadata().getLabels() != null && !resource.getMetadata().getLabels().isEmpty()) {
            metadata.set("labels", mapper.valueToTree(new TreeMap<>(resource.getMetadata().getLabels())));
        }
        if (resource.getSpec() != null) {
            root.set("spec", mapper.valueToTree(resource.getSpec()));
        }
        // Problems print a place: the resource's API path reads better than a file that does not exist.
        Path where = Path.of("namespaces", key.namespace(), resource.getPlural(), key.name());
        Long generation = resource.getMetadata().getGeneration();
        Entry entry = new Entry(new YamlDocument(where, 0, root, new LineIndex(1, Map.of())), ContentHash.of(root),
                generation == null ? 0 : generation, reads(resource, key));
        latest.put(key, entry);
        if (!table.tracks(key)) {
            prior.adopt(key, resource, entry.hash());
        }
        return entry;
    }

    /** Counts a change to fold; {@code key}: the resource whose caller reconciles it itself (null: none). */
    private long record(ObjectKey key) {
        if (key != null) {
            unfolded.add(key);
        }
        if (unfoldedSince == null) {
            unfoldedSince = Instant.now();
        }
        return ++recorded;
    }

    /**
     * Returns once a fold covered change number {@code change}: at once if another caller's fold did, else after folding
     * every change recorded until now. The folding caller gets the changed keys for everyone (less those whose callers
     * reconcile them anyway); the callers it folded for get none, so that no key is requeued once per caller.
     */
    private Set<ObjectKey> foldThrough(long change) {
        synchronized (folding) {
            List<YamlDocument> documents = new ArrayList<>();
            Map<ObjectKey, SourceSnapshot.Origin> origins = new HashMap<>();
            Set<ObjectKey> handled;
            long through;
            Instant since;
            synchronized (this) {
                if (folded >= change) {
                    return Set.of();
                }
                Set<ObjectKey> read = new java.util.TreeSet<>();
                latest.forEach((key, entry) -> {
                    documents.add(entry.document());
                    read.addAll(entry.reads());
                    // No file: a reconciler asking for its manifest's folder gets none, as ResourceInputs promises.
                    origins.put(key, new SourceSnapshot.Origin(null, 1, entry.hash(), entry.generation()));
                });
                read.forEach(key -> {
                    SecretEntry secret = secrets.get(key);
                    if (secret != null) {
                        documents.add(secret.document());
                    }
                });
                handled = Set.copyOf(unfolded);
                unfolded.clear();
                through = recorded;
                since = unfoldedSince == null ? Instant.now() : unfoldedSince;
                unfoldedSince = null;
            }
            // Outside this object's lock: events go on being recorded (for the next fold) while this one validates.
            Set<ObjectKey> changed;
            try {
                changed = engine.fold(new SourceSnapshot(loader.validate(documents, new ArrayList<>()), origins, Set.of(), since));
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    unfolded.addAll(handled); // not folded: the next fold takes them (the callers waiting retry it)
                    unfoldedSince = unfoldedSince == null || since.isBefore(unfoldedSince) ? since : unfoldedSince;
                }
                throw e;
            }
            folds++;
            synchronized (this) {
                folded = through;
            }
            if (handled.isEmpty()) {
                return changed;
            }
            Set<ObjectKey> others = new HashSet<>(changed);
            others.removeAll(handled);
            return others;
        }
    }
}
