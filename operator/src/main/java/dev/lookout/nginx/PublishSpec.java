package dev.lookout.nginx;

import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's port publishing forms for the listen port: {@code 443}, {@code 8443:443},
 * {@code 127.0.0.1:8443} and {@code 127.0.0.1:8443:443} (IPv6 addresses in brackets).
 *
 * @param hostIp        null for every interface
 * @param containerPort null when the form names only the host side (then it is the listen port)
 */
public record PublishSpec(String hostIp, int hostPort, Integer containerPort) {
    /**
     * An IPv4 address is a dotted quad: a looser {@code [0-9.]+} also matched the host port of
     * {@code 8443:443}, which then read as the address 0.0.32.251 publishing port 443.
     */
    private static final Pattern FORM = Pattern.compile(
            "^(?:(?<ip>\\[[0-9A-Fa-f:.]+\\]|[0-9]{1,3}(?:\\.[0-9]{1,3}){3}):)?(?<first>[0-9]{1,5})(?::(?<second>[0-9]{1,5}))?$");
    /** As docker (Go's net.ParseIP) reads addresses: no inet_aton forms, no leading zeros. */
    private static final IPAddressStringParameters ADDRESS = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowPrefix(false).allowMask(false).allowSingleSegment(false)
            .allow_inet_aton(false)
            .getIPv4AddressParametersBuilder().allowLeadingZeros(false).getParentBuilder()
            .toParams();

    /** The publish spec, or an explanation of what is wrong. */
    public static Result parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Result.error("\"" + text + "\" is not a docker publish form (443, 8443:443, 127.0.0.1:8443 or 127.0.0.1:8443:443)");
        }
        String ip = m.group("ip");
        if (ip != null) {
            boolean bracketed = ip.startsWith("["); // brackets hold IPv6 only
            IPAddressString address = new IPAddressString(bracketed ? ip.substring(1, ip.length() - 1) : ip, ADDRESS);
            if (!address.isIPAddress() || address.isPrefixed() || (bracketed ? !address.isIPv6() : !address.isIPv4())) {
                return Result.error("\"" + ip + "\" is not an IP address to publish on");
            }
        }
        int first = Integer.parseInt(m.group("first"));
        Integer second = m.group("second") == null ? null : Integer.parseInt(m.group("second"));
        if (first < 1 || first > 65535 || (second != null && (second < 1 || second > 65535))) {
            return Result.error("\"" + text + "\" has a port outside 1-65535");
        }
        return new Result(Optional.of(new PublishSpec(ip, first, second)), null);
    }

    public record Result(Optional<PublishSpec> spec, String error) {
        static Result error(String message) {
            return new Result(Optional.empty(), message);
        }
    }
}
