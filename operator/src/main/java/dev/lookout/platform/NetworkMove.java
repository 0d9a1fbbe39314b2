package dev.lookout.platform;

/**
 * Recreating one network with another subnet: same name, driver, options, labels and IPv6 setting; every container
 * reconnected with its aliases.
 *
 * @param fromSubnet the IPv4 subnet it has now (a move is refused when the network no longer has it)
 */
public record NetworkMove(String network, String fromSubnet, String toSubnet, String toGateway) {
}
