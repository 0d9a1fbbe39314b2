package dev.lookout.docker;

/**
 * One entry of an engine's events stream that concerns a container: its own lifecycle ({@code type}
 * "container") or its joining or leaving a network ("network", connect/disconnect).
 *
 * @param timeNano the engine's clock, nanoseconds since the epoch
 */
record EngineEvent(String type, String action, String containerId, long timeNano) {
    /**
     * The container actions that change what {@link ContainerInfo} holds ({@code kill} and {@code oom} are
     * always followed by {@code die}; {@code exec_*} and {@code health_status} change none of it).
     */
    static final String[] CONTAINER_ACTIONS = {"create", "start", "restart", "stop", "die", "pause", "unpause",
            "rename", "destroy"};
    static final String[] NETWORK_ACTIONS = {"connect", "disconnect"};

    boolean removesContainer() {
        return "container".equals(type) && "destroy".equals(action);
    }
}
