package dev.lookout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.validation.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate",
        description = "Check manifest files or folders and print every problem with file and line.%n"
                + "Exit status: 0 when every resource is valid, 1 when any problem is an error.")
final class ValidateCommand implements Callable<Integer> {
    enum Output { text, json }

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files, or folders searched for *.yaml and *.yml.")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (for tooling).")
    Output output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ManifestSet set = new ManifestLoader().load(paths);
        PrintWriter out = spec.commandLine().getOut();
        if (output == Output.json) {
            out.println(toJson(set));
        } else {
            set.problems().forEach(out::println);
            out.println(summary(set));
        }
        out.flush();
        return set.valid() ? 0 : 1;
    }

    /**
     * The manifests under {@code paths} for a command that needs them all valid (render, plan): warnings are printed,
     * and when any document is invalid, its errors and the summary too, and the result is empty (exit 1).
     */
    static Optional<ManifestSet> loadValid(List<Path> paths, PrintWriter err) {
        ManifestSet set = new ManifestLoader().load(paths);
        set.warnings().forEach(err::println);
        if (!set.valid()) {
            set.errors().forEach(err::println);
            err.println(summary(set));
            err.flush();
            return Optional.empty();
        }
        return Optional.of(set);
    }

    static String summary(ManifestSet set) {
        int warnings = set.warnings().size();
        String warned = warnings == 0 ? "" : ", " + warnings + (warnings == 1 ? " warning" : " warnings");
        if (set.valid()) {
            return set.accepted() + (set.accepted() == 1 ? " resource OK" : " resources OK") + warned;
        }
        int errors = set.errors().size();
        String rejected = set.rejected() == 0 ? "" : " (" + set.rejected() + (set.rejected() == 1 ? " document" : " documents") + " rejected)";
        return errors + (errors == 1 ? " error" : " errors") + rejected + ", " + set.accepted()
                + (set.accepted() == 1 ? " resource OK" : " resources OK") + warned;
    }

    private static String toJson(ManifestSet set) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("valid", set.valid()).put("accepted", set.accepted()).put("rejected", set.rejected());
        ArrayNode problems = root.putArray("problems");
        for (Problem p : set.problems()) {
            ObjectNode n = problems.addObject();
            n.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT))
                    .put("file", p.file().toString()).put("line", p.line())
                    .put("resource", p.resource()).put("field", p.field()).put("message", p.message());
        }
        return mapper.writeValueAsString(root);
    }
}
