package dev.lookout.platform;

import dev.lookout.api.ObjectKey;
import java.util.List;

/**
 * The host networks seam (NetworkPolicy): what networks and routes a Docker host has, creating a network that is
 * missing, and moving one to another subnet. Whichever mode Lookout runs in, these are the Docker hosts of the
 * operator config.
 */
public interface HostNetworks {
    /** What {@link #list} saw. */
    sealed interface Found {
        /** @param networks every network of the host, sorted by name */
        record Listed(List<HostNetwork> networks) implements Found {
            public Listed {
                networks = List.copyOf(networks);
            }
        }

        record Unavailable(String reason, String message) implements Found {
        }
    }

    /** Every network of {@code host}; {@code owner} is reconciled again when one is created, removed or changes. */
    Found list(ObjectKey owner, String host);

    /**
     * The host's routes that Docker did not make for its networks (default route excluded), read on the host itself.
     *
     * @throws PlatformException when they cannot be read
     */
    List<HostRoute> routes(String host);

    /** Creates a bridge network with that subnet and gateway unless one of that name exists (never deletes one). */
    void ensure(ObjectKey owner, String host, String name, String subnet, String gateway);

    /**
     * Moves a network to another subnet, disconnecting and reconnecting its containers. Journaled: a move cut short
     * (a crash, a kill) is finished by {@link #resume} before anything else touches the host's networks.
     *
     * @throws PlatformException when a step fails; the journal keeps what is left to do
     */
    void move(ObjectKey owner, String host, NetworkMove move);

    /** Finishes the moves a previous run of Lookout left half done on {@code host}; returns the networks it finished. */
    List<String> resume(String host);

    /** {@code owner} no longer looks at networks. */
    void forget(ObjectKey owner);
}
