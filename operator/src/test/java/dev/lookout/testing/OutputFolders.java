package dev.lookout.testing;

import dev.lookout.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lookout's {@code --out} folder under a test's temp folder, laid out for a Prometheus and a blackbox_exporter on this
 * host that read it: a prometheus.yml that includes Lookout's scrape and rule files (scraping and evaluating every
 * second), and a user blackbox config with one module of the user's own (which Lookout's merge must keep).
 */
public record OutputFolders(Path out, Path prometheusConfig, Path blackboxConfig) {
    public static OutputFolders create(Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(out.resolve("blackbox"));
        Files.createDirectories(out.resolve("prometheus/scrape"));
        Files.createDirectories(out.resolve("prometheus/rules"));
        Path blackbox = Files.writeString(out.resolve("blackbox/blackbox.yml"), "modules:\n  http_2xx:\n    prober: http\n");
        Path prometheus = Files.writeString(tmp.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_config_files: ["%1$s/prometheus/scrape/*.yml"]
                rule_files: ["%1$s/prometheus/rules/*.yml"]
                """.formatted(out));
        return new OutputFolders(out, prometheus, blackbox);
    }

    /** lookout.yaml for these folders: Lookout writes into {@link #out} and reloads {@code prometheus} and {@code blackbox}. */
    public OperatorConfig config(PrometheusProcess prometheus, BlackboxProcess blackbox) {
        return new OperatorConfig(null,
                new OperatorConfig.Prometheus(prometheus.uri().toString(), out.resolve("prometheus").toString(), null, null, null),
                new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), blackboxConfig.toString()),
                null, null);
    }
}
