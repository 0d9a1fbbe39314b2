package dev.lookout.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.Patterns;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromDurationTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"30s,30000", "2m,120000", "1h30m,5400000", "500ms,500", "1d,86400000", "1w,604800000",
            "1y,31536000000", "1h1m1s1ms,3661001", "0s,0"})
    void parsesPrometheusDurations(String text, long millis) {
        assertThat(PromDuration.parse(text)).contains(Duration.ofMillis(millis));
        assertThat(text).as("the CRD pattern accepts what the parser accepts").matches(Patterns.DURATION);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "30", "1.5s", "10 minutes", "1m1h", "1s1s", "-5s", "5S", "99999999999999999999y"})
    void rejectsEverythingElse(String text) {
        assertThat(PromDuration.parse(text)).isEmpty();
    }
}
