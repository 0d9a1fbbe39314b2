package dev.lookout.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a module's source where {@code spec.image.vtsSource} says: a local tarball or folder, read again when it
 * changes (its modification time), or a URL, downloaded once per Lookout run (a release tarball does not change).
 */
public final class ModuleSources {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration DOWNLOAD = Duration.ofMinutes(2);

    private record Read(String stamp, Map<String, byte[]> files) {
    }

    private final Map<String, Read> cache = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NORMAL).build();

    /** @throws UncheckedIOException when it cannot be read, saying why */
    public Map<String, byte[]> read(String where) {
        try {
            if (where.startsWith("http://") || where.startsWith("https://")) {
                Read kept = cache.get(where);
                if (kept == null) {
                    kept = new Read("", download(where));
                    cache.put(where, kept);
                }
                return kept.files();
            }
            Path path = Path.of(where);
            if (!Files.exists(path)) {
                throw new IOException("no such file or folder: " + path);
            }
            String stamp = Files.getLastModifiedTime(path) + "/" + (Files.isRegularFile(path) ? Files.size(path) : 0);
            Read kept = cache.get(where);
            if (kept == null || !kept.stamp().equals(stamp)) {
                kept = new Read(stamp, ModuleSource.read(path));
                cache.put(where, kept);
            }
            return kept.files();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private Map<String, byte[]> download(String url) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(DOWNLOAD).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url);
        }
        if (r.body().length > ModuleSource.MAX_BYTES) {
            throw new IOException(url + " is over " + ModuleSource.MAX_BYTES / 1024 / 1024 + " MiB: not a module's source");
        }
        return ModuleSource.tarball(r.body());
    }
}
