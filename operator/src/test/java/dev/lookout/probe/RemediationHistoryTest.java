package dev.lookout.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class RemediationHistoryTest {
    static final Instant AT = Instant.parse("2026-11-25T03:00:00.123Z");

    @TempDir
    Path state;

    @Test
    void aRestartIsRememberedByTheNextLookoutUntilItsProbeIsForgotten() {
        RemediationHistory first = RemediationHistory.load(state);
        first.restarted("ComfyProbe default/heal/heal-comfy-1", AT);
        first.restarted("ComfyProbe default/heal2/heal2-comfy-1", AT.plusSeconds(5));

        RemediationHistory next = RemediationHistory.load(state);
        assertThat(next.last("ComfyProbe default/heal/heal-comfy-1")).contains(AT);
        assertThat(next.last("ComfyProbe default/heal/other")).isEmpty();

        next.forget("ComfyProbe default/heal/"); // not heal2's
        RemediationHistory after = RemediationHistory.load(state);
        assertThat(after.last("ComfyProbe default/heal/heal-comfy-1")).isEmpty();
        assertThat(after.last("ComfyProbe default/heal2/heal2-comfy-1")).contains(AT.plusSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"ComfyProbe default/heal/c\": \"yesterday\"}", "{\"ComfyProbe default/heal/c\": null}",
            "null", "[1, 2]", "{\"ComfyProbe default/heal/c\": ", ""})
    void anUnreadableHistoryIsSaidAndStartedAfresh(String content) throws Exception {
        Files.writeString(state.resolve(RemediationHistory.FILE), content);
        try (LogCapture log = LogCapture.start()) {
            RemediationHistory history = RemediationHistory.load(state);
            assertThat(history.last("ComfyProbe default/heal/c")).isEmpty();
            assertThat(log.text()).contains(RemediationHistory.FILE + " cannot be read");
            history.restarted("ComfyProbe default/heal/c", AT);
        }
        assertThat(RemediationHistory.load(state).last("ComfyProbe default/heal/c")).contains(AT);
    }

    @Test
    void withoutAStateFolderItIsKeptInMemory() {
        RemediationHistory history = RemediationHistory.inMemory();
        history.restarted("ComfyProbe default/heal/c", AT);
        assertThat(history.last("ComfyProbe default/heal/c")).contains(AT);
    }
}
