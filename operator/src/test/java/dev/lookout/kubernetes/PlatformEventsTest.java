package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.probe.ComfyProbe;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PlatformEvents} on java-operator-sdk's own inbound event source, its event handler (java-operator-sdk's event
 * processor, which reconciles at once on any event, retry backoff or not) replaced by a recorder: what reaches it is
 * what would be reconciled. KubernetesPlatformRoutingTest shows the whole path (a deleted DaemonSet's watch event
 * reconciling its GpuNode through this source).
 */
class PlatformEventsTest {
    private static final ObjectKey PROBE = new ObjectKey("ComfyProbe", "ml", "comfy");

    private final Set<ObjectKey> failing = new HashSet<>();
    private final List<ResourceID> delivered = new ArrayList<>();
    private PlatformEvents events;
    private SimpleInboundEventSource<ComfyProbe> source;

    @BeforeEach
    void start() {
        events = new PlatformEvents(failing::contains);
        source = events.source("ComfyProbe");
        source.setEventHandler((Event e) -> delivered.add(e.getRelatedCustomResourceID()));
        source.start();
    }

    @Test
    void aRequeueBecomesAnEventForThatResource() {
        events.requeue(PROBE);

        assertThat(delivered).containsExactly(new ResourceID("comfy", "ml"));
    }

    @Test
    void aFailingResourceIsLeftToItsBackoffUnlessItsHostCameBack() {
        failing.add(PROBE);

        events.requeue(PROBE);
        assertThat(delivered).as("the retry's timer decides").isEmpty();

        events.reconcileNow(PROBE);
        assertThat(delivered).as("a Docker host reachable again").containsExactly(new ResourceID("comfy", "ml"));
    }

    @Test
    void anEventDuringAnAttemptWaitsForItsEndAndGoesOnOnlyIfItSucceeded() {
        events.started(PROBE);
        events.requeue(PROBE);
        events.requeue(PROBE);
        assertThat(delivered).as("held while the attempt runs").isEmpty();
        events.ended(PROBE, true);
        assertThat(delivered).as("once, after a success").containsExactly(new ResourceID("comfy", "ml"));

        delivered.clear();
        events.started(PROBE);
        events.requeue(PROBE); // what the failing attempt did itself, say
        events.ended(PROBE, false);
        assertThat(delivered).as("dropped after a failure: the backoff decides").isEmpty();
    }

    @Test
    void anEventRightAfterAFailedAttemptIsLeftToTheBackoffBeforeTheTableKnows() {
        events.started(PROBE);
        events.ended(PROBE, false); // java-operator-sdk calls updateErrorStatus (the table's failing) only after this
        events.requeue(PROBE);
        assertThat(delivered).isEmpty();

        events.started(PROBE);
        events.ended(PROBE, true); // its retry succeeded
        events.requeue(PROBE);
        assertThat(delivered).containsExactly(new ResourceID("comfy", "ml"));
    }

    @Test
    void nothingIsSentBeforeTheControllerStartsOrForAKindWithoutOne() {
        source.stop();
        events.requeue(PROBE);
        events.requeue(new ObjectKey("GpuNode", "ml", "g"));

        assertThat(delivered).isEmpty();
    }
}
