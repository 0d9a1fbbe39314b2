package dev.lookout.cli;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.EngineClients;
import dev.lookout.load.ManifestSet;
import dev.lookout.plan.HostPlan;
import dev.lookout.plan.Planner;
import dev.lookout.platform.WorkloadChange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "plan",
        description = "Show what `lookout run` would create, recreate, start or remove on each Docker host, without changing anything.%n"
                + "Exit 0 when the plan is empty, 2 when it has changes (like terraform plan -detailed-exitcode),"
                + " 1 when the input is invalid, a host cannot be asked or a change is blocked (marked !).")
final class PlanCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files, or folders searched for *.yaml and *.yml.")
    List<Path> paths;

    @Option(names = "--config", paramLabel = "FILE", description = "Operator configuration (lookout.yaml); embedded defaults without it.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<OperatorConfig> loaded = ConfigOption.load(config, err);
        if (loaded.isEmpty()) {
            return 1;
        }
        Optional<ManifestSet> valid = ValidateCommand.loadValid(paths, err);
        if (valid.isEmpty()) {
            return 1;
        }
        ManifestSet set = valid.get();
        List<HostPlan> plans;
        try (EngineClients clients = new EngineClients(DockerSettings.defaults())) {
            plans = new Planner(loaded.get(), clients).plan(set.resources(), set.secrets());
        }
        print(plans, out);
        out.flush();
        err.flush();
        // 1 wherever a person must act before run can do its part: a host that cannot be asked, a blocked change.
        if (plans.stream().anyMatch(p -> p.unavailable() != null
                || p.changes().stream().anyMatch(c -> c.action() == WorkloadChange.Action.BLOCKED))) {
            return 1;
        }
        return plans.stream().anyMatch(p -> !p.changes().isEmpty()) ? 2 : 0;
    }

    static void print(List<HostPlan> plans, PrintWriter out) {
        Map<WorkloadChange.Action, Integer> counts = new java.util.EnumMap<>(WorkloadChange.Action.class);
        for (HostPlan plan : plans) {
            out.println("Docker host " + plan.host() + " (" + plan.url() + "):");
            if (plan.unavailable() != null) {
                out.println("  cannot be asked: " + plan.unavailable());
                continue;
            }
            if (plan.changes().isEmpty()) {
                out.println("  no changes");
            }
            for (WorkloadChange c : plan.changes()) {
                counts.merge(c.action(), 1, Integer::sum);
                out.printf("  %-3s %-8s %s  (%s)%n", c.action().symbol(), c.action().name().toLowerCase(java.util.Locale.ROOT),
                        c.workload(), c.owner());
                out.println("        " + c.reason());
            }
            plan.notes().forEach(n -> out.println("  note: " + n));
        }
        out.printf("Plan: %s%d to create, %d to recreate, %d to start, %d to remove%s.%n",
                counts.containsKey(WorkloadChange.Action.BUILD) ? counts.get(WorkloadChange.Action.BUILD) + " to build, " : "",
                counts.getOrDefault(WorkloadChange.Action.CREATE, 0), counts.getOrDefault(WorkloadChange.Action.RECREATE, 0),
                counts.getOrDefault(WorkloadChange.Action.START, 0), counts.getOrDefault(WorkloadChange.Action.REMOVE, 0),
                counts.containsKey(WorkloadChange.Action.BLOCKED)
                        ? ", " + counts.get(WorkloadChange.Action.BLOCKED) + " blocked (marked !)" : "");
    }
}
