package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.platform.HostRoute;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    /** As a host with a default route, docker0, a compose bridge and a VPN prints it. */
    static final String TABLE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
            eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            br-3f2a1b\t000015AC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            tun0\t000015AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            """;

    @Test
    void readsLittleEndianRoutesAndLeavesTheDefaultRouteOut() {
        assertThat(RouteTable.parse(TABLE)).containsExactly(
                new HostRoute("172.17.0.0/16", "docker0"),
                new HostRoute("172.21.0.0/16", "tun0"),
                new HostRoute("172.21.0.0/24", "br-3f2a1b"),
                new HostRoute("192.168.2.0/24", "eth0"));
    }

    @Test
    void dockersOwnDevicesAreKnown() {
        assertThat(RouteTable.dockerDevice("docker0")).isTrue();
        assertThat(RouteTable.dockerDevice("br-3f2a1b")).isTrue();
        assertThat(RouteTable.dockerDevice("tun0")).isFalse();
        assertThat(RouteTable.dockerDevice("eth0")).isFalse();
    }
}
