package dev.lookout.network;

import dev.lookout.api.ResourceStatus;
import java.util.ArrayList;
import java.util.List;

public class NetworkPolicyStatus extends ResourceStatus {
    private List<NetworkReport> networks = new ArrayList<>();
    private List<AddressPool> defaultAddressPools = new ArrayList<>();

    public List<NetworkReport> getNetworks() {
        return networks;
    }

    public void setNetworks(List<NetworkReport> networks) {
        this.networks = networks == null ? new ArrayList<>() : new ArrayList<>(networks);
    }

    /** The {@code default-address-pools} block daemon.json should carry. */
    public List<AddressPool> getDefaultAddressPools() {
        return defaultAddressPools;
    }

    public void setDefaultAddressPools(List<AddressPool> defaultAddressPools) {
        this.defaultAddressPools = defaultAddressPools == null ? new ArrayList<>() : new ArrayList<>(defaultAddressPools);
    }

    public record NetworkReport(String name, String subnet, Boolean compliant, String reason, String plannedSubnet) {
    }
}
