package dev.lookout.probe;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lookout.prometheus.TreeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When Lookout last restarted each container for a probe, kept in the state folder ({@code remediations.json})
 * so that "at most once per window" holds across a restart of Lookout itself: an upgrade in the middle of a
 * window must not restart a ComfyUI that cannot come up once more. Keyed by {@code probe key/container name}.
 */
final class RemediationHistory {
    static final String FILE = "remediations.json";
    private static final Logger LOG = LoggerFactory.getLogger(RemediationHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Null: kept in memory only. */
    private final Path file;
    /** ISO-8601 instants, as written. */
    private final Map<String, String> last = new TreeMap<>();

    private RemediationHistory(Path file) {
        this.file = file;
    }

    static RemediationHistory inMemory() {
        return new RemediationHistory(null);
    }

    /** The history saved in {@code stateDir}; an unreadable file is said once and started afresh, never fatal. */
    static RemediationHistory load(Path stateDir) {
        RemediationHistory history = new RemediationHistory(stateDir.resolve(FILE));
        if (Files.isRegularFile(history.file)) {
            try {
                Map<String, String> saved = JSON.readValue(history.file.toFile(), new TypeReference<Map<String, String>>() {
                });
                if (saved == null) {
                    throw new IOException("null instead of an object");
                }
                for (Map.Entry<String, String> e : saved.entrySet()) { // all or nothing: a half-understood history is not trusted
                    if (e.getValue() == null) {
                        throw new IOException("no time for " + e.getKey());
                    }
                    Instant.parse(e.getValue());
                }
                history.last.putAll(saved);
            } catch (IOException | java.time.format.DateTimeParseException e) {
                LOG.warn("{} cannot be read ({}); remediation starts without knowing its earlier restarts", history.file,
                        e.getMessage());
            }
        }
        return history;
    }

    synchronized Optional<Instant> last(String id) {
        return Optional.ofNullable(last.get(id)).map(Instant::parse);
    }

    synchronized void restarted(String id, Instant at) {
        last.put(id, at.toString());
        save();
    }

    /** Drops everything recorded under {@code prefix} (a probe that was deleted). */
    synchronized void forget(String prefix) {
        if (last.keySet().removeIf(id -> id.startsWith(prefix))) {
            save();
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            TreeWriter.writeAtomically(file, JSON.writeValueAsBytes(last), false);
        } catch (IOException e) {
            // The restart happened and is remembered in memory; only a restart of Lookout would forget it.
            LOG.warn("cannot save {} ({}); a restart of Lookout would forget the remediation restarts since", file,
                    e.getMessage());
        }
    }
}
