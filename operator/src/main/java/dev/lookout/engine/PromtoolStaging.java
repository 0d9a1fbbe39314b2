package dev.lookout.engine;

import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.prometheus.TreeWriter;
import dev.lookout.reload.PromtoolCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the changed Prometheus files into a staging folder and has promtool check them there, so a file
 * promtool refuses never reaches the folder Prometheus reads. Only changed files are checked: one promtool
 * run over a handful of files costs tens of milliseconds, over thousands far more.
 */
final class PromtoolStaging {
    private static final String SCRAPE = OutputTree.PROMETHEUS + "scrape/";
    private static final String RULES = OutputTree.PROMETHEUS + "rules/";
    private static final String FULL = OutputTree.PROMETHEUS + PromtoolCheck.FULL_CONFIG;

    private final Path dir;

    PromtoolStaging(Path dir) {
        this.dir = dir;
    }

    /** promtool's verdict on the changed files; null when none of them is one promtool checks. */
    PromtoolCheck.CheckResult check(PromtoolCheck promtool, OutputTree tree, List<String> changed) throws IOException {
        List<String> scrape = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        String full = null;
        for (String path : changed) {
            RenderedFile file = tree.get(path);
            if (file == null) {
                continue; // removed: nothing to check
            }
            if (path.startsWith(SCRAPE)) {
                scrape.add(stage(file));
            } else if (path.startsWith(RULES)) {
                rules.add(stage(file));
            } else if (path.equals(FULL)) {
                full = stage(file);
            }
        }
        if (full != null) {
            // The whole prometheus.yml names every rule file by Prometheus's path: check the rules staged here instead.
            for (RenderedFile f : tree.files()) {
                if (f.path().startsWith(RULES) && !rules.contains(f.path())) {
                    rules.add(stage(f));
                }
            }
        }
        if (scrape.isEmpty() && rules.isEmpty() && full == null) {
            return null;
        }
        return promtool.check(dir, scrape, rules, full);
    }

    private String stage(RenderedFile file) throws IOException {
        Path target = dir.resolve(file.path());
        Files.createDirectories(target.getParent());
        TreeWriter.writeAtomically(target, file.bytes(), false);
        return file.path();
    }
}
