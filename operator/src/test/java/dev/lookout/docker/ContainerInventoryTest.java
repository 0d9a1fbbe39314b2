package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerInventoryTest {
    private static ContainerInfo container(String id, String state) {
        return new ContainerInfo(id, "c-" + id, "img", Map.of(), state, 0, Map.of(), null);
    }

    @Test
    void aDifferenceNoEventExplainedIsUnreported() {
        ContainerInventory inventory = new ContainerInventory();
        inventory.replaceAll(List.of(container("a", "running"), container("b", "running")));
        long mark = inventory.mark();

        List<ContainerInfo> fresh = List.of(container("a", "exited"), container("b", "running"),
                container("c", "created"));

        assertThat(inventory.unreported(fresh, mark)).containsExactly("a", "c");
    }

    @Test
    void whatAnEventWroteAfterTheListBeganIsNotADifference() {
        ContainerInventory inventory = new ContainerInventory();
        inventory.replaceAll(List.of(container("a", "running")));
        long mark = inventory.mark();
        inventory.put(container("a", "restarting")); // newer than the list's view of it
        inventory.put(container("c", "created"));

        assertThat(inventory.unreported(List.of(container("a", "exited"), container("c", "created")), mark))
                .isEmpty();
    }

    @Test
    void aContainerGoneFromTheListIsUnreportedUnlessItsRemovalWasSeen() {
        ContainerInventory inventory = new ContainerInventory();
        inventory.replaceAll(List.of(container("a", "running"), container("b", "running")));
        long mark = inventory.mark();
        inventory.remove("b");

        assertThat(inventory.unreported(List.of(), mark)).containsExactly("a");
        assertThat(inventory.all()).extracting(ContainerInfo::id).containsExactly("a");
        assertThat(inventory.get("b")).isEmpty();

        inventory.forgetRemovedBefore(inventory.mark());
        inventory.replaceAll(List.of());
        assertThat(inventory.all()).isEmpty();
    }

    @Test
    void aRemovedContainerIsGoneButItsLastLookIsKeptUntilItsTombstoneIsForgotten() {
        ContainerInventory inventory = new ContainerInventory();
        inventory.put(container("a", "running"));
        inventory.remove("a"); // a die whose inspect found it already removed
        inventory.remove("a"); // then its destroy
        assertThat(inventory.get("a")).isEmpty();
        assertThat(inventory.all()).isEmpty();
        assertThat(inventory.lastSeen("a")).contains(container("a", "running"));
        assertThat(inventory.lastSeen("never")).isEmpty();
        inventory.remove("unknown");
        assertThat(inventory.lastSeen("unknown")).isEmpty();

        // A tombstone listed again (removal reported, then the list still had it) is a difference; forgotten, it is gone.
        long mark = inventory.mark();
        assertThat(inventory.unreported(List.of(container("a", "running")), mark)).containsExactly("a");
        inventory.forgetRemovedBefore(inventory.mark());
        assertThat(inventory.lastSeen("a")).isEmpty();
    }
}
