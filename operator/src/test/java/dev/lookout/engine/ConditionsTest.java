package dev.lookout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-24T10:05:00Z");

    @Test
    void transitionTimeMovesOnlyWhenTheStatusChanges() {
        List<Condition> c = Conditions.set(List.of(), "Ready", "False", "InvalidSpec", "bad port", T0);
        c = Conditions.set(c, "Ready", "False", "InvalidSpec", "bad path", T1);
        assertThat(Conditions.find(c, "Ready").lastTransitionTime()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(Conditions.find(c, "Ready").message()).isEqualTo("bad path");
        c = Conditions.set(c, "Ready", "True", "Applied", "live", T1);
        assertThat(Conditions.find(c, "Ready").lastTransitionTime()).isEqualTo("2026-11-24T10:05:00Z");
        assertThat(c).hasSize(1);
    }

    @Test
    void otherConditionsAreKept() {
        List<Condition> c = Conditions.set(List.of(), "Ready", "True", "Applied", "live", T0);
        c = Conditions.set(c, "Discovered", "True", "Found", "2 containers", T1);
        assertThat(c).extracting(Condition::type).containsExactly("Ready", "Discovered");
    }
}
