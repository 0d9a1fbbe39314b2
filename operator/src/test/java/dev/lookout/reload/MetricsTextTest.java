package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MetricsTextTest {
    private static final String METRIC = "prometheus_config_last_reload_successful";

    @Test
    void readsAnUnlabelledGauge() {
        String text = "# HELP prometheus_config_last_reload_successful Whether the last reload succeeded.\n"
                + "# TYPE prometheus_config_last_reload_successful gauge\n"
                + "prometheus_config_last_reload_success_timestamp_seconds 1.7955648372820985e+09\n"
                + "prometheus_config_last_reload_successful 1\n";

        assertThat(MetricsText.value(text, METRIC)).isEqualTo(OptionalDouble.of(1));
    }

    @Test
    void longerNameWithTheSamePrefixDoesNotMatch() {
        assertThat(MetricsText.value("prometheus_config_last_reload_successful_total 7\n", METRIC)).isEmpty();
    }

    @Test
    void stepsOverLabelsWithQuotedBracesAndATimestamp() {
        String text = "up{job=\"a}\\\"b\",instance=\"x\"} 0 1700000000000\n";

        assertThat(MetricsText.value(text, "up")).isEqualTo(OptionalDouble.of(0));
    }

    @Test
    void readsSpecialValuesAndSkipsGarbage() {
        assertThat(MetricsText.value("x +Inf\n", "x")).isEqualTo(OptionalDouble.of(Double.POSITIVE_INFINITY));
        assertThat(MetricsText.value("x NaN\n", "x").getAsDouble()).isNaN();
        assertThat(MetricsText.value("x{a=\"1\"\nx oops\nx 2\n", "x")).isEqualTo(OptionalDouble.of(2));
        assertThat(MetricsText.value("x\n", "x")).isEmpty();
        assertThat(MetricsText.value("", "x")).isEmpty();
    }
}
