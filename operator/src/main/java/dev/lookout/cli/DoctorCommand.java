package dev.lookout.cli;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.EngineClients;
import dev.lookout.doctor.Doctor;
import dev.lookout.doctor.Examination;
import dev.lookout.doctor.Finding;
import dev.lookout.load.ManifestFiles;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "doctor",
        description = "Look for the known pitfalls of a compose host and say what to do about each: bridges in a VPN,"
                + " avoided or routed range; targets on 127.0.0.1; the same container_name in several compose projects;"
                + " targets, Prometheus or blackbox off the shared network; daemon.json pools missing or different from"
                + " a NetworkPolicy; Prometheus without --web.enable-lifecycle; Prometheus or blackbox not answering.%n"
                + "Changes nothing (reading a host's routes runs a short-lived helper container there).%n"
                + "Exit 0 when nothing is found, 1 when something is, 2 when it could not look.")
final class DoctorCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Resources (files, or folders searched for *.yaml and *.yml),"
            + " and compose files (compose.yaml, docker-compose.yml…) to check for shared container names.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Operator configuration (lookout.yaml); embedded defaults without it.")
    Path config;

    @Option(names = "--daemon-json", paramLabel = "FILE", defaultValue = "/etc/docker/daemon.json",
            description = "The local engine's daemon.json (default: ${DEFAULT-VALUE}).")
    Path daemonJson;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<OperatorConfig> loaded = ConfigOption.load(config, err);
        if (loaded.isEmpty()) {
            return 2;
        }
        ManifestFiles.Found found = ManifestFiles.find(paths);
        List<Path> compose = found.files().stream().filter(DoctorCommand::isCompose).toList();
        List<Path> manifests = new ArrayList<>(found.files());
        manifests.removeAll(compose);
        ManifestSet set = manifests.isEmpty() ? null : new ManifestLoader().load(manifests);
        if (set != null) {
            set.warnings().forEach(err::println);
            set.errors().forEach(err::println);
        }
        found.problems().forEach(err::println);
        Examination exam;
        try (EngineClients clients = new EngineClients(DockerSettings.defaults())) {
            exam = new Doctor(loaded.get(), clients, daemonJson).examine(set == null ? List.of() : set.resources(), compose);
        }
        for (Finding f : exam.findings()) {
            out.println("! " + f);
        }
        List<String> notLooked = new ArrayList<>(exam.couldNotLook());
        if (set != null && set.rejected() > 0) {
            notLooked.add(set.rejected() + " resource document(s) that do not validate (above)");
        }
        notLooked.forEach(what -> out.println("? could not look at " + what));
        int problems = exam.findings().size();
        out.println(problems == 0 ? "no problem found" + (notLooked.isEmpty() ? "" : " in what could be looked at")
                : problems + (problems == 1 ? " problem found" : " problems found"));
        out.flush();
        err.flush();
        return problems > 0 ? 1 : notLooked.isEmpty() ? 0 : 2;
    }

    private static boolean isCompose(Path file) {
        return List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
                .contains(file.getFileName().toString());
    }
}
