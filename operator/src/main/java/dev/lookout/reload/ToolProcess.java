package dev.lookout.reload;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an external tool (promtool, and the real servers' one-shot checks in tests) with a bound on its
 * time: a tool that hangs must not hang the operator's loop. Output is read while the tool runs, so a
 * full pipe never blocks it.
 */
public final class ToolProcess {
    /** Exit status and stdout and stderr together, as the process interleaved them. */
    public record Result(int exit, String output) {
    }

    /** The tool outlived its time; it and its children were killed. The message holds the output so far. */
    public static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    private ToolProcess() {
    }

    /**
     * Runs {@code cmd} in {@code workDir} (null: the current folder) with stdin closed.
     *
     * @throws TimedOut              when it outlives {@code timeout}
     * @throws InterruptedIOException when this thread is interrupted (the flag is set again, the tool killed)
     * @throws IOException           when it cannot start or its output cannot be read
     */
    public static Result run(List<String> cmd, Path workDir, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        InputStream stdout = process.getInputStream();
        FutureTask<byte[]> output = new FutureTask<>(stdout::readAllBytes);
        Thread reader = new Thread(output, "tool-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new TimedOut(cmd + " did not finish within " + timeout.toMillis() + " ms; output so far:\n"
                        + partial(output));
            }
            return new Result(process.exitValue(), text(output.get(10, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + cmd);
        } catch (ExecutionException | TimeoutException e) {
            kill(process);
            throw new IOException("cannot read the output of " + cmd, e);
        }
    }

    /** Kills {@code process} and its children (a tool's own helpers would hold its output pipe open), then reaps it. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the reader got before the process was killed; the pipe closes with the process. */
    private static String partial(FutureTask<byte[]> output) {
        try {
            return text(output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (ExecutionException | TimeoutException e) {
            output.cancel(true);
            return "(unavailable: " + e + ")";
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
