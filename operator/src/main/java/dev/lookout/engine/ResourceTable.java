package dev.lookout.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.Condition;
import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.ResourceInputs;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.registry.KindRegistry;
import dev.lookout.validation.Problem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every resource the engine knows, with its versions and status. A source snapshot is folded in with
 * {@link #apply}; output cycles read {@link #renderSet()} and report back what Prometheus did with it.
 * One lock guards it all: every operation is a few map lookups per resource.
 */
public final class ResourceTable {
    public static final String READY = Condition.READY;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ObjectKey, TrackedResource> resources = new TreeMap<>();
    private Map<ObjectKey, LoadedSecret> secrets = Map.of();
    private Map<ObjectKey, LoadedSecret> appliedSecrets = Map.of();
    private Instant oldestUnapplied;

    private <T> T locked(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    /** What a worker should do for a key now. */
    public sealed interface Work {
        record Reconcile(LoadedResource resource, long generation) implements Work {
        }

        record Cleanup(ObjectKey key) implements Work {
        }

        /** Invalid or unreadable: nothing to reconcile, the last good outputs stay. */
        record Skip() implements Work {
        }
    }

    /**
     * Folds a source snapshot in and returns the keys whose state changed (deleted ones included): a new
     * content hash is a new generation; invalid versions keep the last good one rendered; resources of an
     * unreadable file are kept (not deleted) until the file reads again.
     */
    public Set<ObjectKey> apply(SourceSnapshot snapshot, Instant now) {
        return locked(() -> {
            Set<ObjectKey> changed = new HashSet<>();
            Map<ObjectKey, LoadedResource> valid = new HashMap<>();
            snapshot.manifests().resources().forEach(r -> valid.put(r.key(), r));
            Map<ObjectKey, List<Problem>> invalid = new HashMap<>();
            Set<Path> unreadable = new HashSet<>(snapshot.unreadableFiles());
            for (Problem p : snapshot.manifests().errors()) {
                Optional<ObjectKey> key = ProblemKeys.parse(p.resource()).filter(k -> !valid.containsKey(k));
                if (key.isPresent() && KindRegistry.byKind(key.get().kind()).isPresent()) {
                    invalid.computeIfAbsent(key.get(), k -> new ArrayList<>()).add(p);
                } else if (key.isEmpty()) {
                    unreadable.add(p.file()); // a document that names no resource: do not delete what the file held
                }
            }
            for (LoadedResource r : valid.values()) {
                TrackedResource t = track(r.key(), snapshot, now, changed);
                if (t.desired == null || !t.problems.isEmpty()) {
                    changed.add(r.key());
                }
                t.desired = r;
                t.problems = List.of();
            }
            invalid.forEach((key, problems) -> {
                TrackedResource t = track(key, snapshot, now, changed);
                markInvalid(t, problems, now, changed);
            });
            for (var it = resources.values().iterator(); it.hasNext(); ) {
                TrackedResource t = it.next();
                if (valid.containsKey(t.key) || invalid.containsKey(t.key)) {
                    continue;
                }
                if (t.file != null && unreadable.contains(t.file) && java.nio.file.Files.exists(t.file)) {
                    List<Problem> fileProblems = snapshot.manifests().errors().stream().filter(p -> t.file.equals(p.file())).toList();
                    markInvalid(t, fileProblems, now, changed);
                } else {
                    it.remove();
                    changed.add(t.key);
                }
            }
            requeueReadersOfChangedSecrets(snapshot.manifests().secrets(), changed);
            secrets = snapshot.manifests().secrets();
            if (oldestUnapplied == null || snapshot.oldestChange().isBefore(oldestUnapplied)) {
                oldestUnapplied = snapshot.oldestChange();
            }
            return changed;
        });
    }

    /**
     * A Secret is an input like a resource: every resource that reads one whose data changed (or that appeared or
     * went) is reconciled again, so that a reconciler using the value (an htpasswd, say) hears of it.
     */
    private void requeueReadersOfChangedSecrets(Map<ObjectKey, LoadedSecret> now, Set<ObjectKey> changed) {
        Set<ObjectKey> changedSecrets = new HashSet<>();
        now.forEach((key, secret) -> {
            if (!secret.sameData(secrets.get(key))) {
                changedSecrets.add(key);
            }
        });
        secrets.keySet().stream().filter(key -> !now.containsKey(key)).forEach(changedSecrets::add);
        if (changedSecrets.isEmpty()) {
            return;
        }
        for (TrackedResource t : resources.values()) {
            if (t.desired != null && changedSecrets.stream().anyMatch(t.desired::reads)) {
                changed.add(t.key);
            }
        }
    }

    private TrackedResource track(ObjectKey key, SourceSnapshot snapshot, Instant now, Set<ObjectKey> changed) {
        TrackedResource t = resources.computeIfAbsent(key, k -> {
            TrackedResource fresh = new TrackedResource(k, now);
            fresh.conditions = Conditions.set(List.of(), READY, Conditions.UNKNOWN, "Pending", "not reconciled yet", now);
            return fresh;
        });
        SourceSnapshot.Origin origin = snapshot.origins().get(key);
        if (origin != null) {
            t.file = origin.file();
            t.line = origin.line();
            if (!origin.hash().equals(t.hash)) {
                t.generation = origin.generation() > 0 ? origin.generation() : t.generation + 1;
                t.hash = origin.hash();
                changed.add(key);
            }
        }
        return t;
    }

    private static void markInvalid(TrackedResource t, List<Problem> problems, Instant now, Set<ObjectKey> changed) {
        if (!problems.equals(t.problems) || t.desired != null) {
            changed.add(t.key);
        }
        t.desired = null;
        t.problems = List.copyOf(problems);
        String kept = t.applied != null ? "; the last good version stays in Prometheus" : "";
        t.conditions = Conditions.set(t.conditions, READY, Conditions.FALSE, "InvalidSpec", summarize(problems) + kept, now);
    }

    private static String summarize(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "the file cannot be read";
        }
        StringBuilder sb = new StringBuilder(problems.get(0).toString());
        for (int i = 1; i < Math.min(3, problems.size()); i++) {
            sb.append("; ").append(problems.get(i));
        }
        if (problems.size() > 3) {
            sb.append(" (and ").append(problems.size() - 3).append(" more)");
        }
        return sb.toString();
    }

    /** What a worker should do for {@code key} now. */
    public Work work(ObjectKey key) {
        return locked(() -> {
            TrackedResource t = resources.get(key);
            if (t == null) {
                return new Work.Cleanup(key);
            }
            return t.desired == null ? new Work.Skip() : new Work.Reconcile(t.desired, t.generation);
        });
    }

    /**
     * Records a reconcile's status fields, unless a newer generation arrived meanwhile.
     *
     * @return what blocks the resource when that is new (to be said once), else null
     */
    public ReconcileResult.Blocked reconciled(ObjectKey key, long generation, ReconcileResult result, Instant now) {
        return locked(() -> {
            TrackedResource t = resources.get(key);
            if (t == null) {
                return null;
            }
            if (result.discovered() != null) {
                t.discovered = result.discovered(); // found for any generation: containers do not follow the spec's
            }
            if (t.generation != generation) {
                return null;
            }
            t.reconciledGeneration = generation;
            ReconcileResult.Blocked before = t.blocked;
            t.kindStatus = result.statusFields();
            t.blocked = result.blocked();
            if (t.blocked != null) {
                t.conditions = Conditions.set(t.conditions, READY, Conditions.FALSE, t.blocked.reason(), t.blocked.message(), now);
            } else if (before != null) {
                // Unblocked: the next cycle confirms the outputs (Ready=True), or says why it cannot.
                t.conditions = Conditions.set(t.conditions, READY, Conditions.UNKNOWN, "Unblocked",
                        before.reason() + " cleared; confirming the outputs", now);
            }
            // Said once per reason: messages such as a connection error's vary from one try to the next.
            return t.blocked != null && (before == null || !t.blocked.reason().equals(before.reason())) ? t.blocked : null;
        });
    }

    /**
     * A reconcile threw: the resource is not Ready until a retry finishes. The failure replaces what blocked it
     * before (a host that did not answer and now refuses is a new story), and like a block it holds against the
     * cycles that other resources' changes run meanwhile, which would otherwise call it Ready or say the old reason.
     */
    public void reconcileFailed(ObjectKey key, String message, Instant now) {
        locked(() -> {
            TrackedResource t = resources.get(key);
            if (t != null) {
                t.blocked = new ReconcileResult.Blocked("ReconcileFailed", message);
                t.conditions = Conditions.set(t.conditions, READY, Conditions.FALSE, "ReconcileFailed", message, now);
            }
        });
    }

    /** Whether {@code key}'s last reconcile failed ({@link #reconcileFailed}); its next reconcile says otherwise. */
    public boolean failing(ObjectKey key) {
        return locked(() -> {
            TrackedResource t = resources.get(key);
            return t != null && t.blocked != null && "ReconcileFailed".equals(t.blocked.reason());
        });
    }

    public RenderSet renderSet() {
        return locked(() -> {
            List<RenderSet.Entry> entries = new ArrayList<>();
            for (TrackedResource t : resources.values()) {
                LoadedResource r = t.renderable();
                if (r != null) {
                    boolean newest = r == t.desired;
                    entries.add(new RenderSet.Entry(t.key, r, newest ? t.hash : t.appliedHash, newest, newest && t.awaitingApply(),
                            t.discovered));
                }
            }
            Map<ObjectKey, LoadedSecret> renderSecrets = new HashMap<>(appliedSecrets);
            renderSecrets.putAll(secrets); // a deleted Secret stays available to the last good version that reads it
            return new RenderSet(entries, renderSecrets, oldestUnapplied == null ? Instant.now() : oldestUnapplied);
        });
    }

    /** Prometheus accepted {@code set}: its newest versions become the last good ones, and are Ready. */
    public void applied(RenderSet set, Instant now) {
        applied(set, now, "outputs are live in Prometheus");
    }

    /** As {@link #applied(RenderSet, Instant)}, saying {@code message} of what being applied means. */
    public void applied(RenderSet set, Instant now, String message) {
        locked(() -> {
            for (RenderSet.Entry e : set.entries()) {
                TrackedResource t = resources.get(e.key());
                if (t == null || !e.newest() || !Objects.equals(t.hash, e.hash())) {
                    continue;
                }
                t.applied = e.resource();
                t.appliedHash = e.hash();
                t.observedGeneration = t.generation;
                if (t.reconciledGeneration != t.generation) {
                    // Its reconciler has not finished this version yet (creating a container, pulling an image):
                    // live outputs alone do not make it Ready. The cycle after the reconcile decides.
                    continue;
                }
                if (t.problems.isEmpty() && t.desired != null && t.blocked == null) {
                    t.conditions = Conditions.set(t.conditions, READY, Conditions.TRUE, "Applied", message, now);
                } else if (t.problems.isEmpty() && t.desired != null) {
                    // Said once by a reconciler that is not called again for it (NoGpuRuntime is not retried in a
                    // loop): an output problem that came and went meanwhile must not have the last word.
                    t.conditions = Conditions.set(t.conditions, READY, Conditions.FALSE, t.blocked.reason(),
                            t.blocked.message(), now);
                }
            }
            appliedSecrets = set.secrets();
            if (set.oldestChange().equals(oldestUnapplied)) {
                oldestUnapplied = null;
            }
        });
    }

    /** A check or Prometheus refused the newest versions of {@code culprits}: the last good ones are rendered instead. */
    public void rejected(Set<ObjectKey> culprits, String reason, String message, Instant now) {
        locked(() -> {
            for (ObjectKey key : culprits) {
                TrackedResource t = resources.get(key);
                if (t != null && t.desired != null) {
                    t.rejectedHash = t.hash;
                    String kept = t.applied != null ? " The last good version stays in Prometheus." : "";
                    t.conditions = Conditions.set(t.conditions, READY, Conditions.FALSE, reason, message + kept, now);
                }
            }
        });
    }

    /** The outputs are written but not confirmed in Prometheus yet (it is unreachable): Ready is Unknown, unless blocked. */
    public void pending(RenderSet set, String reason, String message, Instant now) {
        locked(() -> {
            for (RenderSet.Entry e : set.entries()) {
                TrackedResource t = resources.get(e.key());
                // A blocked resource is not Ready whatever Prometheus says: its reason stays the one to act on.
                if (t != null && e.newest() && t.awaitingApply() && t.blocked == null) {
                    t.conditions = Conditions.set(t.conditions, READY, Conditions.UNKNOWN, reason, message, now);
                }
            }
        });
    }

    /** The keys whose newest version has not reached Prometheus yet (the ones a rejected reload may blame). */
    public Set<ObjectKey> awaitingApply() {
        return locked(() -> {
            Set<ObjectKey> keys = new HashSet<>();
            resources.values().stream().filter(TrackedResource::awaitingApply).forEach(t -> keys.add(t.key));
            return keys;
        });
    }

    /** Every resource as a Kubernetes-shaped object, for {@code /api/v1/resources} and {@code lookout get}. */
    public List<ObjectNode> objects(ObjectMapper mapper) {
        return locked(() -> {
            return resources.values().stream().map(t -> ResourceObjects.toObject(t, mapper)).toList();
        });
    }

    /** One resource as {@link #objects} shows it; empty when the table does not track it. */
    public java.util.Optional<ObjectNode> object(ObjectKey key, ObjectMapper mapper) {
        return locked(() -> java.util.Optional.ofNullable(resources.get(key)).map(t -> ResourceObjects.toObject(t, mapper)));
    }

    /**
     * The targets the platform last found for {@code key}, kept (and persisted) while it cannot look: a
     * reconciler whose host is down says what Prometheus still probes from this, even right after a restart.
     */
    /** The resources whose manifest file sits in {@code file}'s folder or in one above it. */
    public Set<ObjectKey> manifestsAbove(Path file) {
        Path target = file.toAbsolutePath().normalize();
        return locked(() -> {
            Set<ObjectKey> keys = new java.util.TreeSet<>();
            resources.values().forEach(t -> {
                if (t.file != null && t.desired != null && target.startsWith(t.file.toAbsolutePath().normalize().getParent())) {
                    keys.add(t.key);
                }
            });
            return keys;
        });
    }

    /** The manifest files and Secret values as the last snapshot has them, for the reconcilers. */
    public ResourceInputs inputs() {
        return new ResourceInputs() {
            @Override
            public Optional<Path> manifestFile(ObjectKey key) {
                return locked(() -> Optional.ofNullable(resources.get(key)).map(t -> t.file));
            }

            @Override
            public Optional<byte[]> secretValue(String namespace, String name, String key) {
                return locked(() -> Optional.ofNullable(secrets.get(new ObjectKey("Secret", namespace, name)))
                        .map(s -> s.value(key)));
            }
        };
    }

    public List<DiscoveredTarget> discovered(ObjectKey key) {
        return locked(() -> {
            TrackedResource t = resources.get(key);
            return t == null ? List.of() : t.discovered;
        });
    }

    /** Every resource known, valid or not (an invalid one still owns what it created). */
    public Set<ObjectKey> keys() {
        return locked(() -> {
            return Set.copyOf(resources.keySet());
        });
    }

    public int size() {
        return locked(() -> {
            return resources.size();
        });
    }

    /** Resources of a kind that are Ready=True ({@code ready}) or not, for the {@code lookout_resources} gauge. */
    public long count(String kind, boolean ready) {
        return locked(() -> {
            return resources.values().stream().filter(t -> t.key.kind().equals(kind))
                    .filter(t -> isReady(t) == ready).count();
        });
    }

    private static boolean isReady(TrackedResource t) {
        Condition c = Conditions.find(t.conditions, READY);
        return c != null && Conditions.TRUE.equals(c.status());
    }

    /** The state worth keeping across a restart (never Secret values). */
    public List<PersistedResource> export(ObjectMapper mapper) {
        return locked(() -> {
            return resources.values().stream().map(t -> PersistedResource.of(t, mapper)).toList();
        });
    }

    /** Whether the table tracks {@code key} (restored or from a snapshot). */
    public boolean tracks(ObjectKey key) {
        return locked(() -> resources.containsKey(key));
    }

    /** Restores state saved by a previous run, before the first snapshot arrives. */
    public void restore(List<PersistedResource> saved, ObjectMapper mapper) {
        locked(() -> {
            for (PersistedResource p : saved) {
                p.restore(mapper).ifPresent(t -> resources.put(t.key, t));
            }
        });
    }
}
