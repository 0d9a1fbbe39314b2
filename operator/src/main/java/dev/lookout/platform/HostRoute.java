package dev.lookout.platform;

/**
 * A route of a Docker host that Docker did not make for one of its networks (a VPN's, a LAN's): a subnet placed over
 * it would make that destination unreachable from the host.
 *
 * @param destination IPv4 CIDR ({@code 10.8.0.0/24})
 * @param device      the interface it goes through ({@code tun0})
 */
public record HostRoute(String destination, String device) {
}
