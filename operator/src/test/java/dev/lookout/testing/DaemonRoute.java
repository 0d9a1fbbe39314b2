package dev.lookout.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes the containers of one {@link PrivateDockerd} network reachable from this machine, as they are on an
 * ordinary engine: a veth pair whose far end is in the daemon's network namespace, and a route for the network's
 * subnet through it. Lookout, running in the test's JVM, then reads an exporter at its container address as it
 * would on a GPU machine.
 *
 * <p>The subnet also gets an {@code unreachable} route of its own, at a worse metric, for as long as this object
 * is open: when the veth goes (the daemon restarts in a new namespace, see {@link #attach}) a connection to a
 * container fails at once instead of leaving through the default route. Needs root, {@code ip} (iproute2) and
 * {@code nsenter}; {@link #require} fails in CI and skips elsewhere where they are missing.
 */
public final class DaemonRoute implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final int FALLBACK_METRIC = 4095;

    private final PrivateDockerd daemon;
    private final String subnet;
    private final String link;
    private final String hostEnd;
    private final String daemonEnd;
    private final Thread hook;
    private boolean routed;

    private DaemonRoute(PrivateDockerd daemon, String subnet, String link) {
        this.daemon = daemon;
        this.subnet = subnet;
        this.link = link;
        String suffix = HexFormat.of().formatHex(randomBytes(3));
        this.hostEnd = "lkh" + suffix;
        this.daemonEnd = "lkp" + suffix;
        // The veth dies with the daemon's namespace, the unreachable route would not: a JVM that ends without
        // close() removes it too.
        this.hook = new Thread(this::removeQuietly, "remove-route-" + suffix);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What this class runs, for a test that needs it: fails in CI ({@code CI=true}), skips elsewhere. */
    public static void require() {
        for (String tool : List.of("ip", "nsenter")) {
            if (DockerEngine.exec(List.of("sh", "-c", "command -v " + tool), java.util.Map.of(), COMMAND_TIMEOUT).exit() != 0) {
                Tools.unavailable(tool + " is missing: routing into a private dockerd needs it (apt-get install iproute2 util-linux)");
            }
        }
    }

    /**
     * A /24 in 10.200.0.0–10.254.255.0 that no route or address of this machine overlaps: for a network the test
     * creates on the private daemon (whose own default pools overlap the shared daemon's networks).
     */
    public static String freeSubnet() {
        return freeBlock(24);
    }

    /**
     * An aligned block of {@code prefix} bits (16 to 30) in 10.200.0.0–10.254.255.255 that no route or address of this
     * machine overlaps: subnets a test places its own networks in.
     */
    public static String freeBlock(int prefix) {
        List<long[]> used = usedRanges();
        long size = 1L << (32 - prefix);
        long first = (10L << 24) | (200L << 16);
        long span = 55L << 16;
        for (int attempt = 0; attempt < 200; attempt++) {
            long start = first + (long) (RANDOM.nextDouble() * (span / size)) * size;
            long end = start + size - 1;
            if (used.stream().noneMatch(r -> r[0] <= end && start <= r[1])) {
                return (start >> 24 & 0xff) + "." + (start >> 16 & 0xff) + "." + (start >> 8 & 0xff) + "." + (start & 0xff) + "/" + prefix;
            }
        }
        throw new IllegalStateException("no free /" + prefix + " in 10.200.0.0/16-10.254.0.0/16 among " + used.size() + " routes");
    }

    /**
     * Routes {@code subnet} (a network of {@code daemon}'s, made with that subnet) from this machine into the
     * daemon's namespace. Closing removes the veth and both routes.
     */
    public static DaemonRoute open(PrivateDockerd daemon, String subnet) {
        DaemonRoute route = new DaemonRoute(daemon, subnet, freeSubnet());
        try {
            run("ip", "route", "add", "unreachable", subnet, "metric", Integer.toString(FALLBACK_METRIC));
            route.routed = true;
            route.attach();
            return route;
        } catch (RuntimeException e) {
            route.close();
            throw e;
        }
    }

    /** (Re)creates the veth into the daemon's current namespace: after {@link PrivateDockerd#restart} it is a new one. */
    public void attach() {
        runQuietly("ip", "link", "del", hostEnd);
        String pid = Long.toString(daemon.pid());
        String prefix = link.substring(0, link.lastIndexOf('.'));   // 10.b.c
        run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", daemonEnd);
        run("ip", "link", "set", daemonEnd, "netns", pid);
        run("ip", "addr", "add", prefix + ".1/30", "dev", hostEnd);
        run("ip", "link", "set", hostEnd, "up");
        run("nsenter", "-t", pid, "-n", "ip", "addr", "add", prefix + ".2/30", "dev", daemonEnd);
        run("nsenter", "-t", pid, "-n", "ip", "link", "set", daemonEnd, "up");
        // Docker's FORWARD rules let this through as they are; should its policy be DROP, DOCKER-USER is where a
        // user's own rule goes. Best effort: an iptables that is missing changes nothing above.
        runQuietly("nsenter", "-t", pid, "-n", "iptables", "-I", "DOCKER-USER", "-i", daemonEnd, "-j", "ACCEPT");
        run("ip", "route", "add", subnet, "via", prefix + ".2", "dev", hostEnd);
    }

    public String subnet() {
        return subnet;
    }

    /**
     * The daemon's end of the veth: what this machine reaches the daemon's namespace at, and so where the ports its
     * containers publish answer (as a remote Docker host's published ports answer at that host's address).
     */
    public String daemonAddress() {
        return link.substring(0, link.lastIndexOf('.')) + ".2";
    }

    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void removeQuietly() {
        runQuietly("ip", "link", "del", hostEnd);   // takes its route along
        if (routed) {
            runQuietly("ip", "route", "del", "unreachable", subnet, "metric", Integer.toString(FALLBACK_METRIC));
            routed = false;
        }
    }

    /** Every IPv4 prefix this machine routes or has an address in, as [first, last]. */
    private static List<long[]> usedRanges() {
        List<long[]> ranges = new ArrayList<>();
        String routes = output("ip", "-4", "-o", "route", "show", "table", "all");
        String addresses = output("ip", "-4", "-o", "addr", "show");
        for (String line : (routes + "\n" + addresses).split("\n")) {
            for (String word : line.trim().split("\\s+")) {
                long[] range = range(word);
                if (range != null) {
                    ranges.add(range);
                }
            }
        }
        return ranges;
    }

    /** {@code a.b.c.d/n} or {@code a.b.c.d} as [first, last]; null for any other word. */
    static long[] range(String word) {
        String[] parts = word.split("/");
        if (parts.length > 2 || !parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        long ip = 0;
        for (String octet : parts[0].split("\\.")) {
            ip = ip << 8 | Integer.parseInt(octet);
        }
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long size = 1L << (32 - bits);
        long first = ip & ~(size - 1) & 0xffffffffL;
        return new long[] {first, first + size - 1};
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String output(String... cmd) {
        DockerEngine.Result result = DockerEngine.exec(List.of(cmd), java.util.Map.of(), COMMAND_TIMEOUT);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + result.exit() + ": " + result.stderr().strip());
        }
        return result.stdout();
    }

    public static void run(String... cmd) {
        output(cmd);
    }

    private static void runQuietly(String... cmd) {
        try {
            DockerEngine.exec(List.of(cmd), java.util.Map.of(), COMMAND_TIMEOUT);
        } catch (RuntimeException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return subnet + " via " + hostEnd + " into " + daemon;
    }
}
