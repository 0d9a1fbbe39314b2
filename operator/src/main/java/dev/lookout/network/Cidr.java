package dev.lookout.network;

import dev.lookout.validation.CommonRules;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ProblemReporter;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.IncompatibleAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CIDR parsing and arithmetic on top of the IPAddress library (seancfoley/IPAddress). */
final class Cidr {
    /**
     * What Docker (Go's net.ParseCIDR / net.ParseIP) accepts: dotted-quad IPv4 or IPv6, optional /prefix.
     * The library's defaults also accept "", "*", wildcards (1.2.3.*), ranges (1.2.3.0-5), masks
     * (/255.255.0.0) and inet_aton forms (10/8, 10.1, 0x0a000000, 012.0.0.0 read as octal), each of which
     * would otherwise be read as some other address than the one Docker is given, or as null.
     */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allow_inet_aton(false)
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .getIPv4AddressParametersBuilder()
            .allowLeadingZeros(false)
            .allowBinary(false)
            .allowPrefixesBeyondAddressSize(false)
            .getParentBuilder()
            .getIPv6AddressParametersBuilder()
            .allowBinary(false)
            .allowPrefixesBeyondAddressSize(false)
            .getParentBuilder()
            .toParams();

    private Cidr() {
    }

    record Parsed(Optional<IPAddress> address, String error) {
        Optional<IPAddress> report(ProblemReporter r, FieldPath p) {
            if (error != null) {
                r.error(p, error);
            }
            return address;
        }
    }

    /** An aligned CIDR block ({@code 192.168.240.0/20}); {@code ipv4Only} for Docker bridge subnets. */
    static Parsed parse(String text, boolean ipv4Only) {
        String shown = "\"" + CommonRules.printable(text) + "\"";
        IPAddress address;
        try {
            address = new IPAddressString(text, STRICT).toAddress();
        } catch (AddressStringException | IncompatibleAddressException e) {
            return new Parsed(Optional.empty(), shown + " is not a CIDR (such as 192.168.240.0/20)");
        }
        if (address == null) {
            return new Parsed(Optional.empty(), shown + " is not a CIDR (such as 192.168.240.0/20)");
        }
        if (!address.isPrefixed()) {
            return new Parsed(Optional.empty(), shown + " has no prefix length (such as " + text + "/24)");
        }
        if (ipv4Only && !address.isIPv4()) {
            return new Parsed(Optional.empty(), shown + " is not IPv4 (Docker bridges here are IPv4)");
        }
        if (!address.isPrefixBlock()) {
            return new Parsed(Optional.empty(), shown + " is not aligned to its prefix (did you mean "
                    + address.toPrefixBlock().toCanonicalString() + "?)");
        }
        return new Parsed(Optional.of(address.toPrefixBlock()), null);
    }

    /** Whether some aligned /size block of {@code base} overlaps none of the avoided ranges. */
    static boolean hasFreeBlock(IPAddress base, int size, List<IPAddress> avoid) {
        List<IPAddress> free = new ArrayList<>(List.of(base));
        for (IPAddress a : avoid) {
            if (a.getIPVersion() != base.getIPVersion()) {
                continue;
            }
            List<IPAddress> next = new ArrayList<>();
            for (IPAddress piece : free) {
                IPAddress[] rest = piece.subtract(a);
                if (rest != null) {
                    next.addAll(List.of(rest));
                }
            }
            free = next;
        }
        return free.stream()
                .flatMap(piece -> List.of(piece.spanWithPrefixBlocks()).stream())
                .anyMatch(block -> block.getNetworkPrefixLength() != null ? block.getNetworkPrefixLength() <= size
                        : block.getBitCount() <= size);
    }

    /** Why {@code gateway} cannot be the gateway of {@code subnet}, if it cannot. */
    static Optional<String> gateway(String gateway, IPAddress subnet) {
        IPAddress address = new IPAddressString(gateway, STRICT).getAddress();
        if (address == null || address.isPrefixed() || address.isMultiple() || address.getIPVersion() != subnet.getIPVersion()) {
            return Optional.of("\"" + CommonRules.printable(gateway) + "\" is not an " + subnet.getIPVersion() + " address");
        }
        if (!subnet.contains(address)) {
            return Optional.of(gateway + " is outside the subnet " + subnet);
        }
        if (address.equals(subnet.getLower().withoutPrefixLength()) || address.equals(subnet.getUpper().withoutPrefixLength())) {
            return Optional.of(gateway + " is the network or broadcast address of " + subnet + " (use a host address such as "
                    + subnet.getLower().withoutPrefixLength().increment(1) + ")");
        }
        return Optional.empty();
    }
}
