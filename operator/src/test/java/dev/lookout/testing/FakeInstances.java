package dev.lookout.testing;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instances seam in memory, for reconciler unit tests: instances per host (a query's labels must be among an
 * instance's target labels), hosts that are down, who asked (and so would be requeued), and the restarts asked for.
 */
public final class FakeInstances implements Instances {
    private final Map<String, List<Instance>> byHost = new HashMap<>();
    private final Set<String> down = new HashSet<>();
    private final Map<ObjectKey, InstanceQuery> watching = new HashMap<>();
    private final List<String> restarts = new ArrayList<>();

    public synchronized FakeInstances put(String host, Instance... instances) {
        byHost.put(host, List.of(instances));
        return this;
    }

    public synchronized FakeInstances down(String host, boolean isDown) {
        if (isDown) {
            down.add(host);
        } else {
            down.remove(host);
        }
        return this;
    }

    @Override
    public synchronized Found find(ObjectKey owner, InstanceQuery query) {
        watching.put(owner, query);
        if (down.contains(query.host())) {
            return new Found.Unavailable("DockerUnavailable", "Docker host " + query.host() + " does not answer");
        }
        return new Found.Listed(byHost.getOrDefault(query.host(), List.of()).stream()
                .filter(i -> i.targetLabels().entrySet().containsAll(query.labels().entrySet())).toList(),
                "put them where Prometheus reaches them");
    }

    @Override
    public synchronized void forget(ObjectKey owner) {
        watching.remove(owner);
    }

    @Override
    public synchronized void restart(String host, Instance instance, Duration grace) {
        restarts.add(host + "/" + instance.id());
    }

    public synchronized boolean watches(ObjectKey owner) {
        return watching.containsKey(owner);
    }

    public synchronized List<String> restarts() {
        return List.copyOf(restarts);
    }
}
