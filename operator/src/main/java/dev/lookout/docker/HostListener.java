package dev.lookout.docker;

/**
 * What {@link DockerHosts} tells the engine: a container changed (an event, or found different by a
 * resync), or a host went down or came back. Called from the events threads; implementations only queue work.
 */
public interface HostListener {
    /** A container on {@code host} was created, started, stopped, died, restarted, renamed or removed. */
    void containerChanged(String host, String containerId, String action);

    /** The events stream of {@code host} was (re)established and its inventory re-read: anything may have changed. */
    void resynced(String host);

    /** {@code host} stopped answering; it is retried with backoff. */
    void hostDown(String host, String reason);
}
