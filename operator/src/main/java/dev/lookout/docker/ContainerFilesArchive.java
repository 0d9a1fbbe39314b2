package dev.lookout.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar archive that puts a container's {@link ContainerSpec.ContainerFile files} in place, extracted at
 * {@code /}. It holds only the files, owned by root: the engine creates missing parent folders, and an entry for
 * an existing folder would reset that folder's mode and owner (think of {@code /tmp}).
 */
final class ContainerFilesArchive {
    private ContainerFilesArchive() {
    }

    static byte[] of(List<ContainerSpec.ContainerFile> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (ContainerSpec.ContainerFile file : files) {
                TarArchiveEntry entry = new TarArchiveEntry(entryName(file.path()));
                entry.setSize(file.content().length);
                entry.setMode(file.mode() == 0 ? 0644 : file.mode());
                entry.setIds(0, 0);
                tar.putArchiveEntry(entry);
                tar.write(file.content());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("building the archive of a container's files", e);
        }
        return bytes.toByteArray();
    }

    /** {@code /etc/x.conf} → {@code etc/x.conf}; a path that climbs out with {@code ..} is refused. */
    private static String entryName(String path) {
        String relative = path.replaceFirst("^/+", "");
        if (relative.isEmpty() || relative.endsWith("/")) {
            throw new IllegalArgumentException("a container file needs a file path, not '" + path + "'");
        }
        for (String part : relative.split("/")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("a container file path may not contain '..': " + path);
            }
        }
        return relative;
    }
}
