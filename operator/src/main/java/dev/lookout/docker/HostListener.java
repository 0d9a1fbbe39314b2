package dev.lookout.docker;

/**
 * What {@link DockerHosts} tells the engine: a container changed (an event, or found different by a
 * resync), or a host went down or came back. Called from the events threads; implementations only queue work.
 */
public interface HostListener {
    /** A container on {@code host} was created, started, stopped, died, restarted, renamed or removed. */
    void containerChanged(String host, ContainerUpdate update);

    /** The events stream of {@code host} was (re)established and its inventory re-read: anything may have changed. */
    void resynced(String host);

    /** {@code host} stopped answering; it is retried with backoff. */
    void hostDown(String host, String reason);

    /** Tells each of {@code listeners}, in order. */
    static HostListener all(HostListener... listeners) {
        java.util.List<HostListener> list = java.util.List.of(listeners);
        return new HostListener() {
            @Override
            public void containerChanged(String host, ContainerUpdate update) {
                list.forEach(l -> l.containerChanged(host, update));
            }

            @Override
            public void resynced(String host) {
                list.forEach(l -> l.resynced(host));
            }

            @Override
            public void hostDown(String host, String reason) {
                list.forEach(l -> l.hostDown(host, reason));
            }
        };
    }
}
