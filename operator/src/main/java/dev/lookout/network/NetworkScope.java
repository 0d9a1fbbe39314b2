package dev.lookout.network;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Networks in scope: those of the listed compose projects, those matching every label, or all user bridges.
 *  The built-in {@code bridge}, {@code host} and {@code none} are never in scope. */
public record NetworkScope(
        @JsonPropertyDescription("Compose projects whose networks are in scope.") List<String> composeProjects,
        @JsonPropertyDescription("Network labels that must all match.") Map<String, String> labelSelector,
        @JsonPropertyDescription("Every user-defined bridge network.") Boolean allUserBridges) {
    public NetworkScope {
        composeProjects = composeProjects == null ? List.of() : List.copyOf(composeProjects);
        labelSelector = labelSelector == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labelSelector));
        allUserBridges = allUserBridges == null ? Boolean.FALSE : allUserBridges;
    }
}
