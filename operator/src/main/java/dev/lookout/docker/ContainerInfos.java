package dev.lookout.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/** {@link ContainerInfo} read from an inspect: the one place that knows the shape of Docker's answer. */
final class ContainerInfos {
    /** What Docker reports as the start time of a container that never started. */
    private static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

    private ContainerInfos() {
    }

    static ContainerInfo of(InspectContainerResponse inspect) {
        String name = inspect.getName() == null ? "" : inspect.getName().replaceFirst("^/", "");
        var config = inspect.getConfig();
        var state = inspect.getState();
        Map<String, String> networks = new TreeMap<>();
        if (inspect.getNetworkSettings() != null && inspect.getNetworkSettings().getNetworks() != null) {
            for (Map.Entry<String, ContainerNetwork> n : inspect.getNetworkSettings().getNetworks().entrySet()) {
                String ip = n.getValue() == null ? null : n.getValue().getIpAddress();
                networks.put(n.getKey(), ip == null ? "" : ip);
            }
        }
        return new ContainerInfo(inspect.getId(), name, config == null ? null : config.getImage(),
                config == null ? null : config.getLabels(), state == null ? null : state.getStatus(),
                inspect.getRestartCount() == null ? 0 : inspect.getRestartCount(), networks,
                startedAt(state == null ? null : state.getStartedAt()));
    }

    private static Instant startedAt(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Instant at = Instant.parse(text);
            return at.equals(NEVER) ? null : at;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
