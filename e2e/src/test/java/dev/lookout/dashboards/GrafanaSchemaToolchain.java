package dev.lookout.dashboards;

import dev.lookout.reload.ToolLocator;
import dev.lookout.reload.ToolProcess;
import dev.lookout.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * node, the TypeScript compiler and {@code @grafana/schema}, as {@code .ci/grafana-schema.sh} caches them outside the
 * clone. The script is asked where ({@code --dir}), so the pinned versions live in one place. Missing pieces fail the
 * test in CI and skip it elsewhere, as for the other real tools ({@link Tools#unavailable}).
 *
 * @param folder the cache folder holding {@code node_modules}
 */
record GrafanaSchemaToolchain(Path node, Path folder) {
    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String SCRIPT = ".ci/grafana-schema.sh";

    static GrafanaSchemaToolchain locate(Path repo) {
        ToolProcess.Result where = Tools.run(List.of("bash", repo.resolve(SCRIPT).toString(), "--dir"), Duration.ofSeconds(30));
        if (where.exit() != 0) {
            throw new AssertionError(SCRIPT + " --dir failed: " + where.output());
        }
        Path folder = Path.of(where.output().strip());
        Optional<Path> node = ToolLocator.find(ToolLocator.pathDirs(System.getenv()), "node", "nodejs");
        if (node.isEmpty()) {
            return Tools.unavailable("node not found on PATH: run bash " + SCRIPT + " (installs Debian's nodejs and npm)");
        }
        GrafanaSchemaToolchain toolchain = new GrafanaSchemaToolchain(node.get(), folder);
        if (!Files.isRegularFile(toolchain.tsc()) || !Files.isRegularFile(folder.resolve("node_modules/@grafana/schema/package.json"))) {
            return Tools.unavailable("typescript and @grafana/schema are not in " + folder + ": run bash " + SCRIPT);
        }
        return toolchain;
    }

    Path nodeModules() {
        return folder.resolve("node_modules");
    }

    Path tsc() {
        return nodeModules().resolve("typescript/bin/tsc");
    }

    /** The schemaVersion Grafana writes into a new dashboard, from the pinned package's {@code defaultDashboard}. */
    int schemaVersion() {
        ToolProcess.Result result = Tools.run(List.of(node.toString(), "-e",
                "process.stdout.write(String(require(process.argv[1]).defaultDashboard.schemaVersion))",
                nodeModules().resolve("@grafana/schema").toString()), TIMEOUT);
        if (result.exit() != 0) {
            throw new AssertionError("cannot read defaultDashboard.schemaVersion from @grafana/schema: " + result.output());
        }
        return Integer.parseInt(result.output().strip());
    }
}
