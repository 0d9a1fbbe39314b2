package dev.lookout.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Lookout logs while a test runs in-process: slf4j-simple writes to whatever {@code System.err} is at each
 * event, so a tee there sees every line while the test's own output still reaches surefire. Closing puts the
 * previous stream back.
 */
public final class LogCapture implements AutoCloseable {
    /** A frame of a printed stack trace ({@code \tat dev.lookout.X.y(X.java:12)}). */
    private static final Pattern FRAME = Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$");

    private final PrintStream previous;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        this.previous = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                previous.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                previous.write(b, off, len);
            }

            @Override
            public void flush() {
                previous.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    public List<String> lines() {
        return text().lines().toList();
    }

    /** The lines that are frames of a stack trace. */
    public List<String> stackFrames() {
        return lines().stream().filter(l -> FRAME.matcher(l).matches()).toList();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(previous);
    }
}
