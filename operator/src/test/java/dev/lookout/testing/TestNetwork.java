package dev.lookout.testing;

import java.util.List;

/**
 * A Docker bridge network a test created ({@link DockerEngine#createNetwork}): the host reaches its containers
 * at their addresses on it. Closing disconnects whatever is still attached and removes it; a JVM that exits
 * first removes it too.
 */
public final class TestNetwork implements AutoCloseable {
    private final String name;
    private final String subnet;
    private final String gateway;
    private final Teardown teardown;

    TestNetwork(String name) {
        this.name = name;
        this.teardown = Teardown.atExit("remove-" + name, this::remove);
        List<String> ipam;
        try {
            ipam = List.of(DockerEngine.docker("network", "inspect", "--format",
                    "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", name).split(" "));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (ipam.size() != 2) {
            close();
            throw new IllegalStateException("network " + name + " has no single IPv4 subnet and gateway: " + ipam);
        }
        this.subnet = ipam.get(0);
        this.gateway = ipam.get(1);
    }

    public String name() {
        return name;
    }

    /** CIDR, such as {@code 172.20.0.0/16}. */
    public String subnet() {
        return subnet;
    }

    /** The bridge's address on the host, such as {@code 172.20.0.1}. */
    public String gateway() {
        return gateway;
    }

    @Override
    public void close() {
        teardown.run();
    }

    /**
     * Removes the network (once: see {@link #close}). A container a failed test left attached would make the removal
     * fail, so attached endpoints are disconnected first (the containers themselves are not touched).
     */
    private void remove() {
        DockerEngine.Result attached = DockerEngine.run(DockerEngine.TIMEOUT, "network", "inspect", "--format",
                "{{range .Containers}}{{.Name}} {{end}}", name);
        if (attached.exit() != 0) {
            return;   // removed already (by hand, or never fully created)
        }
        for (String container : attached.stdout().strip().split(" ")) {
            if (!container.isEmpty()) {
                DockerEngine.run(DockerEngine.TIMEOUT, "network", "disconnect", "--force", name, container);
            }
        }
        DockerEngine.docker("network", "rm", name);
    }
}
