package dev.lookout.prometheus;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Everything one render produced, by path, sorted. Two renders of the same input are equal. */
public final class OutputTree {
    public static final String PROMETHEUS = "prometheus/";
    public static final String BLACKBOX = "blackbox/";
    /** The probes' password files, in the tree; blackbox sees them in {@code blackbox.secretsDir}. */
    public static final String BLACKBOX_SECRETS = BLACKBOX + "lookout-secrets/";

    private final SortedMap<String, RenderedFile> files = new TreeMap<>();

    /** A tree of these files, such as a crafted one for a check's test; one path must not hold two contents. */
    public static OutputTree of(Iterable<RenderedFile> files) {
        OutputTree tree = new OutputTree();
        files.forEach(tree::add);
        return tree;
    }

    public void add(RenderedFile file) {
        RenderedFile previous = files.putIfAbsent(file.path(), file);
        if (previous != null && !previous.equals(file)) {
            throw new IllegalStateException("two different outputs for " + file.path());
        }
    }

    public Collection<RenderedFile> files() {
        return Collections.unmodifiableCollection(files.values());
    }

    public RenderedFile get(String path) {
        return files.get(path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputTree t && t.files.equals(files);
    }

    @Override
    public int hashCode() {
        return files.hashCode();
    }
}
