package dev.lookout.bench;

import dev.lookout.config.OperatorConfig;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.prometheus.TreeWriter;
import dev.lookout.reload.OutputChecks;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.reload.PromtoolCheck;
import dev.lookout.reload.ReloadOutcome;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the run loop's validate and reload steps cost, for 1,000 and 10,000 resources: Lookout's own
 * checks of the whole tree, promtool on one changed resource and on every file, and a reload of the real
 * Prometheus holding them. Run with {@code make bench}; arguments: [measured runs].
 */
public final class ReloadBench {
    /** Prometheus takes seconds to load 7,500 jobs, more on a busy machine. */
    private static final Duration SLOW = Duration.ofMinutes(2);

    private ReloadBench() {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf("lookout reload bench: java %s, %d cpus%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        for (int resources : new int[] {1_000, 10_000}) {
            Path dir = Files.createTempDirectory("lookout-reload-bench");
            try {
                bench(dir, resources, runs);
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void bench(Path dir, int resources, int runs) throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        LoadBench.write(input, resources);
        ManifestSet set = new ManifestLoader().load(List.of(input));
        Path staging = dir.resolve("staging");
        OperatorConfig config = new OperatorConfig(null,
                new OperatorConfig.Prometheus(null, staging.resolve("prometheus").toString(), null, null, null),
                new OperatorConfig.Blackbox(null, null, staging.resolve("blackbox/blackbox.yml").toString()), null, null);
        OutputTree tree = new PrometheusRenderer().render(new RenderInput(set.resources(), set.secrets(), config, null, null)).tree();
        new TreeWriter().write(tree, staging);
        List<String> scrape = under(tree, "prometheus/scrape/");
        List<String> rules = under(tree, "prometheus/rules/");
        System.out.printf("%d resources: %d files (%d scrape, %d rule)%n", resources, tree.files().size(), scrape.size(), rules.size());

        report("  OutputChecks, first check of the whole tree", runs, () -> new OutputChecks(config).check(tree).size());
        OutputChecks checks = new OutputChecks(config);
        OutputTree[] trees = {tree, withOneFileChanged(tree, scrape.get(0))};
        int[] next = {0};
        report("  OutputChecks, whole tree after one file changed", runs, () -> checks.check(trees[next[0]++ % 2]).size());

        Path promtoolPath = Tools.promtool().orElse(null);
        if (promtoolPath == null) {
            System.out.println("  promtool not found: run .ci/tools.sh");
            return;
        }
        PromtoolCheck promtool = new PromtoolCheck(promtoolPath, Duration.ofSeconds(60));
        Path stagedRoot = staging.resolve("prometheus");
        List<String> oneScrape = List.of(scrape.get(0).substring("prometheus/".length()));
        List<String> oneRule = List.of(rules.get(0).substring("prometheus/".length()));
        List<String> allScrape = scrape.stream().map(p -> p.substring("prometheus/".length())).toList();
        List<String> allRules = rules.stream().map(p -> p.substring("prometheus/".length())).toList();
        report("  promtool, 1 scrape + 1 rule file", runs, () -> ok(promtool.check(stagedRoot, oneScrape, oneRule, null)));
        report("  promtool, every scrape + rule file", runs, () -> ok(promtool.check(stagedRoot, allScrape, allRules, null)));

        Path prometheusYml = Files.writeString(dir.resolve("prometheus.yml"), PrometheusRenderer.includeSnippet(config));
        try (PrometheusProcess prometheus = PrometheusProcess.start(prometheusYml, PrometheusProcess.Options.DEFAULT.withReadyTimeout(SLOW))) {
            PrometheusClient client = new PrometheusClient(prometheus.uri(), SLOW);
            // A reload of 7,500 jobs takes seconds: fewer runs there.
            int reloads = resources > 1_000 ? Math.min(runs, 3) : runs;
            report("  reload, nothing changed", reloads, () -> applied(client.reload()));
            Path changed = staging.resolve(scrape.get(0));
            String original = Files.readString(changed);
            int[] toggle = {0};
            report("  reload, one scrape file changed", reloads, () -> {
                rewrite(changed, original.replace("  - job_name: ", "  - sample_limit: " + (1000 + toggle[0]++ % 2) + "\n    job_name: "));
                return applied(client.reload());
            });
            String log = prometheus.log();
            String last = log.substring(log.lastIndexOf("Completed loading of configuration file"));
            System.out.println("  Prometheus' own timing of the last reload: " + last.lines().findFirst().orElse("")
                    .replaceAll(".*file\" ", "").replaceAll(" filename=\\S+", ""));
        }
    }

    private static OutputTree withOneFileChanged(OutputTree tree, String path) {
        List<RenderedFile> files = new ArrayList<>();
        for (RenderedFile f : tree.files()) {
            files.add(f.path().equals(path) ? RenderedFile.text(path, f.text().replace("  - job_name: ", "  - sample_limit: 1\n    job_name: ")) : f);
        }
        return OutputTree.of(files);
    }

    private static List<String> under(OutputTree tree, String folder) {
        return tree.files().stream().map(RenderedFile::path).filter(p -> p.startsWith(folder)).toList();
    }

    private static int ok(PromtoolCheck.CheckResult result) {
        if (!result.ok()) {
            throw new IllegalStateException("promtool refused the bench's files: " + result.message());
        }
        return 0;
    }

    private static int applied(ReloadOutcome outcome) {
        if (!(outcome instanceof ReloadOutcome.Applied)) {
            throw new IllegalStateException("reload not applied: " + outcome);
        }
        return 0;
    }

    private static void rewrite(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Warm-up runs (3, or 1 for a long task), then {@code runs} measured; prints median and best. */
    private static void report(String what, int runs, Supplier<Integer> task) {
        for (int i = 0; i < (runs < 5 ? 1 : 3); i++) {
            task.get();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            task.get();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(Comparator.naturalOrder());
        System.out.printf("%s: median %.1f ms, best %.1f ms%n", what, millis.get(millis.size() / 2), millis.get(0));
    }
}
