package dev.lookout.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lookout.prometheus.TreeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The state folder of directory mode: status lives here, not in the user's files, so a restart keeps
 * generations, transition times and last good versions. Written atomically (same writer as the outputs),
 * and only when its bytes change.
 */
public final class StateStore {
    static final String FILE = "resources.json";
    private final Path folder;
    private final ObjectMapper mapper;
    /** SHA-256 of what is on disk: with 10,000 resources the file is megabytes, not worth keeping twice. */
    private byte[] lastWritten = new byte[0];

    public StateStore(Path folder, ObjectMapper mapper) {
        this.folder = folder;
        this.mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public Path folder() {
        return folder;
    }

    /** The saved resources; empty when there is no state yet. A corrupt file is reported, not fatal. */
    public List<PersistedResource> load() throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(file);
        lastWritten = sha256(bytes);
        return mapper.readValue(bytes, new TypeReference<List<PersistedResource>>() {
        });
    }

    public void save(List<PersistedResource> resources) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(resources);
        byte[] digest = sha256(bytes);
        if (Arrays.equals(digest, lastWritten)) {
            return;
        }
        Files.createDirectories(folder);
        TreeWriter.writeAtomically(folder.resolve(FILE), bytes, false);
        lastWritten = digest;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
