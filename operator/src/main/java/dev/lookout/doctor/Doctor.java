package dev.lookout.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.ContainerInfo;
import dev.lookout.docker.DockerApi;
import dev.lookout.docker.DockerInstances;
import dev.lookout.docker.DockerPlatform;
import dev.lookout.docker.HostState;
import dev.lookout.docker.HostWatch;
import dev.lookout.docker.PlanHosts;
import dev.lookout.kind.LoadedResource;
import dev.lookout.network.AddressPool;
import dev.lookout.network.BridgeSubnetPlan;
import dev.lookout.network.BridgeSubnetPlanner;
import dev.lookout.network.NetworkPolicy;
import dev.lookout.network.NetworkPolicySpec;
import dev.lookout.platform.HostNetwork;
import dev.lookout.platform.HostNetworks;
import dev.lookout.platform.HostRoute;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.probe.DockerDiscovery;
import dev.lookout.reload.BoundedHttp;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code lookout doctor}: the pitfalls of a compose host that the runbook learned the hard way, each said with what
 * to do. It changes nothing; reading a host's routes runs a short-lived helper container there.
 */
public final class Doctor {
    private static final ObjectKey SELF = new ObjectKey("Doctor", "lookout", "doctor");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0");
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);

    private final OperatorConfig config;
    private final Function<OperatorConfig.DockerHost, DockerApi> clients;
    private final Path daemonJson;
    private final BoundedHttp http = new BoundedHttp(HTTP_TIMEOUT, HTTP_TIMEOUT);

    /** @param daemonJson the local engine's daemon.json ({@code /etc/docker/daemon.json}) */
    public Doctor(OperatorConfig config, Function<OperatorConfig.DockerHost, DockerApi> clients, Path daemonJson) {
        this.config = config;
        this.clients = clients;
        this.daemonJson = daemonJson;
    }

    public Examination examine(List<LoadedResource> resources, List<Path> composeFiles) {
        Examination exam = new Examination();
        loopbackTargets(resources, exam);
        ComposeContainerNames.check(composeFiles, exam);
        PlanHosts hosts = new PlanHosts(config.docker().hosts(), clients);
        DockerPlatform platform = new DockerPlatform(hosts, new HostWatch(), config, null, null);
        for (OperatorConfig.DockerHost host : config.docker().hosts()) {
            if (hosts.state(host.name()) instanceof HostState.Down down) {
                exam.couldNotLook("Docker host " + host.name() + " (" + down.reason() + ")");
                continue;
            }
            try {
                examineHost(host, hosts, platform, resources, exam);
            } catch (RuntimeException e) {
                // The host stopped answering, or refused a read: what it has is unknown, not fine.
                exam.couldNotLook("Docker host " + host.name() + " (" + e.getMessage() + ")");
            }
        }
        prometheus(exam);
        blackbox(exam);
        return exam;
    }

    /** blackbox and Prometheus run in containers: a target on 127.0.0.1 is their own loopback, not the host's. */
    private void loopbackTargets(List<LoadedResource> resources, Examination exam) {
        for (LoadedResource r : resources) {
            if (!(r.resource() instanceof ComfyProbe probe)) {
                continue;
            }
            for (int i = 0; i < probe.getSpec().targets().size(); i++) {
                String url = probe.getSpec().targets().get(i).url();
                String host = hostOf(url);
                if (host != null && LOOPBACK.contains(host)) {
                    exam.found(r.source().file() + ":" + r.source().line() + ": " + r.key(), "spec.targets[" + i + "].url "
                            + url + " is the loopback of whatever probes it, and blackbox-exporter in a container has its own",
                            "Name the ComfyUI container on " + config.prometheus().network() + " (http://<container>:8188/…), "
                                    + "or let discover.docker find it");
                }
            }
        }
    }

    private static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void examineHost(OperatorConfig.DockerHost host, PlanHosts hosts, DockerPlatform platform,
                             List<LoadedResource> resources, Examination exam) {
        String where = "Docker host " + host.name();
        HostNetworks networks = platform.networks();
        List<HostNetwork> listed = ((HostNetworks.Found.Listed) networks.list(SELF, host.name())).networks();
        List<HostRoute> routes;
        try {
            routes = networks.routes(host.name());
        } catch (RuntimeException e) {
            exam.couldNotLook(where + "'s routes (" + e.getMessage() + ")");
            routes = List.of();
        }
        bridgesOverRoutes(where, listed, routes, exam);
        for (LoadedResource r : resources) {
            if (r.resource() instanceof NetworkPolicy policy && policy.getSpec().host().equals(host.name())) {
                policy(where, r.key(), policy.getSpec(), listed, routes, exam);
                if (host.url() != null && host.url().startsWith("unix://")) {
                    daemonPools(where, r.key(), policy.getSpec(), exam);
                }
            }
            if (r.resource() instanceof ComfyProbe probe && probe.getSpec().discover() != null
                    && probe.getSpec().discover().docker() != null && probe.getSpec().discover().docker().host().equals(host.name())) {
                unreachableTargets(where, r.key(), probe.getSpec().discover().docker(), platform.instances(), exam);
            }
        }
        monitoringContainers(where, hosts.containers(host.name()), exam);
    }

    /** A bridge under a route Docker did not make (a VPN connected after the bridge was made): one of them is cut off. */
    private static void bridgesOverRoutes(String where, List<HostNetwork> networks, List<HostRoute> routes, Examination exam) {
        for (HostNetwork n : networks) {
            if (n.builtIn() || !"bridge".equals(n.driver())) {
                continue;
            }
            for (HostNetwork.Subnet subnet : n.subnets()) {
                IPAddress s = ipv4(subnet.cidr());
                for (HostRoute route : routes) {
                    IPAddress r = ipv4(route.destination());
                    if (s != null && r != null && s.overlaps(r)) {
                        exam.found(where, "network " + n.name() + " (" + subnet.cidr() + ") overlaps the host route "
                                + route.destination() + " (dev " + route.device() + ")", "Traffic to that range goes to one of "
                                + "them only: move the network (a NetworkPolicy with action: Recreate does it safely) and set "
                                + "default-address-pools in daemon.json so that new ones stay clear");
                    }
                }
            }
        }
    }

    private static void policy(String where, ObjectKey key, NetworkPolicySpec spec, List<HostNetwork> networks,
                               List<HostRoute> routes, Examination exam) {
        BridgeSubnetPlan plan = BridgeSubnetPlanner.plan(spec, networks, spec.detectRoutes() ? routes : List.of());
        for (BridgeSubnetPlan.NetworkPlan n : plan.networks()) {
            if (!n.compliant()) {
                exam.found(where, "network " + n.name() + " breaks " + key + ": " + n.reason(), n.movable() && n.plannedSubnet() != null
                        ? "action: Recreate moves it to " + n.plannedSubnet() + " (lookout plan shows the move first)"
                        : "It cannot be moved by Lookout: move it by hand");
            }
        }
        plan.create().ifPresent(shared -> exam.found(where, "the shared network " + shared.name() + " of " + key + " is missing",
                "lookout run creates it" + (shared.subnet() == null ? "" : " (" + shared.subnet() + ")") + "; compose projects "
                        + "that name it as external cannot start without it"));
    }

    /** The local engine's daemon.json against the policy's pools: without them, new networks come from Docker's defaults. */
    private void daemonPools(String where, ObjectKey key, NetworkPolicySpec spec, Examination exam) {
        String wanted = poolsJson(spec.allowedPools());
        if (!Files.isRegularFile(daemonJson)) {
            exam.found(where, daemonJson + " does not exist, so new networks come from Docker's default pools (the VPN's "
                    + "range among them)", "Write " + wanted + " there (what " + key + " allows) and restart dockerd");
            return;
        }
        try {
            JsonNode pools = new ObjectMapper().readTree(daemonJson.toFile()).path("default-address-pools");
            List<AddressPool> have = new ArrayList<>();
            pools.forEach(p -> have.add(new AddressPool(p.path("base").asText(null), p.path("size").isInt() ? p.path("size").asInt() : null)));
            if (have.isEmpty()) {
                exam.found(where, daemonJson + " has no default-address-pools, so new networks come from Docker's defaults",
                        "Add " + wanted + " (what " + key + " allows) and restart dockerd");
            } else if (BridgeSubnetPlanner.plan(spec, List.of(), List.of()).daemonPoolsDiffer(have)) {
                exam.found(where, daemonJson + "'s default-address-pools " + poolsJson(have) + " differ from what " + key
                        + " allows", "Set " + wanted + " and restart dockerd");
            }
        } catch (IOException e) {
            exam.couldNotLook(daemonJson + " (" + e.getMessage() + ")");
        }
    }

    private static String poolsJson(List<AddressPool> pools) {
        StringBuilder sb = new StringBuilder("\"default-address-pools\": [");
        for (int i = 0; i < pools.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"base\": \"").append(pools.get(i).base()).append("\", \"size\": ")
                    .append(pools.get(i).size()).append('}');
        }
        return sb.append(']').toString();
    }

    private static void unreachableTargets(String where, ObjectKey key, DockerDiscovery discovery, Instances instances,
                                           Examination exam) {
        Instances.Found found = instances.find(key, new InstanceQuery(discovery.host(), discovery.labelSelector(),
                discovery.composeProjects()));
        if (found instanceof Instances.Found.Listed listed) {
            for (Instance i : listed.instances()) {
                if (i.address() == null) {
                    exam.found(where, "container " + i.name() + " that " + key + " finds " + i.unreachable(), listed.advice());
                }
            }
        }
    }

    /**
     * Prometheus and blackbox in containers on this host, as lookout.yaml's urls name them: by container name, or by
     * compose service (compose names the container {@code <project>-prometheus-1}; the service name is its alias on
     * the project's networks). Said when none of them is on the shared network: one that is answers to the name there.
     */
    private void monitoringContainers(String where, List<ContainerInfo> containers, Examination exam) {
        String network = config.prometheus().network();
        for (String url : List.of(config.prometheus().url(), config.blackbox().url())) {
            String name = hostOf(url);
            List<ContainerInfo> named = containers.stream()
                    .filter(c -> c.name().equals(name) || name.equals(c.label(DockerInstances.COMPOSE_SERVICE))).toList();
            if (named.stream().noneMatch(c -> c.networks().containsKey(network))) {
                named.forEach(c -> exam.found(where, "container " + c.name() + " (" + url + ") is not on " + network
                        + ", where the exporters and targets are", "Add " + network + " to its networks, or it scrapes and "
                        + "probes nothing by name"));
            }
        }
    }

    private void prometheus(Examination exam) {
        String url = config.prometheus().url();
        Optional<JsonNode> flags = getJson(url, "api/v1/status/flags", exam, "Prometheus");
        flags.ifPresent(f -> {
            if ("false".equals(f.path("data").path("web.enable-lifecycle").asText())) {
                exam.found("Prometheus " + url, "started without --web.enable-lifecycle, so it refuses POST /-/reload",
                        "Add the flag: without it Lookout writes the outputs but Prometheus reads them only on a restart "
                                + "(PrometheusReloadDisabled)");
            }
        });
    }

    private void blackbox(Examination exam) {
        String url = config.blackbox().url();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base(url).resolve("-/healthy")));
            if (r.statusCode() != 200) {
                exam.found("blackbox-exporter " + url, "answers " + r.statusCode() + " on /-/healthy", "Check its log");
            }
        } catch (IOException | IllegalArgumentException e) {
            exam.found("blackbox-exporter " + url, "does not answer (" + reason(e, url) + ")", "Start it, or set blackbox.url in "
                    + "lookout.yaml to where Lookout reaches it; no probe runs without it");
        }
    }

    private Optional<JsonNode> getJson(String url, String path, Examination exam, String what) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base(url).resolve(path)));
            if (r.statusCode() != 200) {
                exam.found(what + " " + url, "answers " + r.statusCode() + " on /" + path, "Is it Prometheus?");
                return Optional.empty();
            }
            return Optional.of(new ObjectMapper().readTree(r.body()));
        } catch (IOException | IllegalArgumentException e) {
            exam.found(what + " " + url, "does not answer (" + reason(e, url) + ")", "Start it, or set prometheus.url in "
                    + "lookout.yaml to where Lookout reaches it; outputs are written but nothing reloads them");
            return Optional.empty();
        }
    }

    private static URI base(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    private String reason(Exception e, String url) {
        return e instanceof IOException ? http.reason(e, base(url)) : e.getMessage();
    }

    private static IPAddress ipv4(String cidr) {
        IPAddress a = cidr == null ? null : new IPAddressString(cidr).getAddress();
        return a != null && a.isIPv4() ? a.toPrefixBlock() : null;
    }
}
