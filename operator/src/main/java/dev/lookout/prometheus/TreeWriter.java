package dev.lookout.prometheus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes an {@link OutputTree} into a folder so that a reader never sees a partial file: each changed
 * file goes to a temp file in its own folder, is fsynced, then renamed over the old one. Files whose
 * bytes did not change are not touched. Files Lookout owns that the tree no longer has are removed;
 * nothing else in the folder is.
 */
public final class TreeWriter {
    /** Folders whose every file is Lookout's; the blackbox config itself is Lookout's to rewrite too. */
    static final List<String> OWNED_FOLDERS = List.of("prometheus/scrape", "prometheus/rules", "prometheus/targets",
            "prometheus/secrets", "blackbox/lookout-secrets");
    private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    /** lookout.yaml's {@code lookout.secretFilesGroupReadable}: a reader in Lookout's group (compose's group_add). */
    private static final Set<PosixFilePermission> SECRET_GROUP = PosixFilePermissions.fromString("rw-r-----");
    private static final String TEMP_MARK = ".lookout-tmp-";
    private static final Set<PosixFilePermission> PLAIN = PosixFilePermissions.fromString("rw-r--r--");

    /** What a write changed, by path in the tree. */
    public record Changes(List<String> written, List<String> removed) {
        public boolean any() {
            return !written.isEmpty() || !removed.isEmpty();
        }
    }

    private final Set<PosixFilePermission> secretMode;

    /** Secrets 0600. */
    public TreeWriter() {
        this(false);
    }

    /** @param groupReadableSecrets secrets 0640 rather than 0600 */
    public TreeWriter(boolean groupReadableSecrets) {
        this.secretMode = groupReadableSecrets ? SECRET_GROUP : SECRET;
    }

    public Changes write(OutputTree tree, Path root) throws IOException {
        return write(tree, root, (java.util.function.Predicate<RenderedFile>) null);
    }

    /**
     * Like {@link #write(OutputTree, Path)}, trusting that the files named in {@code unchanged} are on disk
     * with the same bytes (the caller wrote them): they are not even read back, which keeps a cycle over
     * thousands of files cheap.
     */
    public Changes write(OutputTree tree, Path root, java.util.function.Predicate<RenderedFile> unchanged) throws IOException {
        List<String> written = new ArrayList<>();
        Set<Path> keep = new HashSet<>();
        for (RenderedFile file : tree.files()) {
            Path target = root.resolve(file.path());
            keep.add(target.normalize());
            if (unchanged != null && unchanged.test(file)) {
                continue;
            }
            byte[] bytes = file.bytes();
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)
                    && (!file.secret() || Files.getPosixFilePermissions(target).equals(secretMode))) {
                continue; // a secret's mode changed in lookout.yaml is put right even where the bytes are the same
            }
            Files.createDirectories(target.getParent());
            writeAtomically(target, bytes, file.secret() ? secretMode : PLAIN);
            written.add(file.path());
        }
        List<String> removed = new ArrayList<>();
        for (String owned : OWNED_FOLDERS) {
            Path folder = root.resolve(owned);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path stale : files.filter(Files::isRegularFile).filter(f -> !keep.contains(f.normalize())).sorted().toList()) {
                    Files.delete(stale);
                    if (!isTemp(stale)) { // a temp file left by a killed writer is cleaned up silently
                        removed.add(root.relativize(stale).toString());
                    }
                }
            }
        }
        return new Changes(written, removed);
    }

    private static boolean isTemp(Path file) {
        return file.getFileName().toString().contains(TEMP_MARK);
    }

    /** Writes one file so that a reader sees the old bytes or the new ones, never a mix (0600 when secret). */
    public static void writeAtomically(Path target, byte[] bytes, boolean secret) throws IOException {
        writeAtomically(target, bytes, secret ? SECRET : PLAIN);
    }

    private static void writeAtomically(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        FileAttribute<Set<PosixFilePermission>> perms = PosixFilePermissions.asFileAttribute(mode);
        // Hidden and without the .yml suffix: Prometheus's *.yml globs never pick a temp file up.
        Path temp = target.resolveSibling("." + target.getFileName() + TEMP_MARK + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        try {
            // Created with its final mode, so a secret is never readable by others, not even briefly.
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), perms)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, mode); // the umask may have narrowed what CREATE_NEW set
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncFolder(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename itself durable. */
    private static void fsyncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a folder be opened for fsync; the rename is still atomic.
        }
    }
}
