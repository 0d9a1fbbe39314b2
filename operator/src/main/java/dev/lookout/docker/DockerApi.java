package dev.lookout.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Docker engine, as Lookout uses it. Every call has a connect and a read timeout; idempotent calls
 * (reads, start, stop, remove, restart) are retried on a dropped pooled connection. A call that cannot reach
 * the engine throws {@link DockerException.Unavailable}; the others throw the subclass that says what went wrong.
 */
public interface DockerApi {
    /** The host's name in the operator config. */
    String host();

    EngineInfo info();

    /** Every container (running or not) that carries all of {@code labels} (an empty map: every container). */
    List<ContainerInfo> list(Map<String, String> labels);

    Optional<ContainerInfo> inspect(String idOrName);

    /**
     * Creates (not starts) a container, copying {@code spec.files()} into it.
     *
     * @return its id
     * @throws DockerException.ImageNotFound when the image is not on the host (nothing is pulled implicitly
     *                                       unless {@link #pull} was called)
     * @throws DockerException.Conflict      when a container of that name exists
     */
    String create(ContainerSpec spec);

    void start(String id);

    void stop(String id, Duration grace);

    /** Removes a container, stopping it first (force); absent is not an error. */
    void remove(String id);

    void restart(String id, Duration grace);

    boolean imageExists(String image);

    /** Tries to pull {@code image}; false (with the engine's message logged) when no registry has it. */
    boolean pull(String image, Duration timeout);
}
