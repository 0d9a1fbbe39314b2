package dev.lookout.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "lookout",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps the monitoring of Docker Compose hosts and GPU clusters true by itself.",
        subcommands = {RunCommand.class, GetCommand.class, ValidateCommand.class, RenderCommand.class, PlanCommand.class,
                DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class LookoutCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With the factory that creates the commands (tests hand commands a fixed clock). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        return new CommandLine(new LookoutCommand(), factory).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
