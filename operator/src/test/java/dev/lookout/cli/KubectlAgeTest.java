package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubectlAgeTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "-PT5S, <invalid>",
        "-PT0.5S, 0s",
        "PT0S, 0s",
        "PT5S, 5s",
        "PT119S, 119s",
        "PT3M, 3m",
        "PT3M20S, 3m20s",
        "PT25M, 25m",
        "PT179M, 179m",
        "PT3H, 3h",
        "PT3H5M, 3h5m",
        "PT20H, 20h",
        "PT47H, 47h",
        "PT96H, 4d",
        "PT98H, 4d2h",
        "PT720H, 30d",
        "PT17520H, 2y",
        "PT17880H, 2y15d",
        "PT87600H, 10y",
    })
    void printsAgesAsKubectlGetDoes(String duration, String age) {
        assertThat(KubectlAge.of(Duration.parse(duration))).isEqualTo(age);
    }
}
