package dev.lookout.docker;

import dev.lookout.platform.HostRoute;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux's {@code /proc/net/route} (what {@code ip -4 route} reads): one route a line, destination and mask as
 * little-endian hex. The default route (mask 0) is left out: it covers every address and avoids nothing.
 */
final class RouteTable {
    private RouteTable() {
    }

    static List<HostRoute> parse(String table) {
        List<HostRoute> routes = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            try {
                long destination = Long.parseLong(f[1], 16);
                long mask = Long.parseLong(f[7], 16);
                if (mask == 0) {
                    continue;
                }
                routes.add(new HostRoute(dotted(destination) + "/" + Long.bitCount(mask), f[0]));
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        routes.sort(java.util.Comparator.comparing(HostRoute::destination).thenComparing(HostRoute::device));
        return routes;
    }

    /** Little-endian as the kernel prints it: the first octet is the low byte. */
    private static String dotted(long le) {
        return (le & 0xff) + "." + (le >> 8 & 0xff) + "." + (le >> 16 & 0xff) + "." + (le >> 24 & 0xff);
    }

    /** The devices Docker makes for its networks: their routes are Docker's own. */
    static boolean dockerDevice(String device) {
        return device.equals("docker0") || device.startsWith("br-") || device.equals("docker_gwbridge") || device.startsWith("veth");
    }
}
