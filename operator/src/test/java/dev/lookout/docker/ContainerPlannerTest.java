package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.WorkloadChange.Action;
import dev.lookout.platform.WorkloadChange;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerPlannerTest {
    static final ObjectKey NODE = new ObjectKey("GpuNode", "default", "gpu-1");
    static final String OWNER = Ownership.owner(NODE);

    static ContainerSpec spec(String image) {
        return Ownership.stamp(new ContainerSpec("lookout-dcgm-exporter-default_gpu-1", image, null, Map.of("A", "1"), null,
                "gpu-1", "lookout", null, null, List.of(9400), null, null, null), "lookout", NODE);
    }

    static ContainerInfo running(ContainerSpec spec, String state) {
        return new ContainerInfo("id-" + spec.name(), spec.name(), spec.image(), spec.labels(), state, 0, Map.of("lookout", "10.0.0.2"),
                Instant.EPOCH);
    }

    @Test
    void ownershipLabelsAndAStableHashThatIgnoresThem() {
        ContainerSpec s = spec("dcgm:1");
        assertThat(s.labels()).containsEntry(Ownership.MANAGED_BY, "lookout").containsEntry(Ownership.OWNER, "gpunode.default.gpu-1")
                .containsKey(Ownership.SPEC_HASH);
        assertThat(Ownership.specHash(s)).isEqualTo(s.labels().get(Ownership.SPEC_HASH)).hasSize(16);
        assertThat(Ownership.specHash(spec("dcgm:2"))).isNotEqualTo(Ownership.specHash(s));
        Map<String, String> reordered = new HashMap<>(Map.of("B", "2", "A", "1"));
        ContainerSpec a = new ContainerSpec("n", "i", null, reordered, null, null, "net", null, null, null, null, null, null);
        ContainerSpec b = new ContainerSpec("n", "i", null, Map.of("A", "1", "B", "2"), null, null, "net", null, null, null, null, null, null);
        assertThat(Ownership.specHash(a)).isEqualTo(Ownership.specHash(b));
    }

    @Test
    void createsWhatIsMissingAndNothingTheSecondTime() {
        ContainerSpec s = spec("dcgm:1");
        assertThat(ContainerPlanner.plan("local", OWNER, s, List.of(), List.of()))
                .extracting(WorkloadChange::action).containsExactly(Action.CREATE);
        ContainerInfo c = running(s, "running");
        assertThat(ContainerPlanner.plan("local", OWNER, s, List.of(c), List.of(c))).isEmpty();
    }

    @Test
    void recreatesOnlyWhenTheHashChanges() {
        ContainerInfo old = running(spec("dcgm:1"), "running");
        List<WorkloadChange> plan = ContainerPlanner.plan("local", OWNER, spec("dcgm:2"), List.of(old), List.of(old));
        assertThat(plan).singleElement().satisfies(ch -> {
            assertThat(ch.action()).isEqualTo(Action.RECREATE);
            assertThat(ch.reason()).contains(old.label(Ownership.SPEC_HASH));
        });
    }

    @Test
    void startsAStoppedContainerAndRemovesWhatTheResourceNoLongerWants() {
        ContainerSpec s = spec("dcgm:1");
        ContainerInfo stopped = running(s, "exited");
        assertThat(ContainerPlanner.plan("local", OWNER, s, List.of(stopped), List.of(stopped)))
                .extracting(WorkloadChange::action).containsExactly(Action.START);
        assertThat(ContainerPlanner.plan("local", OWNER, null, List.of(stopped), List.of(stopped)))
                .extracting(WorkloadChange::action, WorkloadChange::reason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Action.REMOVE, "its resource is gone"));
    }

    @Test
    void neverTouchesAContainerItDoesNotOwn() {
        ContainerSpec s = spec("dcgm:1");
        ContainerInfo someoneElses = new ContainerInfo("x", s.name(), "other", Map.of(), "running", 0, Map.of(), null);
        assertThat(ContainerPlanner.plan("local", OWNER, s, List.of(), List.of(someoneElses)))
                .singleElement().satisfies(ch -> {
                    assertThat(ch.action()).isEqualTo(Action.BLOCKED);
                    assertThat(ch.reason()).contains("Lookout does not own it");
                });
    }

    @Test
    void aDeadContainerIsRecreatedAndAPausedOneLeftAlone() {
        ContainerSpec s = spec("dcgm:1");
        ContainerInfo dead = running(s, "dead");
        assertThat(ContainerPlanner.plan("local", OWNER, s, List.of(dead), List.of(dead)))
                .extracting(WorkloadChange::action).containsExactly(Action.RECREATE);
        ContainerInfo paused = running(s, "paused");
        assertThat(ContainerPlanner.plan("local", OWNER, s, List.of(paused), List.of(paused))).isEmpty();
    }

    @Test
    void theHashIsPinnedSoAnUpgradeDoesNotRecreateEveryContainer() {
        // A changed canonical form would change every running container's hash: this value must only change on purpose.
        ContainerSpec bare = new ContainerSpec("c", "img:1", List.of("-f", "x"), Map.of("A", "1"), Map.of("l", "v"), "h",
                "net", null, new ContainerSpec.GpuRequest("nvidia", -1, null, null), List.of(9400), null, List.of("SYS_ADMIN"), null);
        assertThat(Ownership.specHash(bare)).isEqualTo(PINNED_HASH);
    }

    /**
     * sha256 of {"capAdd":["SYS_ADMIN"],"cmd":["-f","x"],"env":{"A":"1"},"exposedPorts":[9400],"gpus":{"capabilities":
     * ["gpu"],"count":-1,"driver":"nvidia"},"hostname":"h","image":"img:1","labels":{"l":"v"},"name":"c","network":"net",
     * "restartPolicy":"unless-stopped"} (sorted keys, empty values left out), first 16 hex digits, computed outside Java.
     */
    static final String PINNED_HASH = "cd5b3af4f873a8ec";

    @Test
    void anOrphanSweepLeavesAHelperInFlightAndTakesOneThatExited() {
        Map<String, String> helper = Map.of(Ownership.MANAGED_BY, Ownership.LOOKOUT, Ownership.INSTANCE, "lookout",
                Ownership.OWNER, Ownership.HELPER_PREFIX + "check.nginxvtstarget.default.edge");
        ContainerInfo checking = new ContainerInfo("id-1", "lookout-check-1", "nginx", helper, "running", 0, Map.of(), null);
        ContainerInfo leftover = new ContainerInfo("id-2", "lookout-check-2", "nginx", helper, "exited", 0, Map.of(), null);

        assertThat(ContainerPlanner.orphans("local", java.util.List.of(checking, leftover), java.util.Set.of()))
                .extracting(WorkloadChange::workload).containsExactly("lookout-check-2");
    }
}
