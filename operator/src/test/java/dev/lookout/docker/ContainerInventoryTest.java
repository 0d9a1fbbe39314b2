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
}
