package dev.lookout.nginx;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A module's source as the build context carries it: its files by path relative to the module's top folder (where its
 * {@code config} is). From a folder, or a {@code .tar.gz} whose entries may all sit in one top folder (as a release
 * tarball's do: {@code nginx-module-vts-0.2.4/config}), which is then taken off.
 */
public final class ModuleSource {
    /** A module's source bigger than this is refused: a wrong path (a home folder) rather than a module. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private ModuleSource() {
    }

    public static Map<String, byte[]> read(Path source) throws IOException {
        Map<String, byte[]> files = Files.isDirectory(source) ? folder(source) : entries(Files.readAllBytes(source));
        if (!files.containsKey("config")) {
            throw new IOException(source + " holds no nginx module: there is no config file at its top (found "
                    + files.keySet().stream().limit(5).toList() + (files.size() > 5 ? ", …" : "") + ")");
        }
        return files;
    }

    private static Map<String, byte[]> folder(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(f).toString().replace('\\', '/');
                if (relative.startsWith(".git/") || relative.contains("/.git/")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(f);
                total += bytes.length;
                if (total > MAX_BYTES) {
                    throw new IOException(root + " is over " + MAX_BYTES / 1024 / 1024 + " MiB: not a module's source");
                }
                files.put(relative, bytes);
            }
        }
        return files;
    }

    static Map<String, byte[]> tarball(byte[] gz) throws IOException {
        Map<String, byte[]> files = entries(gz);
        if (!files.containsKey("config")) {
            throw new IOException("the tarball holds no nginx module: there is no config file at its top");
        }
        return files;
    }

    private static Map<String, byte[]> entries(byte[] gz) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (!e.isFile()) {
                    continue;
                }
                String name = e.getName().replaceFirst("^\\./", "");
                if (name.startsWith("/") || name.contains("../")) {
                    throw new IOException("the tarball has an entry outside its folder: " + e.getName());
                }
                byte[] bytes = tar.readAllBytes();
                total += bytes.length;
                if (total > MAX_BYTES) {
                    throw new IOException("the tarball is over " + MAX_BYTES / 1024 / 1024 + " MiB unpacked: not a module's source");
                }
                files.put(name, bytes);
            }
        }
        return stripTopFolder(files);
    }

    /** {@code nginx-module-vts-0.2.4/config} → {@code config} when every entry is in that one folder. */
    private static Map<String, byte[]> stripTopFolder(Map<String, byte[]> files) {
        String top = null;
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            String first = slash < 0 ? null : name.substring(0, slash + 1);
            if (first == null || top != null && !top.equals(first)) {
                return files;
            }
            top = first;
        }
        if (top == null) {
            return files;
        }
        Map<String, byte[]> stripped = new TreeMap<>();
        String prefix = top;
        files.forEach((name, bytes) -> stripped.put(name.substring(prefix.length()), bytes));
        return stripped;
    }
}
