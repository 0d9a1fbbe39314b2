package dev.lookout.engine;

import dev.lookout.api.ObjectKey;
import dev.lookout.load.ManifestSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything a source knows at one moment: the validated manifests, where each identifiable document came
 * from with its content hash (valid or not, so an invalid edit still counts as a new generation), and the
 * files that could not be attributed to resources at all (a YAML syntax error): the resources such a file
 * held before keep their last good outputs instead of being deleted.
 *
 * @param oldestChange when the oldest change this snapshot carries happened (for change→reload latency)
 */
public record SourceSnapshot(ManifestSet manifests, Map<ObjectKey, Origin> origins, Set<Path> unreadableFiles,
                             Instant oldestChange) {
    public SourceSnapshot {
        origins = Map.copyOf(origins);
        unreadableFiles = Set.copyOf(unreadableFiles);
    }

    /**
     * Where a document came from and a hash of its content (without {@code status}).
     *
     * @param file       null where resources come from no file (Kubernetes)
     * @param generation the source's own generation ({@code metadata.generation} on Kubernetes), taken as the
     *                   resource's generation when its content changes; 0: the engine counts content changes itself
     */
    public record Origin(Path file, int line, String hash, long generation) {
        public Origin(Path file, int line, String hash) {
            this(file, line, hash, 0);
        }
    }
}
