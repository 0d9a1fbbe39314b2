package dev.lookout.engine;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.JobNames;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.TreeWriter;
import dev.lookout.reload.BlackboxClient;
import dev.lookout.reload.OutputChecks;
import dev.lookout.reload.OutputProblem;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.reload.PromtoolCheck;
import dev.lookout.reload.ReloadOutcome;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One output cycle: render every resource at once → Lookout's own checks and promtool on what changed (in a
 * staging folder, before Prometheus can see it) → atomic write → reload Prometheus and blackbox → confirm
 * from Prometheus itself. Unchanged bytes mean no write and no reload. A reload Prometheus rejects is rolled
 * back to the last good tree (and reloaded again) and the resources it names are reported as the culprits.
 * Runs on one thread only (the engine's output thread).
 */
public final class OutputPipeline {
    /** What a cycle did. */
    public sealed interface Outcome {
        /** Same bytes as last time and nothing owed to Prometheus: no write, no reload. */
        record Unchanged() implements Outcome {
        }

        /** Written and, where Prometheus or blackbox read the changed files, reloaded and confirmed. */
        record Applied(int written, int removed, boolean reloaded, Duration changeToReload, Phases phases) implements Outcome {
        }

        /** A check or a reload refused the newest versions of {@code culprits}; the last good outputs are back in place. */
        record Refused(Set<ObjectKey> culprits, String reason, String message) implements Outcome {
        }

        /** Written, but Prometheus or blackbox could not be reached: the reload is owed and retried. */
        record Pending(String reason, String message) implements Outcome {
        }
    }

    /** Where a cycle's time went, in milliseconds (logged with every write, so a slow part shows itself). */
    public record Phases(long render, long checks, long write, long reload) {
        @Override
        public String toString() {
            return "render " + render + " ms, checks " + checks + " ms, write " + write + " ms, reload " + reload + " ms";
        }
    }

    /**
     * The parts a pipeline talks to; a null client means "no such server to reload".
     *
     * @param publisher where outputs go besides files (prometheus-operator's objects); null: files only
     */
    public record Parts(OperatorConfig config, Path outRoot, Path stagingDir, Function<RenderInput, PrometheusRenderer.Result> renderer,
                        OutputChecks checks, PromtoolCheck promtool, PrometheusClient prometheus, BlackboxClient blackbox,
                        String userBlackboxConfig, String userPrometheusBase, OutputPublisher publisher) {
        public Parts(OperatorConfig config, Path outRoot, Path stagingDir, Function<RenderInput, PrometheusRenderer.Result> renderer,
                     OutputChecks checks, PromtoolCheck promtool, PrometheusClient prometheus, BlackboxClient blackbox,
                     String userBlackboxConfig, String userPrometheusBase) {
            this(config, outRoot, stagingDir, renderer, checks, promtool, prometheus, blackbox, userBlackboxConfig,
                    userPrometheusBase, null);
        }
    }

    private final Parts parts;
    private final EngineMetrics metrics;
    private final Clock clock;
    private final TreeWriter writer;
    /**
     * SHA-256 of each file this process last wrote to outRoot (null until the first write: then the disk is
     * compared). Digests, not bytes: with 10,000 resources a tree is tens of MiB.
     */
    private Map<String, byte[]> written;
    /** What Prometheus last accepted, as its input: re-rendered to roll back, so no second tree is held. */
    private RenderSet lastGood;
    private boolean prometheusOwed = true; // a fresh process reloads once, whatever it finds on disk
    private boolean blackboxOwed = true;
    private boolean publishOwed = true; // likewise: the first publication also removes what a previous run left

    public OutputPipeline(Parts parts, EngineMetrics metrics, Clock clock) {
        this.parts = parts;
        this.metrics = metrics;
        this.clock = clock;
        this.writer = new TreeWriter(parts.config().lookout().secretFilesGroupReadable());
    }

    public Outcome run(RenderSet set) throws IOException {
        long start = System.nanoTime();
        PrometheusRenderer.Result result = renderResult(set);
        OutputTree tree = result.tree();
        Map<String, byte[]> digests = digests(tree);
        List<String> changed = changedPaths(digests);
        metrics.rendered(Duration.ofNanos(System.nanoTime() - start), tree.files().size(), !changed.isEmpty());
        boolean publishing = parts.publisher() != null;
        if (publishing && parts.publisher().owed()) {
            publishOwed = true;
        }
        if (changed.isEmpty() && !prometheusOwed && !blackboxOwed && !(publishing && publishOwed)) {
            return new Outcome.Unchanged();
        }
        long rendered = System.nanoTime();
        Outcome refused = check(tree, changed, set);
        if (refused != null) {
            return refused;
        }
        long checked = System.nanoTime();
        TreeWriter.Changes changes = write(tree, digests);
        OutputPublisher.Published published = null;
        if (publishing) {
            // The objects follow from the same render as the files, so unchanged files mean unchanged objects.
            publishOwed |= !changed.isEmpty();
            try {
                published = parts.publisher().publish(result, set);
                publishOwed = false;
            } catch (OutputPublisher.Refused denied) {
                return new Outcome.Refused(denied.culprits().isEmpty() ? blame(set, "") : denied.culprits(),
                        "ObjectsRefused", denied.getMessage());
            } catch (OutputPublisher.Unreachable unreachable) {
                return new Outcome.Pending(unreachable.reason(), "prometheus-operator's objects could not all be published: "
                        + unreachable.getMessage() + "; retrying");
            }
        }
        long wrote = System.nanoTime();
        boolean prometheusChanged = prometheusOwed || needsReload(changes);
        boolean blackboxChanged = blackboxOwed || touches(changes, OutputTree.BLACKBOX);
        prometheusOwed |= prometheusChanged;
        blackboxOwed |= blackboxChanged;
        boolean reloaded = false;
        Outcome.Pending pending = null;
        // Blackbox first: Prometheus's probe jobs name its modules. The two servers are reloaded independently,
        // so one that is down does not hold the other back.
        if (blackboxChanged && parts.blackbox() != null) {
            Outcome o = reload("blackbox", parts.blackbox()::reload, set, () -> true);
            if (o instanceof Outcome.Refused) {
                return o;
            }
            pending = (Outcome.Pending) o;
            reloaded |= o == null;
        }
        blackboxOwed = pending != null;
        if (prometheusChanged && parts.prometheus() != null) {
            Outcome o = reload("prometheus", parts.prometheus()::reload, set,
                    () -> parts.prometheus().lastReloadSuccessful().orElse(true));
            if (o instanceof Outcome.Refused) {
                return o;
            }
            if (o != null) {
                pending = pending == null ? (Outcome.Pending) o : new Outcome.Pending(((Outcome.Pending) o).reason(),
                        ((Outcome.Pending) o).message() + "; " + pending.message());
            }
            prometheusOwed = o != null;
            reloaded |= o == null;
        } else {
            prometheusOwed = false;
        }
        if (pending != null) {
            return pending;
        }
        lastGood = set;
        Duration latency = Duration.between(set.oldestChange(), clock.instant());
        if (reloaded) {
            metrics.changeToReload(latency);
        }
        Phases phases = new Phases(millis(start, rendered), millis(rendered, checked), millis(checked, wrote), millis(wrote, System.nanoTime()));
        if (published != null) {
            return new Outcome.Applied(published.applied(), published.removed(), false, latency, phases);
        }
        return new Outcome.Applied(changes.written().size(), changes.removed().size(), reloaded, latency, phases);
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private OutputTree render(RenderSet set) {
        return renderResult(set).tree();
    }

    private PrometheusRenderer.Result renderResult(RenderSet set) {
        return parts.renderer().apply(new RenderInput(set.resources(), set.secrets(), parts.config(),
                parts.userBlackboxConfig(), parts.userPrometheusBase(), set.discovered()));
    }

    private static Map<String, byte[]> digests(OutputTree tree) {
        Map<String, byte[]> digests = new HashMap<>();
        tree.files().forEach(f -> digests.put(f.path(), f.digest()));
        return digests;
    }

    private TreeWriter.Changes write(OutputTree tree, Map<String, byte[]> digests) throws IOException {
        Map<String, byte[]> before = written;
        written = null; // if the write fails half-way, the next one compares with the disk again
        TreeWriter.Changes changes = writer.write(tree, parts.outRoot(),
                before == null ? null : f -> Arrays.equals(before.get(f.path()), digests.get(f.path())));
        written = digests;
        return changes;
    }

    private List<String> changedPaths(Map<String, byte[]> digests) {
        List<String> changed = new ArrayList<>();
        digests.forEach((path, digest) -> {
            if (written == null || !Arrays.equals(digest, written.get(path))) {
                changed.add(path);
            }
        });
        if (written != null) {
            written.keySet().stream().filter(p -> !digests.containsKey(p)).forEach(changed::add);
        }
        changed.sort(null);
        return changed;
    }

    /** Lookout's own checks on the whole tree, then promtool on the changed files; null when both pass. */
    private Outcome check(OutputTree tree, List<String> changed, RenderSet set) throws IOException {
        if (parts.checks() != null) {
            List<OutputProblem> problems = parts.checks().check(tree);
            if (!problems.isEmpty()) {
                Set<String> paths = new HashSet<>();
                problems.forEach(p -> paths.add(p.path()));
                String message = String.join("; ", problems.stream().limit(5).map(p -> p.path() + ": " + p.message()).toList());
                return new Outcome.Refused(blame(set, String.join(" ", paths)), "OutputCheckFailed", message);
            }
        }
        if (parts.promtool() != null) {
            PromtoolStaging staging = new PromtoolStaging(parts.stagingDir());
            PromtoolCheck.CheckResult result = staging.check(parts.promtool(), tree, changed);
            if (result != null && !result.ok() && !result.inconclusive()) {
                String blamed = String.join(" ", result.files().stream().map(f -> "/" + Path.of(f).getFileName()).toList())
                        + " " + result.jobNames().stream().map(j -> "\"" + j + "\"").reduce("", String::concat) + " " + result.message();
                return new Outcome.Refused(blame(set, blamed), "PromtoolCheckFailed", result.message());
            }
        }
        return null;
    }

    private interface Confirm {
        boolean confirmed();
    }

    /** Reloads one server; null when it applied the change, else the outcome to report. */
    private Outcome reload(String target, java.util.function.Supplier<ReloadOutcome> call, RenderSet set, Confirm confirm)
            throws IOException {
        ReloadOutcome outcome = call.get();
        if (outcome instanceof ReloadOutcome.Applied) {
            if (!confirm.confirmed()) {
                metrics.reload(target, "rejected");
                return rollBack(target, call, set, target + " reports its last reload failed");
            }
            metrics.reload(target, "applied");
            return null;
        }
        if (outcome instanceof ReloadOutcome.Rejected rejected) {
            metrics.reload(target, "rejected");
            return rollBack(target, call, set, rejected.message());
        }
        metrics.reload(target, "unreachable");
        String server = target.equals("prometheus") ? "Prometheus" : "Blackbox";
        if (outcome instanceof ReloadOutcome.Disabled disabled) {
            return new Outcome.Pending(server + "ReloadDisabled", "outputs written to " + parts.outRoot() + "; " + target
                    + " refuses reloads: " + disabled.message() + " (start it with --web.enable-lifecycle); retrying");
        }
        String reason = outcome instanceof ReloadOutcome.Unreachable u ? u.reason() : outcome.toString();
        return new Outcome.Pending(server + "Unreachable",
                "outputs written to " + parts.outRoot() + "; " + target + " did not answer the reload (" + reason + "); retrying");
    }

    private Outcome rollBack(String target, java.util.function.Supplier<ReloadOutcome> call, RenderSet set, String message)
            throws IOException {
        Set<ObjectKey> culprits = blame(set, message);
        if (lastGood != null) {
            OutputTree restored = render(lastGood);
            write(restored, digests(restored));
            ReloadOutcome again = call.get();
            metrics.reload(target, again instanceof ReloadOutcome.Applied ? "rolled_back" : "rollback_failed");
        }
        String reason = target.equals("prometheus") ? "ReloadRejected" : "BlackboxReloadRejected";
        return new Outcome.Refused(culprits, reason, target + " rejected the new configuration: " + message);
    }

    /**
     * The resources a message names (by file stem, job name or blackbox module); when it names none, every
     * resource whose newest version was being applied, since one of them must be the cause.
     */
    static Set<ObjectKey> blame(RenderSet set, String message) {
        Set<ObjectKey> named = new LinkedHashSet<>();
        Set<ObjectKey> candidates = new LinkedHashSet<>();
        for (RenderSet.Entry e : set.entries()) {
            if (!e.pending()) {
                continue;
            }
            candidates.add(e.key());
            String stem = "/" + JobNames.fileStem(e.key()) + ".";
            if (message.contains(stem + "yml") || message.contains(stem + "json")
                    || message.contains("\"" + JobNames.job(e.key()) + "\"") || message.contains("\"" + JobNames.blackboxModule(e.key()) + "\"")) {
                named.add(e.key());
            }
        }
        return named.isEmpty() ? candidates : named;
    }

    /**
     * Whether Prometheus must reload for these changes. A file_sd file whose content changed needs none: Prometheus
     * watches it and applies it on its next discovery tick, which a reload would only delay (measured in
     * docs/benchmarks.md). A new or removed file_sd file always comes with a changed scrape file.
     */
    static boolean needsReload(TreeWriter.Changes changes) {
        String targets = OutputTree.PROMETHEUS + "targets/";
        return changes.written().stream().anyMatch(p -> p.startsWith(OutputTree.PROMETHEUS) && !p.startsWith(targets))
                || changes.removed().stream().anyMatch(p -> p.startsWith(OutputTree.PROMETHEUS));
    }

    private static boolean touches(TreeWriter.Changes changes, String prefix) {
        return changes.written().stream().anyMatch(p -> p.startsWith(prefix)) || changes.removed().stream().anyMatch(p -> p.startsWith(prefix));
    }

    /** True while a reload or a publication is owed (Prometheus, blackbox or the API server was unreachable). */
    public boolean reloadOwed() {
        return (prometheusOwed && parts.prometheus() != null) || (blackboxOwed && parts.blackbox() != null)
                || (publishOwed && parts.publisher() != null);
    }

    /**
     * What a resource whose outputs were applied is told: its outputs are live in Prometheus once Prometheus confirmed
     * the reload; in operator mode Lookout only knows the API server took the objects.
     */
    public String appliedMessage() {
        return parts.publisher() != null
                ? "prometheus-operator's objects are applied; prometheus-operator configures Prometheus from them"
                : "outputs are live in Prometheus";
    }
}
