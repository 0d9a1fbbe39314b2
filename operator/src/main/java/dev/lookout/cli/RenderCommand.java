package dev.lookout.cli;

import dev.lookout.config.OperatorConfig;
import dev.lookout.config.OperatorConfigLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.prometheus.TreeWriter;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "render",
        description = "Render the Prometheus scrape configs, rules, file_sd targets and blackbox modules of the resources.%n"
                + "Prints the files (each headed by its path), or writes them to --out. Exit 1 when the input is invalid.")
final class RenderCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files, or folders searched for *.yaml and *.yml.")
    List<Path> paths;

    @Option(names = "--config", paramLabel = "FILE", description = "Operator configuration (lookout.yaml); embedded defaults without it.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the tree here (prometheus/ and blackbox/), atomically.")
    Path outDir;

    @Option(names = "--blackbox-base", paramLabel = "FILE",
            description = "The user's blackbox config to merge Lookout's modules into (default: blackbox.configFile if it exists here).")
    Path blackboxBase;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<OperatorConfig> loaded = ConfigOption.load(config, err);
        if (loaded.isEmpty()) {
            return 1;
        }
        OperatorConfig operatorConfig = loaded.get();
        Optional<ManifestSet> valid = ValidateCommand.loadValid(paths, err);
        if (valid.isEmpty()) {
            return 1;
        }
        ManifestSet set = valid.get();
        String prometheusBase = OperatorConfigLoader.readPrometheusBase(config, operatorConfig);
        Path blackboxFile = blackboxBase != null ? blackboxBase : Path.of(operatorConfig.blackbox().configFile());
        String blackboxUser = Files.isRegularFile(blackboxFile) ? read(blackboxFile) : null;
        PrometheusRenderer.Result result = new PrometheusRenderer().render(
                new RenderInput(set.resources(), set.secrets(), operatorConfig, blackboxUser, prometheusBase));
        result.notes().forEach((key, notes) -> notes.forEach(n -> err.println("note: " + key + ": " + n)));
        if (outDir != null) {
            TreeWriter.Changes changes = new TreeWriter().write(result.tree(), outDir);
            err.println("wrote " + changes.written().size() + " files, removed " + changes.removed().size() + " stale files in " + outDir);
        } else {
            for (RenderedFile file : result.tree().files()) {
                out.println("# " + file.path());
                out.print(file.secret() ? "# (secret, " + file.bytes().length + " bytes: written only with --out, mode 0600)\n" : file.text());
                out.println();
            }
        }
        if (operatorConfig.prometheus().mode() == OperatorConfig.Mode.INCLUDE) {
            err.println("Add once to prometheus.yml (Prometheus 2.43 or later):");
            err.print(PrometheusRenderer.includeSnippet(operatorConfig));
        }
        if (operatorConfig.prometheus().mode() == OperatorConfig.Mode.OPERATOR && outDir == null) {
            printObjects(result, operatorConfig, out);
        }
        out.flush();
        err.flush();
        return 0;
    }

    /**
     * What {@code lookout run --kubernetes} would publish in {@code prometheus.mode: operator} (owner references aside,
     * which only a cluster knows): the objects as YAML, a Secret by its keys only.
     */
    private static void printObjects(PrometheusRenderer.Result result, OperatorConfig config, PrintWriter out) {
        String namespace = config.prometheus().operator().namespace() == null ? "default" : config.prometheus().operator().namespace();
        io.fabric8.kubernetes.client.utils.KubernetesSerialization yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        out.println("# prometheus.mode: operator: the objects lookout run --kubernetes publishes from this render");
        new dev.lookout.kubernetes.monitoring.MonitoringObjects(config, namespace).all(result, key -> Optional.empty())
                .values().forEach(objects -> objects.forEach(o -> {
                    if (o instanceof io.fabric8.kubernetes.api.model.Secret secret) {
                        out.println("---\n# Secret " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName() + ", keys "
                                + new java.util.TreeSet<>(secret.getData().keySet()) + " (values only in the cluster)");
                    } else {
                        out.print("---\n" + yaml.asYaml(o).replaceFirst("^---\n", ""));
                    }
                }));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
