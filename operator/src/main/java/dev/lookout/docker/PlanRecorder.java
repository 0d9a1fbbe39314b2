package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.WorkloadChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a dry-run Docker platform would have done, per host: the changes and the notes. Also which host each resource
 * asked (and where it looked for instances), so that {@code lookout plan} can say what it found, or what failed,
 * under that host.
 */
public final class PlanRecorder {
    private final Map<String, List<WorkloadChange>> changes = new LinkedHashMap<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final Map<ObjectKey, String> searched = new ConcurrentHashMap<>();
    private final Map<ObjectKey, String> asked = new ConcurrentHashMap<>();

    synchronized void changes(String host, List<WorkloadChange> planned) {
        changes.computeIfAbsent(host, h -> new ArrayList<>()).addAll(planned);
    }

    synchronized void note(String host, String note) {
        notes.computeIfAbsent(host, h -> new ArrayList<>()).add(note);
    }

    void searched(ObjectKey owner, String host) {
        searched.put(owner, host);
        asked(owner, host);
    }

    void asked(ObjectKey owner, String host) {
        asked.put(owner, host);
    }

    /** The host {@code owner}'s reconcile asked last, if it asked any. */
    public Optional<String> askedOn(ObjectKey owner) {
        return Optional.ofNullable(asked.get(owner));
    }

    /** The host on which {@code owner} looked for instances (a probe's discovery), if it did. */
    public Optional<String> searchedOn(ObjectKey owner) {
        return Optional.ofNullable(searched.get(owner));
    }

    public synchronized List<WorkloadChange> changes(String host) {
        return List.copyOf(changes.getOrDefault(host, List.of()));
    }

    public synchronized List<String> notes(String host) {
        return List.copyOf(notes.getOrDefault(host, List.of()));
    }

}
