package dev.lookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.http.ResourceKind;
import dev.lookout.http.ResourceKinds;
import dev.lookout.prometheus.RenderYaml;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lookout get KIND [NAME]}: the resources a running operator holds, with their status, like
 * {@code kubectl get} (same kind names, the CRD's printer columns, {@code -n}/{@code -A}, {@code -o}).
 * It reads the operator's {@code /api/v1/resources}, so it shows what the operator holds right now.
 */
@Command(name = "get",
        mixinStandardHelpOptions = true,
        description = "Show resources and their status from a running operator (`lookout run`), like kubectl get.%n"
                + "KIND: ComfyProbe, NginxVtsTarget, GpuNode or NetworkPolicy, as kind, plural, singular or short name (dnp).")
final class GetCommand implements Callable<Integer> {
    static final String DEFAULT_NAMESPACE = "default";

    enum Output { table, wide, yaml, json }

    static final class Scope {
        @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", description = "Namespace (default: default).")
        String namespace;

        @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace (adds a NAMESPACE column).")
        boolean all;
    }

    @Parameters(index = "0", paramLabel = "KIND", description = "Kind of resource.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Only this resource.")
    String name;

    @ArgGroup(exclusive = true)
    Scope scope = new Scope();

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table, wide, yaml or json (yaml and json: the whole objects, as kubectl).")
    Output output;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:LOOKOUT_SERVER:-http://127.0.0.1:8080}",
            description = "The operator's HTTP address (default: $LOOKOUT_SERVER, else http://127.0.0.1:8080).")
    String server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Clock clock;

    GetCommand() {
        this(Clock.systemUTC());
    }

    /** With the clock ages are measured against (tests pin it). */
    GetCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return get(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int get(PrintWriter out, PrintWriter err) {
        ResourceKinds kinds = ResourceKinds.fromCrds();
        Optional<ResourceKind> resolved = kinds.resolve(kind);
        if (resolved.isEmpty()) {
            err.println("error: " + kinds.unknownKind(kind));
            return 1;
        }
        ResourceKind k = resolved.get();
        Optional<URI> uri = serverUri();
        if (uri.isEmpty()) {
            err.println("error: --server must be an http:// or https:// URL such as http://127.0.0.1:8080, not \"" + server + "\"");
            return 1;
        }
        String namespace = scope.all ? null : scope.namespace != null ? scope.namespace : DEFAULT_NAMESPACE;
        OperatorClient client = new OperatorClient(uri.get());
        List<JsonNode> items;
        try {
            items = name != null && namespace != null
                    ? client.one(k.plural(), namespace, name).map(List::of).orElse(List.of())
                    : client.list(k.plural(), namespace, name);
        } catch (OperatorClient.Failure e) {
            err.println(e.unreachable()
                    ? "cannot reach the Lookout operator at " + server + ": " + e.getMessage()
                            + " (is `lookout run` running? --server sets the address)"
                    : e.getMessage());
            return 1;
        }
        if (name != null && items.isEmpty()) {
            err.println("Error from server (NotFound): " + k.plural() + " \"" + name + "\" not found");
            return 1;
        }
        print(k, items, out, err);
        return 0;
    }

    private void print(ResourceKind k, List<JsonNode> items, PrintWriter out, PrintWriter err) {
        switch (output) {
            case json -> out.print(RenderYaml.json(document(items)));
            case yaml -> out.print(RenderYaml.yaml(document(items)));
            default -> {
                if (items.isEmpty()) {
                    err.println(scope.all ? "No resources found" : "No resources found in " + namespaceShown() + " namespace.");
                } else {
                    out.print(new StatusTable(k, scope.all, output == Output.wide).render(items, clock.instant()));
                }
            }
        }
    }

    private String namespaceShown() {
        return scope.namespace != null ? scope.namespace : DEFAULT_NAMESPACE;
    }

    /** The object itself when a NAME was given, else a {@code v1 List} as kubectl prints it. */
    private JsonNode document(List<JsonNode> items) {
        if (name != null && items.size() == 1) {
            return items.get(0);
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1");
        items.forEach(list.putArray("items")::add);
        list.put("kind", "List");
        list.putObject("metadata").put("resourceVersion", "");
        return list;
    }

    private Optional<URI> serverUri() {
        try {
            URI uri = new URI(server);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
