package dev.lookout.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator configuration ({@code lookout.yaml}; not a resource): the Docker hosts, the Prometheus
 * and blackbox-exporter Lookout feeds, the network Prometheus shares with exporters, image overrides.
 * Every field has an embedded default, so an empty file is a working single-host configuration.
 */
public record OperatorConfig(Docker docker, Prometheus prometheus, Blackbox blackbox, Lookout lookout,
                             Map<String, String> images) {

    public OperatorConfig {
        docker = docker == null ? new Docker(null) : docker;
        prometheus = prometheus == null ? new Prometheus(null, null, null, null, null) : prometheus;
        blackbox = blackbox == null ? new Blackbox(null, null, null) : blackbox;
        lookout = lookout == null ? new Lookout(null, null, null) : lookout;
        images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(images));
    }

    public static OperatorConfig defaults() {
        return new OperatorConfig(null, null, null, null, null);
    }

    public record Docker(List<DockerHost> hosts) {
        public Docker {
            hosts = hosts == null || hosts.isEmpty() ? List.of(DockerHost.LOCAL) : List.copyOf(hosts);
        }
    }

    /**
     * @param tls     folder with ca.pem, cert.pem and key.pem for a tcp:// engine
     * @param address where Prometheus and Lookout reach the ports this host's workloads publish; default: the host of a
     *                tcp:// url that is not this machine's loopback. A host with an address publishes its exporters'
     *                ports and is scraped at {@code address:port}; one without (the local unix socket, a tcp:// url
     *                on 127.0.0.1 or localhost: the engine beside Prometheus) puts them on the shared network, scraped
     *                by container name.
     */
    public record DockerHost(String name, String url, String tls,
                             @JsonPropertyDescription("Where Prometheus reaches ports published on this host (default: the host of a tcp:// url).")
                             String address) {
        public static final DockerHost LOCAL = new DockerHost("local", "unix:///var/run/docker.sock", null, null);

        public DockerHost(String name, String url, String tls) {
            this(name, url, tls, null);
        }

        /** Where its published ports are reached; empty for a host whose workloads join the shared network instead. */
        public java.util.Optional<String> publishAddress() {
            if (address != null && !address.isBlank()) {
                return java.util.Optional.of(address);
            }
            if (url != null && url.startsWith("tcp://")) {
                String host = java.net.URI.create(url).getHost();
                boolean loopback = host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
                return loopback ? java.util.Optional.empty() : java.util.Optional.of(host);
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * @param outputDir  where Prometheus reads Lookout's files: every path inside them is written as seen from there
     * @param baseConfig the user's prometheus.yml, for {@code mode: full}
     * @param network    the Docker network Prometheus shares with exporters; targets are container-name:port on it
     * @param externalUrl where a person's browser reaches Prometheus (the status page links alerts there); the
     *                    {@code url} when not set, which is only right when Lookout and the browser see it alike
     */
    public record Prometheus(String url, String outputDir, Mode mode, String network, String baseConfig, String externalUrl,
                             @JsonPropertyDescription("For mode: operator, the prometheus-operator objects Lookout makes.")
                             PrometheusOperator operator) {
        public Prometheus {
            url = url == null ? "http://prometheus:9090" : url;
            outputDir = outputDir == null ? "/etc/prometheus/lookout" : stripSlash(outputDir);
            mode = mode == null ? Mode.INCLUDE : mode;
            network = network == null ? "lookout" : network;
            externalUrl = externalUrl == null ? url : externalUrl;
            operator = operator == null ? new PrometheusOperator(null, null, null, null) : operator;
        }

        public Prometheus(String url, String outputDir, Mode mode, String network, String baseConfig, String externalUrl) {
            this(url, outputDir, mode, network, baseConfig, externalUrl, null);
        }

        public Prometheus(String url, String outputDir, Mode mode, String network, String baseConfig) {
            this(url, outputDir, mode, network, baseConfig, null, null);
        }
    }

    /**
     * {@code prometheus.mode: operator}: Probes, ScrapeConfigs and PrometheusRules in each resource's namespace, and the
     * blackbox modules in a ConfigMap (their password files in a Secret) that blackbox mounts.
     *
     * @param labels            put on every object Lookout makes, so that the Prometheus's probeSelector,
     *                          scrapeConfigSelector and ruleSelector pick them up (kube-prometheus-stack selects
     *                          {@code release: <its release name>} by default)
     * @param namespace         where the blackbox ConfigMap and Secret, and the ScrapeConfig of Lookout's own /metrics, go;
     *                          default: the namespace Lookout runs in (its service account's), else {@code default}
     * @param blackboxConfigMap the ConfigMap (key: configFile's name) blackbox mounts at configFile's folder
     * @param blackboxSecret    the Secret blackbox mounts at {@code blackbox.secretsDir}
     */
    public record PrometheusOperator(Map<String, String> labels, String namespace, String blackboxConfigMap, String blackboxSecret) {
        public PrometheusOperator {
            labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
            blackboxConfigMap = blackboxConfigMap == null ? "lookout-blackbox" : blackboxConfigMap;
            blackboxSecret = blackboxSecret == null ? "lookout-blackbox-secrets" : blackboxSecret;
        }
    }

    public enum Mode {
        /** Files under scrape/ and rules/, pulled in by scrape_config_files and rule_files globs (Prometheus 2.43+). */
        @JsonProperty("include") INCLUDE,
        /** A whole prometheus.yml: the user's base file plus Lookout's jobs and rule files. */
        @JsonProperty("full") FULL,
        /**
         * prometheus-operator's objects instead of files Prometheus reads (Kubernetes mode only): prometheus-operator
         * turns them into Prometheus's configuration, and its config-reloader reloads it.
         */
        @JsonProperty("operator") OPERATOR
    }

    /**
     * @param address    host:port Prometheus uses to reach blackbox-exporter
     * @param configFile blackbox's config file as blackbox sees it; Lookout's modules are merged into it
     */
    public record Blackbox(String url, String address, String configFile,
                           @JsonPropertyDescription("Where blackbox reads the probes' password files (default: lookout-secrets "
                                   + "next to configFile). Operator mode puts them in a Secret, mounted apart from the ConfigMap.")
                           String secretsDir) {
        public Blackbox {
            url = url == null ? "http://blackbox-exporter:9115" : url;
            address = address == null ? "blackbox-exporter:9115" : address;
            configFile = configFile == null ? "/etc/blackbox/blackbox.yml" : configFile;
            secretsDir = secretsDir == null ? parent(configFile) + "/lookout-secrets" : stripSlash(secretsDir);
        }

        public Blackbox(String url, String address, String configFile) {
            this(url, address, configFile, null);
        }

        /** The folder blackbox reads its config from. */
        public String configDir() {
            return parent(configFile);
        }

        /** The config file's own name: its name in the output tree and its key in operator mode's ConfigMap. */
        public String configFileName() {
            return configFile.substring(configFile.lastIndexOf('/') + 1);
        }

        private static String parent(String file) {
            int slash = file.lastIndexOf('/');
            return slash <= 0 ? "/" : file.substring(0, slash);
        }
    }

    /**
     * @param metricsAddress host:port Prometheus scrapes Lookout's own /metrics on (restart counts)
     * @param instance       this Lookout's name on the Docker hosts (label {@code lookout.dev/instance}): it only
     *                       ever changes or removes containers of its own instance, so two Lookouts can share an engine
     */
    public record Lookout(@JsonPropertyDescription("host:port Prometheus scrapes Lookout's own /metrics on.") String metricsAddress,
                          @JsonPropertyDescription("This Lookout's name on the Docker hosts; two sharing an engine need two names.")
                          String instance,
                          @JsonPropertyDescription("Write the password files Prometheus and blackbox read with mode 0640 rather "
                                  + "than 0600: for readers that run as another user in Lookout's group (compose's group_add).")
                          Boolean secretFilesGroupReadable) {
        public Lookout {
            metricsAddress = metricsAddress == null ? "lookout:8080" : metricsAddress;
            instance = instance == null ? "lookout" : instance;
            secretFilesGroupReadable = secretFilesGroupReadable != null && secretFilesGroupReadable;
        }

        public Lookout(String metricsAddress, String instance) {
            this(metricsAddress, instance, null);
        }

        public Lookout(String metricsAddress) {
            this(metricsAddress, null, null);
        }
    }

    /**
     * Where Prometheus scrapes port {@code port} of workload {@code name} on Docker host {@code host}: the host's
     * publish address for a remote host, else the name on the shared network. The Docker platform reports the same
     * endpoint, and the renderer writes it, so that the scrape job and the Ready check cannot disagree.
     */
    public String scrapeAddress(String host, String name, int port) {
        return docker.hosts().stream().filter(h -> h.name().equals(host)).findFirst().flatMap(DockerHost::publishAddress)
                .map(a -> a.contains(":") && !a.startsWith("[") ? "[" + a + "]" : a).orElse(name) + ":" + port;
    }

    /**
     * Where Prometheus scrapes port {@code port} of workload {@code name} of a resource in {@code namespace}: on a Docker
     * host of this file as {@link #scrapeAddress(String, String, int)} says; on any other host (a Kubernetes node, or
     * {@code "*"}: Kubernetes mode puts it in the cluster) at its Service, {@code <name>.<namespace>.svc:<port>}, which
     * is where the cluster platform reports it too.
     */
    public String scrapeAddress(String host, String namespace, String name, int port) {
        return dockerHost(host) ? scrapeAddress(host, name, port) : dev.lookout.api.ClusterNames.serviceAddress(name, namespace, port);
    }

    /** Whether {@code host} names one of this file's Docker hosts (else, in Kubernetes mode, it is placed in the cluster). */
    public boolean dockerHost(String host) {
        return docker.hosts().stream().anyMatch(h -> h.name().equals(host));
    }

    /** The image to run for a role, from {@code images} or the given default (air-gapped sites override). */
    public String image(String role, String fallback) {
        return images.getOrDefault(role, fallback);
    }

    private static String stripSlash(String dir) {
        return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }
}
