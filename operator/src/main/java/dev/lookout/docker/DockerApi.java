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

    /** Copies files into a container (running or not), owned by root, with their modes. */
    void copyInto(String id, List<ContainerSpec.ContainerFile> files);

    /**
     * Runs a command in a running container and waits for it.
     *
     * @throws DockerException.Exited when it exits non-zero, with what it wrote on stderr and stdout
     */
    String exec(String id, List<String> cmd, Duration timeout);

    /** The id ({@code sha256:…}) of an image on the host; empty when it is not there. */
    Optional<String> imageId(String image);

    /** An image on the host: its id, when it was made and its labels; empty when it is not there. */
    Optional<ImageDetails> image(String image);

    /** What {@link #image} tells. */
    record ImageDetails(String id, java.time.Instant created, Map<String, String> labels) {
        public ImageDetails {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /**
     * Builds an image from a context (a tar with the Dockerfile at its root), with the classic builder, streaming
     * each output line to {@code log}.
     *
     * @return the image id
     * @throws DockerException.Refused when the build fails, with the failing step's message
     */
    String build(byte[] context, String tag, Map<String, String> labels, java.util.function.Consumer<String> log, Duration timeout);

    /** Every network of the engine with its containers (running or stopped), sorted by name. */
    List<DockerNetwork> networks();

    /** The network of that name (or id), with its containers; empty when there is none. */
    Optional<DockerNetwork> network(String nameOrId);

    /** Creates a network as {@code definition} says (its id and endpoints are ignored); returns its id. */
    String createNetwork(DockerNetwork definition);

    /** Removes a network; absent is not an error. */
    void removeNetwork(String nameOrId);

    /** Connects a container with the endpoint's aliases and links. */
    void connect(String network, DockerNetwork.Endpoint endpoint);

    /** Disconnects a container (force: a stopped one too); one not connected is not an error. */
    void disconnect(String network, String containerId);

    /**
     * Runs a short-lived container to its end and returns what it wrote on stdout; the container is removed after,
     * whatever happened.
     *
     * @throws DockerException.Exited when it exits non-zero; another DockerException when it cannot run or does not end
     */
    String runToEnd(ContainerSpec spec, Duration timeout);
}
