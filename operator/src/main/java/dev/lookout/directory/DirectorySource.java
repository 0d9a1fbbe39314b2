package dev.lookout.directory;

import dev.lookout.engine.SourceSnapshot;
import dev.lookout.load.ManifestFiles;
import dev.lookout.load.ManifestLoader;
import dev.lookout.manifest.YamlDocumentReader;
import dev.lookout.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resources from a folder of manifests, watched. The JDK's WatchService is inotify on Linux (no polling, no
 * extra library; a folder is watched per directory, so new sub-folders are registered as they appear).
 * Events are debounced: a change is published once the folder has been quiet for {@code quiet}, or after
 * {@code maxDelay} under continuous churn, so a burst becomes one snapshot. A file that does not parse or
 * validate on its own and was modified within {@code settle} is given that long to be completed (a partial
 * write is not an error; a valid edit is not delayed).
 * A full rescan every {@code resync} (and after an inotify overflow) is the safety net for missed events.
 * Only changed files are read again; validation runs over all documents, as rules span resources.
 */
public final class DirectorySource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySource.class);

    public record Settings(Duration quiet, Duration maxDelay, Duration settle, Duration resync) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(15), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofMinutes(5));
    }

    private record FileEntry(long modified, long size, YamlDocumentReader.Result read) {
    }

    private final Path root;
    private final Consumer<SourceSnapshot> sink;
    private final Settings settings;
    private final Clock clock;
    private final YamlDocumentReader reader = new YamlDocumentReader();
    private final SnapshotBuilder snapshots = new SnapshotBuilder();
    private final ManifestLoader loader = new ManifestLoader();
    private final Map<Path, FileEntry> files = new TreeMap<>();
    private final Map<WatchKey, Path> watched = new HashMap<>();
    /** Paths with an unpublished change, and when their change was first seen (nanoTime). */
    private final Map<Path, Long> dirty = new HashMap<>();
    /** Unparseable files given time to be completed: path → nanoTime after which the error is published. */
    private final Map<Path, Long> settling = new HashMap<>();
    private WatchService watcher;
    private Thread thread;
    private volatile boolean running;
    /** Changes seen but not published yet (read from other threads: tests, benches, readiness). */
    private volatile boolean pending;
    private long lastEventNanos;
    private Instant firstChange;
    private long nextResyncNanos;
    private final Consumer<Path> otherFile;

    public DirectorySource(Path root, Consumer<SourceSnapshot> sink, Settings settings, Clock clock) {
        this(root, sink, file -> { }, settings, clock);
    }

    /**
     * @param otherFile told of a change to a file in the folder that is no manifest (an nginx include, a certificate, a
     *                  module's source), which resources may read
     */
    public DirectorySource(Path root, Consumer<SourceSnapshot> sink, Consumer<Path> otherFile, Settings settings, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.sink = sink;
        this.otherFile = otherFile;
        this.settings = settings;
        this.clock = clock;
    }

    /** Reads the whole folder, publishes it (synchronously, so the first snapshot is complete), then watches. */
    public void start() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("cannot watch " + root + ": no such folder");
        }
        watcher = FileSystems.getDefault().newWatchService();
        registerTree(root);
        firstChange = clock.instant();
        for (Path file : walk(root)) {
            load(file);
        }
        publish();
        nextResyncNanos = System.nanoTime() + settings.resync().toNanos();
        running = true;
        thread = new Thread(this::watchLoop, "lookout-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watchLoop() {
        try {
            while (running) {
                WatchKey key = watcher.poll(pollTimeoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                while (key != null) {
                    handle(key);
                    key = watcher.poll();
                }
                long now = System.nanoTime();
                if (now >= nextResyncNanos) {
                    rescan();
                    nextResyncNanos = now + settings.resync().toNanos();
                }
                if (due(now)) {
                    flush(now);
                }
                pending = !dirty.isEmpty() || !settling.isEmpty();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the watch of {} stopped: {}", root, e.toString(), e);
        }
    }

    private long pollTimeoutMillis() {
        long now = System.nanoTime();
        long next = nextResyncNanos;
        if (!dirty.isEmpty()) {
            long oldest = dirty.values().stream().min(Long::compare).orElse(now);
            next = Math.min(next, Math.min(lastEventNanos + settings.quiet().toNanos(), oldest + settings.maxDelay().toNanos()));
        }
        for (long until : settling.values()) {
            next = Math.min(next, until);
        }
        return Math.max(1, (next - now + 999_999) / 1_000_000);
    }

    private boolean due(long now) {
        if (settling.values().stream().anyMatch(until -> until <= now)) {
            return true;
        }
        if (dirty.isEmpty()) {
            return false;
        }
        long oldest = dirty.values().stream().min(Long::compare).orElse(now);
        return now - lastEventNanos >= settings.quiet().toNanos() || now - oldest >= settings.maxDelay().toNanos();
    }

    private void handle(WatchKey key) {
        Path folder = watched.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                LOG.warn("too many changes at once in {} (inotify overflow): rescanning", root);
                rescan();
                continue;
            }
            if (folder == null) {
                continue;
            }
            Path path = folder.resolve((Path) event.context());
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !ManifestFiles.isHidden(root, path)) {
                registerTree(path); // a new folder: watch it and pick up what was written before the watch began
                walk(path).forEach(this::markDirty);
            } else if (ManifestFiles.isManifest(root, path) || files.containsKey(path)) {
                markDirty(path);
            } else if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE && files.keySet().stream().anyMatch(f -> f.startsWith(path))) {
                files.keySet().stream().filter(f -> f.startsWith(path)).toList().forEach(this::markDirty); // a folder went away
            } else if (!ManifestFiles.isHidden(root, path)) {
                otherFile.accept(path); // written, replaced (a symlink swapped) or deleted: its readers look again
            }
        }
        if (!key.reset()) {
            watched.remove(key);
        }
    }

    private void markDirty(Path path) {
        long now = System.nanoTime();
        pending = true;
        lastEventNanos = now;
        if (firstChange == null) {
            firstChange = clock.instant();
        }
        dirty.putIfAbsent(path, now);
    }

    private void flush(long now) {
        boolean changed = false;
        for (Path path : new ArrayList<>(dirty.keySet())) {
            dirty.remove(path);
            changed |= load(path);
        }
        for (Map.Entry<Path, Long> s : new ArrayList<>(settling.entrySet())) {
            if (s.getValue() <= now && !dirty.containsKey(s.getKey())) {
                settling.remove(s.getKey());
                changed |= load(s.getKey(), true);
            }
        }
        if (changed) {
            publish();
        }
    }

    /** Reads one file into the cache; false when nothing changed for the snapshot. */
    private boolean load(Path file) {
        return load(file, false);
    }

    private boolean load(Path file, boolean settled) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            settling.remove(file);
            return files.remove(file) != null; // deleted: its resources go with it
        }
        if (!attrs.isRegularFile() || !ManifestFiles.isManifest(root, file)) {
            return files.remove(file) != null;
        }
        YamlDocumentReader.Result read = reader.read(file);
        long age = clock.millis() - attrs.lastModifiedTime().toMillis();
        boolean young = !settled && age < settings.settle().toMillis();
        if (young && (read.problems().stream().anyMatch(Problem::isError) || !loader.validAlone(read.documents()))) {
            // Perhaps half-written: keep the previous content for now and look again once it had time to settle.
            settling.put(file, System.nanoTime() + (settings.settle().toMillis() - Math.max(age, 0)) * 1_000_000L);
            return false;
        }
        settling.remove(file);
        files.put(file, new FileEntry(attrs.lastModifiedTime().toMillis(), attrs.size(), read));
        return true;
    }

    /** The safety net: compares every file's size and time with the cache and marks what differs. */
    private void rescan() {
        Set<Path> present = new HashSet<>(walk(root));
        for (Path file : present) {
            FileEntry entry = files.get(file);
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                if (entry == null || entry.modified() != attrs.lastModifiedTime().toMillis() || entry.size() != attrs.size()) {
                    markDirty(file);
                }
            } catch (IOException e) {
                markDirty(file);
            }
        }
        files.keySet().stream().filter(f -> !present.contains(f)).toList().forEach(this::markDirty);
        registerTree(root);
    }

    private void publish() {
        Map<Path, YamlDocumentReader.Result> reads = new TreeMap<>();
        files.forEach((path, entry) -> reads.put(path, entry.read()));
        Instant oldest = firstChange == null ? clock.instant() : firstChange;
        firstChange = null;
        sink.accept(snapshots.build(reads, oldest));
    }

    private void registerTree(Path folder) {
        try (Stream<Path> dirs = Files.walk(folder)) {
            for (Path dir : dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (!dir.equals(root) && ManifestFiles.isHidden(root, dir)) {
                    continue;
                }
                if (!watched.containsValue(dir)) {
                    watched.put(dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE), dir);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot watch every folder under {}: {}", folder, e.getMessage());
        }
    }

    private List<Path> walk(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(p -> ManifestFiles.isManifest(root, p))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot list {}: {}", folder, e.getMessage());
            return List.of();
        }
    }

    /** True when every change seen has been published. */
    public boolean idle() {
        return !pending;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }
}
