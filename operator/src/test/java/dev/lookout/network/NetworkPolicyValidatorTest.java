package dev.lookout.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.lookout.load.ManifestSet;
import dev.lookout.testing.Manifests;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of NetworkPolicy (DESIGN.md, "The four kinds"), each scenario an edit of one valid base. */
class NetworkPolicyValidatorTest {
    private static final String RESOURCE = "NetworkPolicy default/host-pools";

    /** Valid: examples/network.yaml. */
    private static final String BASE = """
            apiVersion: lookout.dev/v1alpha1
            kind: NetworkPolicy
            metadata:
              name: host-pools
            spec:
              host: local
              allowedPools:
                - base: 192.168.240.0/20
                  size: 24
              avoid:
                - 172.21.0.0/16
              detectRoutes: true
              sharedNetwork:
                name: dnet1
                subnet: 192.168.250.0/24
                gateway: 192.168.250.1
              scope:
                allUserBridges: true
              action: Report
            """;

    @TempDir
    Path dir;

    /** The base with each whole line {@code from} (present exactly once) replaced by {@code to}. */
    static String with(String... fromTo) {
        return Manifests.editLines(BASE, fromTo);
    }

    static Arguments error(String scenario, String yaml, String field, String fragment) {
        return arguments(scenario, yaml, field, fragment);
    }

    private static final String POOL_BASE = "    - base: 192.168.240.0/20";
    private static final String POOL_SIZE = "      size: 24";
    private static final String AVOID = "    - 172.21.0.0/16";
    private static final String SHARED_NAME = "    name: dnet1";
    private static final String SUBNET = "    subnet: 192.168.250.0/24";
    private static final String GATEWAY = "    gateway: 192.168.250.1";

    static Stream<Arguments> errors() {
        return Stream.of(
                // CIDRs parse, carry a prefix length and are aligned
                error("avoidPrefixLongerThan32", with(AVOID, "    - 172.21.0.0/33 # <-"), "spec.avoid[0]", "\"172.21.0.0/33\" is not a CIDR"),
                error("avoidNonsense", with(AVOID, "    - nonsense # <-"), "spec.avoid[0]", "\"nonsense\" is not a CIDR"),
                error("avoidEmpty", with(AVOID, "    - \"\" # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidEverything", with(AVOID, "    - \"*\" # <-"), "spec.avoid[0]", "\"*\" is not a CIDR"),
                error("avoidWildcardSegment", with(AVOID, "    - 172.21.*.* # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidRangeSegment", with(AVOID, "    - 172.21.0-9.0/16 # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidShortForm", with(AVOID, "    - 172/8 # <-"), "spec.avoid[0]", "\"172/8\" is not a CIDR"),
                error("avoidTwoSegmentForm", with(AVOID, "    - 172.21/16 # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidLeadingZeroSegment", with(AVOID, "    - 012.0.0.0/8 # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidHexAddress", with(AVOID, "    - 0xac150000/16 # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidNetmaskInsteadOfPrefix", with(AVOID, "    - 172.21.0.0/255.255.0.0 # <-"), "spec.avoid[0]", "is not a CIDR"),
                error("avoidWithoutPrefixLength", with(AVOID, "    - 172.21.0.0 # <-"), "spec.avoid[0]",
                        "\"172.21.0.0\" has no prefix length (such as 172.21.0.0/24)"),
                error("avoidNotAligned", with(AVOID, "    - 172.21.0.1/16 # <-"), "spec.avoid[0]",
                        "is not aligned to its prefix (did you mean 172.21.0.0/16?)"),
                error("avoidNotAString", with(AVOID, "    - 17 # <-"), "spec.avoid[0]", "must be a string (quote it)"),
                error("avoidNotAList", with("  avoid:", "  avoid: 172.21.0.0/16 # <-", AVOID, ""), "spec.avoid", "must be a list"),
                error("poolBasePrefixLongerThan32", with(POOL_BASE, "    - base: 192.168.240.0/33 # <-"),
                        "spec.allowedPools[0].base", "\"192.168.240.0/33\" is not a CIDR"),
                error("poolBaseNonsense", with(POOL_BASE, "    - base: nonsense # <-"), "spec.allowedPools[0].base", "\"nonsense\" is not a CIDR"),
                error("poolBaseNotAligned", with(POOL_BASE, "    - base: 192.168.240.1/20 # <-"), "spec.allowedPools[0].base",
                        "\"192.168.240.1/20\" is not aligned to its prefix (did you mean 192.168.240.0/20?)"),
                error("poolBaseWithoutPrefixLength", with(POOL_BASE, "    - base: 192.168.240.0 # <-"), "spec.allowedPools[0].base",
                        "has no prefix length"),
                error("poolBaseIpv6", with(POOL_BASE, "    - base: fd00:10::/48 # <-"), "spec.allowedPools[0].base", "is not IPv4"),
                error("poolBaseMissing", with(POOL_BASE, "    - size: 24 # <-", POOL_SIZE, ""), "spec.allowedPools[0].base", "required"),
                error("poolBaseEmpty", with(POOL_BASE, "    - base: \"\" # <-"), "spec.allowedPools[0].base", "required"),

                // pool size: from the base's prefix to 30
                error("poolSizeBelowBasePrefix", with(POOL_SIZE, "      size: 19 # <-"), "spec.allowedPools[0].size",
                        "19 is out of range (20-30"),
                error("poolSizeAbove30", with(POOL_SIZE, "      size: 31 # <-"), "spec.allowedPools[0].size", "31 is out of range (20-30"),
                error("poolSizeZero", with(POOL_SIZE, "      size: 0 # <-"), "spec.allowedPools[0].size", "0 is out of range"),
                error("poolSizeMissing", with(POOL_BASE, POOL_BASE + " # <-", POOL_SIZE, ""), "spec.allowedPools[0].size",
                        "required (prefix length of each network, 20-30)"),
                error("poolSizeQuoted", with(POOL_SIZE, "      size: \"24\" # <-"), "spec.allowedPools[0].size", "must be an integer"),
                error("poolSizeAsCidrSuffix", with(POOL_SIZE, "      size: /24 # <-"), "spec.allowedPools[0].size", "must be an integer"),
                error("secondPoolSizeAbove30", with(POOL_SIZE, POOL_SIZE + "\n    - base: 10.20.0.0/16\n      size: 32 # <-"),
                        "spec.allowedPools[1].size", "32 is out of range (16-30"),

                // at least one allowed pool
                error("allowedPoolsEmpty", with("  allowedPools:", "  allowedPools: [] # <-", POOL_BASE, "", POOL_SIZE, ""),
                        "spec.allowedPools", "required (at least one {base, size}"),
                error("allowedPoolsMissing", with("spec:", "spec: # <-", "  allowedPools:", "", POOL_BASE, "", POOL_SIZE, ""),
                        "spec.allowedPools", "required (at least one {base, size}"),
                error("allowedPoolsNotAList", with("  allowedPools:", "  allowedPools: 192.168.240.0/20 # <-", POOL_BASE, "", POOL_SIZE, ""),
                        "spec.allowedPools", "must be a list"),

                // a pool entirely covered by avoided ranges
                error("poolEntirelyAvoided",
                        with(POOL_BASE, "    - base: 10.10.0.0/16 # <-", AVOID, "    - 10.10.0.0/16"),
                        "spec.allowedPools[0]", "10.10.0.0/16 is entirely covered by avoided ranges: no /24 is left"),
                error("poolCoveredByTwoAvoidedHalves",
                        with(POOL_BASE, "    - base: 10.10.0.0/16 # <-", AVOID, "    - 10.10.0.0/17\n    - 10.10.128.0/17"),
                        "spec.allowedPools[0]", "is entirely covered by avoided ranges"),
                error("poolInsideLargerAvoidedRange",
                        with(POOL_BASE, "    - base: 10.10.0.0/16 # <-", AVOID, "    - 10.0.0.0/8"),
                        "spec.allowedPools[0]", "is entirely covered by avoided ranges"),
                error("poolLeftWithOnlyBlocksSmallerThanSize",
                        with(POOL_BASE, "    - base: 10.10.0.0/22 # <-",
                                AVOID, "    - 10.10.0.128/25\n    - 10.10.1.128/25\n    - 10.10.2.128/25\n    - 10.10.3.128/25"),
                        "spec.allowedPools[0]", "10.10.0.0/22 is entirely covered by avoided ranges: no /24 is left to hand out"),

                // sharedNetwork
                error("sharedNetworkNamedBridge", with(SHARED_NAME, "    name: bridge # <-"), "spec.sharedNetwork.name",
                        "\"bridge\" is one of Docker's predefined networks"),
                error("sharedNetworkNamedHost", with(SHARED_NAME, "    name: host # <-"), "spec.sharedNetwork.name", "predefined"),
                error("sharedNetworkNamedNone", with(SHARED_NAME, "    name: none # <-"), "spec.sharedNetwork.name", "predefined"),
                error("sharedNetworkNameWithSpace", with(SHARED_NAME, "    name: d net # <-"), "spec.sharedNetwork.name",
                        "\"d net\" is not a Docker network name"),
                error("sharedNetworkNameStartingWithDash", with(SHARED_NAME, "    name: -dnet1 # <-"), "spec.sharedNetwork.name",
                        "is not a Docker network name"),
                error("sharedNetworkNameWithSlash", with(SHARED_NAME, "    name: proj/dnet1 # <-"), "spec.sharedNetwork.name",
                        "is not a Docker network name"),
                error("sharedNetworkNameMissing", with("  sharedNetwork:", "  sharedNetwork: # <-", SHARED_NAME, ""),
                        "spec.sharedNetwork.name", "required"),
                error("sharedNetworkSubnetOutsideEveryPool", with(SUBNET, "    subnet: 10.20.0.0/24 # <-"), "spec.sharedNetwork.subnet",
                        "10.20.0.0/24 is outside every allowed pool (192.168.240.0/20)"),
                error("sharedNetworkSubnetLargerThanPool", with(SUBNET, "    subnet: 192.168.224.0/19 # <-"), "spec.sharedNetwork.subnet",
                        "is outside every allowed pool"),
                error("sharedNetworkSubnetInAvoidedRange", with(AVOID, "    - 192.168.250.0/23", SUBNET, SUBNET + " # <-"),
                        "spec.sharedNetwork.subnet", "192.168.250.0/24 overlaps the avoided range 192.168.250.0/23"),
                error("sharedNetworkSubnetContainingAvoidedRange", with(AVOID, "    - 192.168.250.128/25", SUBNET, SUBNET + " # <-"),
                        "spec.sharedNetwork.subnet", "overlaps the avoided range 192.168.250.128/25"),
                error("sharedNetworkSubnetNotAligned", with(SUBNET, "    subnet: 192.168.250.1/24 # <-"), "spec.sharedNetwork.subnet",
                        "did you mean 192.168.250.0/24?"),
                error("sharedNetworkSubnetWithoutPrefixLength", with(SUBNET, "    subnet: 192.168.250.0 # <-"), "spec.sharedNetwork.subnet",
                        "has no prefix length"),
                error("sharedNetworkSubnetIpv6", with(SUBNET, "    subnet: fd00:10::/64 # <-"), "spec.sharedNetwork.subnet", "is not IPv4"),
                error("sharedNetworkSubnetNonsense", with(SUBNET, "    subnet: dnet1 # <-"), "spec.sharedNetwork.subnet", "is not a CIDR"),
                error("sharedNetworkSubnetMissing", with("  sharedNetwork:", "  sharedNetwork: # <-", SUBNET, ""),
                        "spec.sharedNetwork.subnet", "required"),
                error("gatewayOutsideSubnet", with(GATEWAY, "    gateway: 192.168.251.1 # <-"), "spec.sharedNetwork.gateway",
                        "192.168.251.1 is outside the subnet 192.168.250.0/24"),
                error("gatewayIsNetworkAddress", with(GATEWAY, "    gateway: 192.168.250.0 # <-"), "spec.sharedNetwork.gateway",
                        "is the network or broadcast address of 192.168.250.0/24 (use a host address such as 192.168.250.1)"),
                error("gatewayIsBroadcastAddress", with(GATEWAY, "    gateway: 192.168.250.255 # <-"), "spec.sharedNetwork.gateway",
                        "is the network or broadcast address"),
                error("gatewayIpv6", with(GATEWAY, "    gateway: fd00::1 # <-"), "spec.sharedNetwork.gateway",
                        "\"fd00::1\" is not an IPv4 address"),
                error("gatewayGarbage", with(GATEWAY, "    gateway: router # <-"), "spec.sharedNetwork.gateway",
                        "\"router\" is not an IPv4 address"),
                error("gatewayWithPrefixLength", with(GATEWAY, "    gateway: 192.168.250.1/24 # <-"), "spec.sharedNetwork.gateway",
                        "is not an IPv4 address"),
                error("gatewayEmpty", with(GATEWAY, "    gateway: \"\" # <-"), "spec.sharedNetwork.gateway", "is not an IPv4 address"),
                error("gatewayWildcard", with(GATEWAY, "    gateway: 192.168.250.* # <-"), "spec.sharedNetwork.gateway",
                        "is not an IPv4 address"),
                error("gatewayRange", with(GATEWAY, "    gateway: 192.168.250.1-5 # <-"), "spec.sharedNetwork.gateway",
                        "is not an IPv4 address"),
                error("gatewayLeadingZero", with(GATEWAY, "    gateway: 192.168.250.01 # <-"), "spec.sharedNetwork.gateway",
                        "is not an IPv4 address"),
                error("gatewayThreeSegments", with(GATEWAY, "    gateway: 192.168.250 # <-"), "spec.sharedNetwork.gateway",
                        "is not an IPv4 address"),
                error("gatewayInteger", with(GATEWAY, "    gateway: \"3232299521\" # <-"), "spec.sharedNetwork.gateway",
                        "is not an IPv4 address"),
                error("sharedNetworkNotAMapping",
                        with("  sharedNetwork:", "  sharedNetwork: dnet1 # <-", SHARED_NAME, "", SUBNET, "", GATEWAY, ""),
                        "spec.sharedNetwork", "must be a mapping"),

                // action
                error("actionLowerCaseRecreate", with("  action: Report", "  action: recreate # <-"), "spec.action",
                        "\"recreate\" is not allowed (did you mean Recreate? allowed: Recreate, Report)"),
                error("actionUnknown", with("  action: Report", "  action: Delete # <-"), "spec.action",
                        "\"Delete\" is not allowed (allowed: Recreate, Report)"),
                error("actionNotAString", with("  action: Report", "  action: true # <-"), "spec.action", "must be a string"),

                // scope
                error("composeProjectUpperCase", with("    allUserBridges: true", "    composeProjects:\n      - comfy\n      - My_Project # <-"),
                        "spec.scope.composeProjects[1]", "\"My_Project\" is not a compose project name"),
                error("composeProjectStartingWithUnderscore", with("    allUserBridges: true", "    composeProjects:\n      - _comfy # <-"),
                        "spec.scope.composeProjects[0]", "is not a compose project name"),
                error("composeProjectWithDot", with("    allUserBridges: true", "    composeProjects:\n      - comfy.ui # <-"),
                        "spec.scope.composeProjects[0]", "is not a compose project name"),
                error("composeProjectsNotAList", with("    allUserBridges: true", "    composeProjects: comfy # <-"),
                        "spec.scope.composeProjects", "must be a list"),
                error("labelSelectorValueInjection", with("    allUserBridges: true", "    labelSelector:\n      team: \"a;b\" # <-"),
                        "spec.scope.labelSelector.team", "could inject into a rendered file"),
                error("allUserBridgesString", with("    allUserBridges: true", "    allUserBridges: \"true\" # <-"),
                        "spec.scope.allUserBridges", "must be true or false"),
                error("unknownScopeField", with("    allUserBridges: true", "    allUserBridge: true # <-"),
                        "spec.scope.allUserBridge", "did you mean allUserBridges?"),

                // host, unknown fields, wrong types
                error("hostWithUnderscore", with("  host: local", "  host: docker_host # <-"), "spec.host", "\"docker_host\" is not a host name"),
                error("hostUpperCase", with("  host: local", "  host: Local # <-"), "spec.host", "is not a host name"),
                error("hostStarIsNotAHostHere", with("  host: local", "  host: \"*\" # <-"), "spec.host", "is not a host name"),
                error("unknownSpecField", with("  detectRoutes: true", "  detectRoute: true # <-"), "spec.detectRoute",
                        "unknown field \"detectRoute\" (did you mean detectRoutes?"),
                error("unknownPoolField", with(POOL_SIZE, "      sise: 24 # <-"), "spec.allowedPools[0].sise", "did you mean size?"),
                error("unknownSharedNetworkField", with(GATEWAY, "    gw: 192.168.250.1 # <-"), "spec.sharedNetwork.gw",
                        "unknown field \"gw\""),
                error("detectRoutesString", with("  detectRoutes: true", "  detectRoutes: \"yes\" # <-"), "spec.detectRoutes",
                        "must be true or false, not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String scenario, String yaml, String field, String fragment) {
        Manifests.assertError(dir, yaml, RESOURCE, field, fragment);
    }

    @Test
    void validBasePasses() {
        ManifestSet set = Manifests.assertValid(dir, BASE);
        assertThat(set.warnings()).isEmpty();
        assertThat(set.resources()).singleElement().satisfies(r -> assertThat(r.key()).hasToString(RESOURCE));
    }

    @Test
    void poolPartlyCoveredByAvoidedRangesIsValid() {
        Manifests.assertValid(dir, with(POOL_BASE, "    - base: 10.10.0.0/16", AVOID, "    - 10.10.0.0/17\n    - 10.10.128.0/18",
                SUBNET, "    subnet: 10.10.250.0/24", GATEWAY, "    gateway: 10.10.250.1"));
    }

    @Test
    void poolWithOneFreeBlockOfItsSizeIsValid() {
        Manifests.assertValid(dir, with(POOL_BASE, "    - base: 10.10.0.0/22",
                AVOID, "    - 10.10.0.128/25\n    - 10.10.1.128/25\n    - 10.10.2.128/25",
                SUBNET, "    subnet: 10.10.3.0/24", GATEWAY, "    gateway: 10.10.3.1"));
    }

    @Test
    void poolSizeBoundsAreInclusive() {
        Manifests.assertValid(dir, with(POOL_SIZE, "      size: 20"));
        Manifests.assertValid(dir, with(POOL_SIZE, "      size: 30"));
    }

    @Test
    void actionRecreateIsValid() {
        Manifests.assertValid(dir, with("  action: Report", "  action: Recreate"));
    }

    @Test
    void actionDefaultsToReport() {
        ManifestSet set = Manifests.assertValid(dir, with("  action: Report", ""));
        assertThat(((NetworkPolicy) set.resources().get(0).resource()).getSpec().action()).isEqualTo(NetworkAction.Report);
    }

    @Test
    void sharedNetworkAndGatewayAreOptional() {
        Manifests.assertValid(dir, with(GATEWAY, ""));
        Manifests.assertValid(dir, with("  sharedNetwork:", "", SHARED_NAME, "", SUBNET, "", GATEWAY, ""));
    }

    @Test
    void sharedNetworkNameWithDotsUnderscoresAndDashesIsValid() {
        Manifests.assertValid(dir, with(SHARED_NAME, "    name: Shared_net.v1-a"));
    }

    @Test
    void ipv6AvoidedRangeIsAccepted() {
        Manifests.assertValid(dir, with(AVOID, AVOID + "\n    - fd00:10::/48"));
    }

    @Test
    void validScopeVariants() {
        Manifests.assertValid(dir, with("    allUserBridges: true", "    composeProjects: [comfy, nginx-vts, my_stack2]"));
        Manifests.assertValid(dir, with("    allUserBridges: true", "    labelSelector:\n      dev.lookout.managed: \"true\""));
    }

    @Test
    void emptyScopeWarns() {
        assertWarning(with("  scope:", "  scope: {} # <-", "    allUserBridges: true", ""), "spec.scope", "empty: no network is checked");
    }

    @Test
    void allUserBridgesFalseAloneWarns() {
        assertWarning(with("  scope:", "  scope: # <-", "    allUserBridges: true", "    allUserBridges: false"),
                "spec.scope", "empty: no network is checked");
    }

    @Test
    void overlappingPoolsWarn() {
        assertWarning(with("  allowedPools:", "  allowedPools: # <-", POOL_SIZE, POOL_SIZE + "\n    - base: 192.168.248.0/21\n      size: 24"),
                "spec.allowedPools", "pools 192.168.240.0/20 and 192.168.248.0/21 overlap");
    }

    @Test
    void twoPoliciesForTheSameHostIsAnErrorNamingTheOther() {
        String yaml = BASE + """
                ---
                apiVersion: lookout.dev/v1alpha1
                kind: NetworkPolicy
                metadata:
                  name: other-pools
                spec:
                  host: local # <-
                  allowedPools:
                    - base: 10.10.0.0/16
                      size: 24
                """;
        Manifests.assertError(dir, yaml, "NetworkPolicy default/other-pools", "spec.host",
                "host local already has " + RESOURCE + " at " + dir.resolve("resources.yaml") + ":1 (one NetworkPolicy per host");
    }

    @Test
    void twoPoliciesForTheSameHostInDifferentNamespacesIsAnError() {
        String yaml = BASE + """
                ---
                apiVersion: lookout.dev/v1alpha1
                kind: NetworkPolicy
                metadata:
                  name: host-pools
                  namespace: team-b
                spec:
                  host: local # <-
                  allowedPools:
                    - base: 10.10.0.0/16
                      size: 24
                """;
        Manifests.assertError(dir, yaml, "NetworkPolicy team-b/host-pools", "spec.host", "already has " + RESOURCE);
    }

    @Test
    void twoPoliciesForDifferentHostsAreValid() {
        ManifestSet set = Manifests.assertValid(dir, BASE + """
                ---
                apiVersion: lookout.dev/v1alpha1
                kind: NetworkPolicy
                metadata:
                  name: gpu-pools
                spec:
                  host: gpu-box
                  allowedPools:
                    - base: 10.10.0.0/16
                      size: 24
                  scope:
                    allUserBridges: true
                """);
        assertThat(set.resources()).hasSize(2);
    }

    @Test
    void metadataNameNotDns1123IsRejected() {
        Manifests.assertError(dir, with("  name: host-pools", "  name: Host_Pools # <-"), "NetworkPolicy default/Host_Pools",
                "metadata.name", "\"Host_Pools\" is not a valid name (DNS-1123 subdomain");
    }

    @Test
    void metadataNameEndingWithDashIsRejected() {
        Manifests.assertError(dir, with("  name: host-pools", "  name: host-pools- # <-"), "NetworkPolicy default/host-pools-",
                "metadata.name", "is not a valid name");
    }

    @Test
    void metadataNameMissingIsRejected() {
        Manifests.assertError(dir, with("metadata:", "metadata: # <-", "  name: host-pools", "  labels: {app: lookout}"),
                "NetworkPolicy default/<unnamed>", "metadata.name", "required");
    }

    @Test
    void namespaceWithUnderscoreIsRejected() {
        Manifests.assertError(dir, with("  name: host-pools", "  name: host-pools\n  namespace: Team_A # <-"),
                "NetworkPolicy Team_A/host-pools", "metadata.namespace", "\"Team_A\" is not a valid namespace (DNS-1123 label");
    }

    @Test
    void namespaceWithDotIsRejected() {
        // A DNS-1123 subdomain is fine for a name, but a namespace must be a single label.
        Manifests.assertError(dir, with("  name: host-pools", "  name: host-pools\n  namespace: team.a # <-"),
                "NetworkPolicy team.a/host-pools", "metadata.namespace", "is not a valid namespace");
    }

    @Test
    void namespaceLongerThan63IsRejected() {
        String ns = "n".repeat(64);
        Manifests.assertError(dir, with("  name: host-pools", "  name: host-pools\n  namespace: " + ns + " # <-"),
                "NetworkPolicy " + ns + "/host-pools", "metadata.namespace", "is not a valid namespace");
    }

    @Test
    void dottedNameAndNamespaceOf63AreValid() {
        Manifests.assertValid(dir, with("  name: host-pools", "  name: host-pools.v1\n  namespace: " + "n".repeat(63)));
    }

    private void assertWarning(String yaml, String field, String fragment) {
        ManifestSet set = Manifests.assertValid(dir, yaml);
        Path file = dir.resolve("resources.yaml");
        int line = Manifests.markedLine(yaml);
        assertThat(set.warnings())
                .filteredOn(p -> field.equals(p.field()) && p.message().contains(fragment))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.toString()).startsWith(file + ":" + line + ": warning: " + RESOURCE + ": " + field + ": ");
                });
        assertThat(set.resources()).hasSize(1);
    }
}
