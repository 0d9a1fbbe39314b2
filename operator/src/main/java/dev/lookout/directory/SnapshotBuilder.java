package dev.lookout.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.engine.ContentHash;
import dev.lookout.engine.SourceSnapshot;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.manifest.YamlDocumentReader;
import dev.lookout.validation.Problem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the files of a folder, as read, into a validated {@link SourceSnapshot}. */
public final class SnapshotBuilder {
    private final ManifestLoader loader = new ManifestLoader();

    public SourceSnapshot build(Map<Path, YamlDocumentReader.Result> files, Instant oldestChange) {
        List<YamlDocument> documents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<Path> unreadable = new HashSet<>();
        Map<ObjectKey, SourceSnapshot.Origin> origins = new HashMap<>();
        files.forEach((file, read) -> {
            documents.addAll(read.documents());
            problems.addAll(read.problems());
            if (read.problems().stream().anyMatch(Problem::isError)) {
                unreadable.add(file);
            }
            for (YamlDocument doc : read.documents()) {
                identify(doc).ifPresent(key -> origins.putIfAbsent(key,
                        new SourceSnapshot.Origin(doc.file(), doc.line(), ContentHash.of(doc.root()))));
            }
        });
        ManifestSet set = loader.validate(documents, problems);
        return new SourceSnapshot(set, origins, unreadable, oldestChange);
    }

    /** The key a document claims, read leniently (validation reports what is wrong with it). */
    private static Optional<ObjectKey> identify(YamlDocument doc) {
        JsonNode root = doc.root();
        String kind = root.path("kind").asText("");
        String name = root.path("metadata").path("name").asText("");
        if (kind.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        String namespace = root.path("metadata").path("namespace").asText("");
        return Optional.of(new ObjectKey(kind, namespace.isEmpty() ? ObjectKey.DEFAULT_NAMESPACE : namespace, name));
    }
}
