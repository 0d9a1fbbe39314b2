package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.BlackboxProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlackboxClient} against the real blackbox_exporter 0.28. */
class BlackboxClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String MODULE = "modules:\n  lookout/default/comfy:\n    prober: http\n    timeout: 5s\n";

    @TempDir
    Path dir;

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("blackbox.yml"), yaml);
    }

    @Test
    void reloadAppliesANewModule() throws IOException {
        try (BlackboxProcess blackbox = BlackboxProcess.start(config("modules:\n  http_2xx:\n    prober: http\n"))) {
            BlackboxClient client = new BlackboxClient(blackbox.uri(), TIMEOUT);
            config(MODULE);

            assertThat(client.reload()).isEqualTo(new ReloadOutcome.Applied());
            assertThat(blackbox.loadedConfig()).contains("lookout/default/comfy:").doesNotContain("http_2xx");
            assertThat(client.lastReloadSuccessful()).contains(true);
            assertThat(client.ready()).isTrue();
        }
    }

    @Test
    void badDurationIsRejectedWithBlackboxMessageAndTheOldModulesStay() throws IOException {
        try (BlackboxProcess blackbox = BlackboxProcess.start(config(MODULE))) {
            BlackboxClient client = new BlackboxClient(blackbox.uri(), TIMEOUT);
            config(MODULE.replace("5s", "5x"));

            assertThat(client.reload()).isEqualTo(new ReloadOutcome.Rejected("failed to reload config: error parsing config file:"
                    + " yaml: unmarshal errors:\n  line 4: cannot unmarshal !!str `5x` into time.Duration"));
            assertThat(client.lastReloadSuccessful()).contains(false);
            assertThat(blackbox.loadedConfig()).contains("timeout: 5s");
        }
    }

    @Test
    void badRegexIsRejectedNamingTheRegex() throws IOException {
        try (BlackboxProcess blackbox = BlackboxProcess.start(config(MODULE))) {
            config(MODULE + "    http:\n      fail_if_body_not_matches_regexp: ['(?<=a)b']\n");

            assertThat(new BlackboxClient(blackbox.uri(), TIMEOUT).reload()).isEqualTo(new ReloadOutcome.Rejected(
                    "failed to reload config: error parsing config file: \"Could not compile regular expression\" regexp=\"(?<=a)b\""));
        }
    }

    @Test
    void unknownProberAndMissingPasswordFileAreAcceptedByAReload() throws IOException {
        // What blackbox does not check at load time, Lookout's own checks must (the probe fails later otherwise).
        try (BlackboxProcess blackbox = BlackboxProcess.start(config(MODULE))) {
            config("modules:\n  a:\n    prober: htttp\n  b:\n    prober: http\n    http:\n"
                    + "      basic_auth: {username: u, password_file: " + dir.resolve("missing") + "}\n");

            assertThat(new BlackboxClient(blackbox.uri(), TIMEOUT).reload()).isEqualTo(new ReloadOutcome.Applied());
        }
    }

    @Test
    void closedPortIsUnreachable() {
        BlackboxClient client = new BlackboxClient(URI.create("http://127.0.0.1:" + ClosedPort.pick()), TIMEOUT);

        assertThat(client.reload()).isEqualTo(new ReloadOutcome.Unreachable("connection refused"));
        assertThat(client.ready()).isFalse();
    }
}
