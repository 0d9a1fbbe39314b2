package dev.lookout.reload;

import dev.lookout.api.Patterns;
import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lookout's own checks of a rendered tree, run on every change before anything is written: no external
 * tool, so they run even where promtool is not installed, and they catch what neither Prometheus'
 * reload answer nor blackbox's names (an included file's error, a password file that is not there).
 * <ul>
 *   <li>every .yml and .json file parses (duplicate keys included, as Prometheus' strict YAML refuses them);</li>
 *   <li>a job_name is used once across the scrape files and, in full mode, prometheus.yml;</li>
 *   <li>scrape_interval and scrape_timeout are durations, the timeout no longer than the interval;</li>
 *   <li>every {@code *_file} and file_sd path inside Prometheus' output folder, or blackbox's
 *       {@code lookout-secrets/}, is a file of the tree;</li>
 *   <li>label names (targets, file_sd groups, rule labels and annotations) match {@value Patterns#LABEL_NAME}.</li>
 * </ul>
 * Parsing a file back costs about 30 µs, which for 15,000 files would be most of the loop's budget, so
 * what each file holds is remembered while its bytes stay the same: after a change only the changed
 * files are parsed, and the checks across files run over what is remembered. One instance per loop; calls
 * are serialized.
 */
public final class OutputChecks {
    /** Folders as Prometheus and blackbox see them, each with its trailing slash. */
    private final String prometheusDir;
    private final String blackboxSecretsDir;
    private final Map<String, FileFacts> known = new HashMap<>();

    public OutputChecks(OperatorConfig config) {
        this.prometheusDir = withSlash(config.prometheus().outputDir());
        this.blackboxSecretsDir = withSlash(config.blackbox().secretsDir());
    }

    /** Every problem of the tree, sorted by path then message; empty when the tree is fine. */
    public synchronized List<OutputProblem> check(OutputTree tree) {
        List<OutputProblem> problems = new ArrayList<>();
        Map<String, String> jobFiles = new HashMap<>();
        Set<String> paths = new HashSet<>();
        for (RenderedFile file : tree.files()) {
            String path = file.path();
            paths.add(path);
            FileFacts facts = known.get(path);
            if (facts == null || !java.util.Arrays.equals(facts.digest(), file.digest())) {
                facts = FileFacts.of(file, this::treePath);
                known.put(path, facts);
            }
            facts.problems().forEach(p -> problems.add(new OutputProblem(path, p)));
            for (String job : facts.jobs()) {
                String first = jobFiles.putIfAbsent(job, path);
                if (first != null) {
                    problems.add(new OutputProblem(path, "job \"" + job + "\": job_name is also used "
                            + (first.equals(path) ? "earlier in this file" : "in " + first)));
                }
            }
            for (FileFacts.Ref ref : facts.refs()) {
                if (tree.get(ref.treePath()) == null) {
                    problems.add(new OutputProblem(path, ref.missing()));
                }
            }
        }
        known.keySet().retainAll(paths);
        Collections.sort(problems);
        return problems;
    }

    /** Where a path as Prometheus or blackbox see it lies in the tree; null outside the folders Lookout fills. */
    private String treePath(String file) {
        if (file.startsWith(prometheusDir)) {
            return OutputTree.PROMETHEUS + file.substring(prometheusDir.length());
        }
        if (file.startsWith(blackboxSecretsDir)) {
            return OutputTree.BLACKBOX_SECRETS + file.substring(blackboxSecretsDir.length());
        }
        return null;
    }

    private static String withSlash(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }
}
