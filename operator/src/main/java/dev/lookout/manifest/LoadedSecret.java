package dev.lookout.manifest;

import dev.lookout.api.ObjectKey;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@code v1/Secret}: its keys with their decoded values. {@link #toString()} names the keys only, so
 * a Secret that ends up in a log or a message never shows its values.
 */
public final class LoadedSecret {
    private final ObjectKey key;
    private final Map<String, byte[]> data;
    private final YamlDocument source;

    public LoadedSecret(ObjectKey key, Map<String, byte[]> data, YamlDocument source) {
        this.key = key;
        this.data = Map.copyOf(data);
        this.source = source;
    }

    public ObjectKey key() {
        return key;
    }

    public SortedSet<String> keys() {
        return new TreeSet<>(data.keySet());
    }

    public byte[] value(String name) {
        byte[] v = data.get(name);
        return v == null ? null : v.clone();
    }

    /** Whether {@code other} holds the same keys with the same values (where it came from does not matter). */
    public boolean sameData(LoadedSecret other) {
        if (other == null || !other.data.keySet().equals(data.keySet())) {
            return false;
        }
        return data.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), other.data.get(e.getKey())));
    }

    public YamlDocument source() {
        return source;
    }

    @Override
    public String toString() {
        return key + " (keys: " + String.join(", ", keys()) + ")";
    }
}
