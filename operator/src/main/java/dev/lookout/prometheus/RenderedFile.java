package dev.lookout.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One rendered file, by its path in the output tree ({@code prometheus/scrape/x.yml}). Secret files
 * are written with mode 0600 and their bytes never appear in {@link #toString()}.
 */
public final class RenderedFile {
    private final String path;
    private final byte[] bytes;
    private final boolean secret;
    private volatile byte[] digest;

    private RenderedFile(String path, byte[] bytes, boolean secret) {
        this.path = path;
        this.bytes = bytes.clone();
        this.secret = secret;
    }

    public static RenderedFile text(String path, String content) {
        return new RenderedFile(path, content.getBytes(StandardCharsets.UTF_8), false);
    }

    public static RenderedFile secret(String path, byte[] value) {
        return new RenderedFile(path, value, true);
    }

    public String path() {
        return path;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * SHA-256 of the bytes: what the writer and the checks remember of a file instead of keeping its bytes
     * (computed once per file; a race only computes it twice).
     */
    public byte[] digest() {
        byte[] d = digest;
        if (d == null) {
            try {
                d = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
            digest = d;
        }
        return d.clone();
    }

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public boolean secret() {
        return secret;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedFile f && f.path.equals(path) && f.secret == secret && Arrays.equals(f.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return path + (secret ? " (secret, " + bytes.length + " bytes)" : " (" + bytes.length + " bytes)");
    }
}
