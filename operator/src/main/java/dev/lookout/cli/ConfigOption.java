package dev.lookout.cli;

import dev.lookout.config.OperatorConfig;
import dev.lookout.config.OperatorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** The {@code --config FILE} option the commands share: the file's configuration, or the embedded defaults. */
final class ConfigOption {
    private ConfigOption() {
    }

    /** Empty when the file is invalid; its problems (file:line, field) are then printed to {@code err}. */
    static Optional<OperatorConfig> load(Path config, PrintWriter err) {
        if (config == null) {
            return Optional.of(OperatorConfig.defaults());
        }
        OperatorConfigLoader.Result loaded = new OperatorConfigLoader().load(config);
        if (loaded.config().isEmpty()) {
            loaded.problems().forEach(err::println);
            err.flush();
        }
        return loaded.config();
    }
}
