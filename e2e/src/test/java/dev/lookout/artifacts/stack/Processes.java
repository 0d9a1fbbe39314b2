package dev.lookout.artifacts.stack;

import dev.lookout.reload.ToolProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the repository's scripts (compose/stack.sh, .ci/*.sh) as a user would, with variables added to this JVM's
 * environment and a bound on their time. stdout and stderr are kept apart: a script's answer is on stdout, compose's
 * warnings on stderr.
 */
public final class Processes {
    private Processes() {
    }

    /** How a command ended. */
    public record Result(List<String> command, int exit, String stdout, String stderr) {
        /** stdout, or an exception naming the command, its status and both streams. */
        public String stdoutOrThrow() {
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + stdout + stderr);
            }
            return stdout;
        }
    }

    /**
     * Runs {@code command} in {@code workDir} with stdin closed. On timeout it and its children are killed.
     *
     * @throws IllegalStateException when it outlives {@code timeout} (with the output so far)
     */
    public static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        FutureTask<String> stdout = reader(process.getInputStream(), "stdout-" + process.pid());
        FutureTask<String> stderr = reader(process.getErrorStream(), "stderr-" + process.pid());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ToolProcess.kill(process);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s; output so far:\n" + collect(stdout) + collect(stderr));
            }
            return new Result(List.copyOf(command), process.exitValue(), collect(stdout), collect(stderr));
        } catch (InterruptedException e) {
            ToolProcess.kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static FutureTask<String> reader(InputStream stream, String name) {
        FutureTask<String> task = new FutureTask<>(() -> new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** What a reader got; its pipe closes when the process (and any child holding it) is gone. */
    private static String collect(FutureTask<String> output) {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (ExecutionException | TimeoutException e) {
            output.cancel(true);
            return "(unavailable: " + e + ")";
        }
    }
}
