package dev.lookout.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtpasswdTest {
    static final byte[] PASSWORD = "change-me-nginx".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSaltedSha512CryptLineThatOnlyTheRightPasswordMatches() {
        String line = Htpasswd.line("admin", PASSWORD);
        assertThat(line).matches("admin:\\$6\\$rounds=50000\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}\\n");
        assertThat(line).doesNotContain("change-me-nginx");
        assertThat(Htpasswd.matches(line, "admin", PASSWORD)).isTrue();
        assertThat(Htpasswd.matches(line, "admin", "wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(Htpasswd.matches(line, "root", PASSWORD)).isFalse();
        assertThat(Htpasswd.line("admin", PASSWORD)).as("a new salt each time").isNotEqualTo(line);
    }
}
