package dev.lookout.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.lookout.config.OperatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DockerApi} for one engine, over docker-java with the zerodep transport and API version 1.41.
 *
 * <p>Two connection pools: one for calls, with the response timeout, and one without it for what may rightly be
 * silent for long (the events stream, a pull). Every call goes through {@link EngineCalls}: a deadline that also
 * holds on a unix socket, and a retry on a fresh connection when a pooled one turns out to be dead, which is
 * what the first call after a daemon restart meets.
 */
public final class DockerEngineClient implements DockerApi, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngineClient.class);

    private final EngineEndpoint engine;
    private final DockerClient docker;
    private final DockerClient streams;
    private final EngineCalls calls;

    /** @throws IllegalArgumentException when the host's url or TLS folder cannot work, saying why */
    public DockerEngineClient(OperatorConfig.DockerHost host, DockerSettings settings) {
        this.engine = EngineEndpoint.of(host);
        this.docker = engine.open(settings.connectTimeout(), settings.responseTimeout());
        this.streams = engine.open(settings.connectTimeout(), null);
        this.calls = new EngineCalls(engine, settings);
    }

    @Override
    public String host() {
        return engine.host();
    }

    public String url() {
        return engine.url().toString();
    }

    /** How many calls were repeated after losing their connection (a dead pooled connection, a restart). */
    public long retriedCalls() {
        return calls.retried();
    }

    /** Whether the engine answers {@code GET /_ping}. */
    public void ping() {
        calls.run("ping", Duration.ZERO, () -> docker.pingCmd().exec());
    }

    @Override
    public EngineInfo info() {
        return status().info();
    }

    /** What {@code /info} says, with the engine's clock at that moment (events are timed by that clock). */
    record EngineStatus(EngineInfo info, Instant engineTime) {
    }

    EngineStatus status() {
        Info info = calls.call("info", () -> docker.infoCmd().exec());
        String apiVersion = calls.call("version", () -> docker.versionCmd().exec()).getApiVersion();
        // docker-java 3.7.1's Info has no DefaultRuntime property; its raw values keep every field of the answer.
        Object defaultRuntime = info.getRawValues().get("DefaultRuntime");
        EngineInfo engineInfo = new EngineInfo(engine.host(), info.getServerVersion(), apiVersion,
                info.getRuntimes() == null ? null : new TreeSet<>(info.getRuntimes().keySet()),
                defaultRuntime == null ? null : defaultRuntime.toString());
        return new EngineStatus(engineInfo, engineTime(info.getSystemTime()));
    }

    private static Instant engineTime(String systemTime) {
        try {
            return systemTime == null ? Instant.now() : OffsetDateTime.parse(systemTime).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    /**
     * Every container carrying all of {@code labels}, in every state, each inspected: the list does not carry
     * the restart count nor, for a stopped container, its networks. A container removed between the list and
     * its inspect is left out.
     */
    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        List<Container> containers = calls.call("list containers", () -> {
            var cmd = docker.listContainersCmd().withShowAll(true);
            if (labels != null && !labels.isEmpty()) {
                cmd.withLabelFilter(labels);
            }
            return cmd.exec();
        });
        List<ContainerInfo> result = new ArrayList<>(containers.size());
        for (Container c : containers) {
            inspect(c.getId()).ifPresent(result::add);
        }
        result.sort(Comparator.comparing(ContainerInfo::name).thenComparing(ContainerInfo::id));
        return result;
    }

    @Override
    public Optional<ContainerInfo> inspect(String idOrName) {
        return calls.call("inspect " + idOrName, () -> {
            try {
                InspectContainerResponse inspect = docker.inspectContainerCmd(idOrName).exec();
                return Optional.of(ContainerInfos.of(inspect));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * Creates the container, then copies its files in. Retried like the idempotent calls: a retry that meets a
     * container of the same name takes it when its spec hash equals this spec's (the lost attempt did create it),
     * and throws {@link DockerException.Conflict} otherwise. A container whose files could not be copied is
     * removed again, so that no container with the right hash and the wrong files is left behind.
     */
    @Override
    public String create(ContainerSpec spec) {
        String what = "create container " + spec.name();
        AtomicInteger attempt = new AtomicInteger();
        String id;
        try {
            id = calls.call(what, () -> {
                int n = attempt.incrementAndGet();
                try {
                    return CreateContainerRequest.fill(docker.createContainerCmd(spec.image()), spec).exec().getId();
                } catch (ConflictException e) {
                    if (n > 1) {
                        Optional<String> earlier = createdEarlier(spec);
                        if (earlier.isPresent()) {
                            LOG.debug("Docker host {}: {} was done by an attempt whose answer was lost",
                                    engine.describe(), what);
                            return earlier.get();
                        }
                    }
                    throw e;
                }
            });
        } catch (DockerException.Refused e) {
            if (e.status() == 404 && e.getMessage().contains("No such image")) {
                throw new DockerException.ImageNotFound(engine.host(), spec.image(), "image " + spec.image()
                        + " is not on Docker host " + engine.describe() + " (pull it, or build it there)");
            }
            throw e;
        }
        List<ContainerSpec.ContainerFile> all = new ArrayList<>(spec.files());
        all.addAll(spec.liveFiles());
        if (!all.isEmpty()) {
            try {
                copyFiles(id, all);
            } catch (RuntimeException e) {
                try {
                    remove(id);
                } catch (DockerException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        return id;
    }

    /** The container of the spec's name, if it carries the spec's hash: an earlier attempt made it. */
    private Optional<String> createdEarlier(ContainerSpec spec) {
        String hash = spec.labels().get(Ownership.SPEC_HASH);
        if (hash == null) {
            return Optional.empty();
        }
        try {
            InspectContainerResponse existing = docker.inspectContainerCmd(spec.name()).exec();
            Map<String, String> labels = existing.getConfig() == null ? null : existing.getConfig().getLabels();
            return labels != null && hash.equals(labels.get(Ownership.SPEC_HASH)) ? Optional.of(existing.getId())
                    : Optional.empty();
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    @Override
    public void copyInto(String id, List<ContainerSpec.ContainerFile> files) {
        copyFiles(id, files);
    }

    @Override
    public String exec(String id, List<String> cmd, Duration timeout) {
        String execId = calls.call("exec in " + id, () -> docker.execCreateCmd(id).withCmd(cmd.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId());
        StringBuilder out = new StringBuilder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        StreamCallback<com.github.dockerjava.api.model.Frame> frames = new StreamCallback<>(frame ->
                out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8)), failure::set);
        try {
            streams.execStartCmd(execId).exec(frames);
            if (!frames.awaitDone(timeout.toMillis())) {
                throw DockerErrors.unavailable(engine, String.join(" ", cmd) + " in " + id + " did not end within "
                        + timeout.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DockerErrors.unavailable(engine, "exec in " + id + " was interrupted", e);
        } finally {
            frames.close();
        }
        if (failure.get() != null) {
            throw DockerErrors.translate(engine, "exec in " + id, failure.get());
        }
        Long exit = calls.call("inspect exec " + execId, () -> docker.inspectExecCmd(execId).exec().getExitCodeLong());
        if (exit == null || exit != 0) {
            throw new DockerException.Exited(engine.host(), String.join(" ", cmd) + " exited with " + exit + ": "
                    + out.toString().strip());
        }
        return out.toString();
    }

    private void copyFiles(String id, List<ContainerSpec.ContainerFile> files) {
        byte[] tar = ContainerFilesArchive.of(files);
        calls.run("copy " + files.size() + " file(s) into " + id, Duration.ZERO, () ->
                docker.copyArchiveToContainerCmd(id).withRemotePath("/")
                        .withTarInputStream(new ByteArrayInputStream(tar)).exec());
    }

    @Override
    public void start(String id) {
        calls.run("start " + id, Duration.ZERO, () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // 304: what was asked is already so
            }
        });
    }

    @Override
    public void stop(String id, Duration grace) {
        calls.run("stop " + id, grace, () -> {
            try {
                docker.stopContainerCmd(id).withTimeout(seconds(grace)).exec();
            } catch (NotModifiedException alreadyStopped) {
                // 304: what was asked is already so
            }
        });
    }

    @Override
    public void remove(String id) {
        calls.run("remove " + id, Duration.ZERO, () -> {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException absent) {
                // already gone: what was asked is so
            }
        });
    }

    @Override
    public void restart(String id, Duration grace) {
        calls.run("restart " + id, grace, () -> docker.restartContainerCmd(id).withTimeout(seconds(grace)).exec());
    }

    @Override
    public boolean imageExists(String image) {
        return calls.call("inspect image " + image, () -> {
            try {
                docker.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /**
     * Pulls on the pool without a response timeout (layers take as long as they take), bounded by
     * {@code timeout} as a whole. An engine that cannot be reached throws {@link DockerException.Unavailable};
     * a registry that cannot be reached or has no such image is a false, with the engine's message logged.
     */
    @Override
    public boolean pull(String image, Duration timeout) {
        ImageReference ref = ImageReference.parse(image);
        AtomicReference<String> error = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        StreamCallback<PullResponseItem> progress = new StreamCallback<>(item -> keepError(item, error), failure::set);
        try {
            streams.pullImageCmd(ref.repository()).withTag(ref.tag()).exec(progress);
            if (!progress.awaitDone(timeout.toMillis())) {
                LOG.warn("Docker host {}: pulling {} took longer than {} s; given up", engine.describe(), image,
                        timeout.toSeconds());
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DockerErrors.unavailable(engine, "pull " + image + " was interrupted", e);
        } finally {
            progress.close();
        }
        Throwable f = failure.get();
        if (f != null) {
            DockerException translated = DockerErrors.translate(engine, "pull " + image, f);
            if (translated instanceof DockerException.Unavailable) {
                throw translated;
            }
            LOG.warn("{}", translated.getMessage());
            return false;
        }
        if (error.get() != null) {
            LOG.warn("pull {} on Docker host {} failed: {}", image, engine.describe(), error.get());
            return false;
        }
        return true;
    }

    /** The engine's error in a pull's or a build's stream, when the item carries one. */
    private static void keepError(com.github.dockerjava.api.model.ResponseItem item, AtomicReference<String> error) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            error.set(item.getErrorDetail().getMessage());
        } else if (item.getError() != null) {
            error.set(item.getError());
        }
    }

    @Override
    public Optional<String> imageId(String image) {
        return calls.call("inspect image " + image, () -> {
            try {
                return Optional.ofNullable(docker.inspectImageCmd(image).exec().getId());
            } catch (NotFoundException e) {
                return Optional.<String>empty();
            }
        });
    }

    @Override
    public Optional<ImageDetails> image(String image) {
        return calls.call("inspect image " + image, () -> {
            try {
                var inspect = docker.inspectImageCmd(image).exec();
                Map<String, String> labels = inspect.getConfig() == null || inspect.getConfig().getLabels() == null
                        ? Map.of() : inspect.getConfig().getLabels();
                Instant created = null;
                try {
                    created = inspect.getCreated() == null ? null : OffsetDateTime.parse(inspect.getCreated()).toInstant();
                } catch (DateTimeParseException e) {
                    // an engine's odd date leaves the build time unknown, nothing worse
                }
                return Optional.of(new ImageDetails(inspect.getId(), created, labels));
            } catch (NotFoundException e) {
                return Optional.<ImageDetails>empty();
            }
        });
    }

    @Override
    public String build(byte[] context, String tag, Map<String, String> labels, Consumer<String> log, Duration timeout) {
        AtomicReference<String> error = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        StringBuilder line = new StringBuilder();
        StreamCallback<com.github.dockerjava.api.model.BuildResponseItem> progress = new StreamCallback<>(item -> {
            if (item.getStream() != null) {
                line.append(item.getStream());
                for (int nl = line.indexOf("\n"); nl >= 0; nl = line.indexOf("\n")) {
                    log.accept(line.substring(0, nl));
                    line.delete(0, nl + 1);
                }
            }
            keepError(item, error);
        }, failure::set);
        try {
            streams.buildImageCmd(new ByteArrayInputStream(context)).withTags(java.util.Set.of(tag)).withLabels(labels)
                    .withPull(false).withRemove(true).withForcerm(true).exec(progress);
            if (!progress.awaitDone(timeout.toMillis())) {
                throw new DockerException.Refused(engine.host(), 500, "building " + tag + " took longer than "
                        + timeout.toMinutes() + " min; given up", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DockerErrors.unavailable(engine, "build " + tag + " was interrupted", e);
        } finally {
            progress.close();
        }
        if (!line.isEmpty()) {
            log.accept(line.toString());
        }
        if (failure.get() != null) {
            throw DockerErrors.translate(engine, "build " + tag, failure.get());
        }
        if (error.get() != null) {
            throw new DockerException.Refused(engine.host(), 500, error.get().strip(), null);
        }
        return imageId(tag).orElseThrow(() -> new DockerException.Refused(engine.host(), 500,
                "the build of " + tag + " ended without an image", null));
    }

    @Override
    public List<DockerNetwork> networks() {
        List<com.github.dockerjava.api.model.Network> listed = calls.call("list networks", () -> docker.listNetworksCmd().exec());
        List<DockerNetwork> result = new ArrayList<>();
        for (com.github.dockerjava.api.model.Network n : listed) {
            network(n.getId()).ifPresent(result::add);
        }
        result.sort(Comparator.comparing(DockerNetwork::name));
        return result;
    }

    @Override
    public Optional<DockerNetwork> network(String nameOrId) {
        Optional<com.github.dockerjava.api.model.Network> inspected = calls.call("inspect network " + nameOrId, () -> {
            try {
                return Optional.of(docker.inspectNetworkCmd().withNetworkId(nameOrId).exec());
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
        if (inspected.isEmpty()) {
            return Optional.empty();
        }
        com.github.dockerjava.api.model.Network n = inspected.get();
        if (!nameOrId.equals(n.getName()) && !nameOrId.equals(n.getId())) {
            return Optional.empty(); // the engine matched an id prefix: a name that is not there names no network
        }
        // The network's own container list has running containers only: a stopped one that is connected would
        // lose the network on a move. The container filter by network finds both.
        List<Container> members = calls.call("list containers on network " + n.getName(), () -> docker.listContainersCmd()
                .withShowAll(true).withNetworkFilter(List.of(n.getId())).exec());
        List<DockerNetwork.Endpoint> endpoints = new ArrayList<>();
        for (Container member : members) {
            endpoint(member.getId(), n).ifPresent(endpoints::add);
        }
        endpoints.sort(Comparator.comparing(DockerNetwork.Endpoint::containerName));
        List<DockerNetwork.IpamSubnet> subnets = new ArrayList<>();
        if (n.getIpam() != null && n.getIpam().getConfig() != null) {
            n.getIpam().getConfig().forEach(c -> subnets.add(new DockerNetwork.IpamSubnet(c.getSubnet(), c.getGateway(), c.getIpRange())));
        }
        return Optional.of(new DockerNetwork(n.getId(), n.getName(), n.getDriver(), n.getOptions(), n.getLabels(),
                Boolean.TRUE.equals(n.getEnableIPv6()), Boolean.TRUE.equals(n.getInternal()), Boolean.TRUE.equals(n.isAttachable()),
                n.getIpam() == null ? null : n.getIpam().getDriver(), subnets, endpoints));
    }

    /** A container's endpoint on {@code n}, from the container's own inspect (aliases and a static address are there). */
    private Optional<DockerNetwork.Endpoint> endpoint(String containerId, com.github.dockerjava.api.model.Network n) {
        return calls.call("inspect " + containerId, () -> {
            try {
                InspectContainerResponse c = docker.inspectContainerCmd(containerId).exec();
                var networks = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
                var on = networks == null ? null : networks.get(n.getName());
                if (on == null) {
                    return Optional.<DockerNetwork.Endpoint>empty();
                }
                String shortId = c.getId().substring(0, Math.min(12, c.getId().length()));
                List<String> aliases = on.getAliases() == null ? List.of()
                        : on.getAliases().stream().filter(a -> !a.equals(shortId)).toList();
                List<String> links = on.getLinks() == null ? List.of()
                        : java.util.Arrays.stream(on.getLinks()).map(l -> l.getName() + ":" + l.getAlias()).toList();
                String staticIp = on.getIpamConfig() == null ? null : blankToNull(on.getIpamConfig().getIpv4Address());
                return Optional.of(new DockerNetwork.Endpoint(c.getId(), c.getName().replaceFirst("^/", ""), aliases, links, staticIp));
            } catch (NotFoundException e) {
                return Optional.<DockerNetwork.Endpoint>empty();
            }
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String createNetwork(DockerNetwork d) {
        var ipam = new com.github.dockerjava.api.model.Network.Ipam().withConfig(d.subnets().stream()
                .map(s -> new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(s.subnet())
                        .withGateway(s.gateway()).withIpRange(s.ipRange())).toList());
        if (d.ipamDriver() != null) {
            ipam.withDriver(d.ipamDriver());
        }
        AtomicInteger attempt = new AtomicInteger();
        return calls.call("create network " + d.name(), () -> {
            int n = attempt.incrementAndGet();
            try {
                return docker.createNetworkCmd().withName(d.name()).withDriver(d.driver()).withOptions(d.options())
                        .withLabels(d.labels()).withEnableIpv6(d.enableIpv6()).withInternal(d.internal())
                        .withAttachable(d.attachable()).withIpam(ipam).withCheckDuplicate(true).exec().getId();
            } catch (ConflictException e) {
                // A retry whose first attempt did create it (its answer was lost): the network with these subnets is it.
                var existing = n > 1 ? docker.inspectNetworkCmd().withNetworkId(d.name()).exec() : null;
                if (existing != null && existing.getIpam() != null && existing.getIpam().getConfig() != null
                        && existing.getIpam().getConfig().stream().map(c -> c.getSubnet()).toList()
                        .equals(d.subnets().stream().map(DockerNetwork.IpamSubnet::subnet).toList())) {
                    return existing.getId();
                }
                throw e;
            }
        });
    }

    @Override
    public void removeNetwork(String nameOrId) {
        calls.run("remove network " + nameOrId, Duration.ZERO, () -> {
            try {
                docker.removeNetworkCmd(nameOrId).exec();
            } catch (NotFoundException absent) {
                // already gone
            }
        });
    }

    @Override
    public void connect(String network, DockerNetwork.Endpoint e) {
        com.github.dockerjava.api.model.ContainerNetwork endpoint = new com.github.dockerjava.api.model.ContainerNetwork()
                .withAliases(e.aliases());
        if (!e.links().isEmpty()) {
            endpoint.withLinks(e.links().stream().map(com.github.dockerjava.api.model.Link::parse).toList());
        }
        calls.run("connect " + e.containerName() + " to " + network, Duration.ZERO, () ->
                docker.connectToNetworkCmd().withNetworkId(network).withContainerId(e.containerId())
                        .withContainerNetwork(endpoint).exec());
    }

    @Override
    public void disconnect(String network, String containerId) {
        calls.run("disconnect " + containerId + " from " + network, Duration.ZERO, () -> {
            try {
                docker.disconnectFromNetworkCmd().withNetworkId(network).withContainerId(containerId).withForce(true).exec();
            } catch (NotFoundException absent) {
                // the container or the network is gone
            }
        });
    }

    @Override
    public String runToEnd(ContainerSpec spec, Duration timeout) {
        String id = create(spec);
        try {
            start(id);
            Integer status;
            try (var wait = streams.waitContainerCmd(id).exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())) {
                status = wait.awaitStatusCode(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (com.github.dockerjava.api.exception.DockerClientException e) {
                throw DockerErrors.unavailable(engine, spec.name() + " did not end within " + timeout.toSeconds() + " s", e);
            } catch (IOException e) {
                throw DockerErrors.translate(engine, "wait for " + spec.name(), e);
            }
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            StreamCallback<com.github.dockerjava.api.model.Frame> logs = new StreamCallback<>(frame -> {
                String text = new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
                (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDERR ? err : out).append(text);
            }, failure::set);
            try {
                streams.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false).exec(logs);
                if (!logs.awaitDone(timeout.toMillis())) {
                    throw DockerErrors.unavailable(engine, "the output of " + spec.name() + " did not come within "
                            + timeout.toSeconds() + " s", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DockerErrors.unavailable(engine, "reading the output of " + spec.name() + " was interrupted", e);
            } finally {
                logs.close();
            }
            if (status == null || status != 0) {
                throw new DockerException.Exited(engine.host(), spec.name() + " (" + spec.image() + ") exited with "
                        + status + (err.isEmpty() ? "" : ": " + err.toString().strip()));
            }
            return out.toString();
        } finally {
            remove(id);
        }
    }

    /**
     * Opens the events stream for containers (and their network connects), from {@code since} on the engine's
     * clock, so that what happened between that moment and the subscription is replayed. The stream's end is
     * reported once to {@code ended} (null: the engine closed it; else the failure), unless this side closed it.
     */
    StreamCallback<Event> events(Instant since, Consumer<EngineEvent> events, Consumer<Throwable> ended) {
        StreamCallback<Event> callback = new StreamCallback<>(e -> {
            EngineEvent event = engineEvent(e);
            if (event != null) {
                events.accept(event);
            }
        }, ended);
        List<String> actions = new ArrayList<>(List.of(EngineEvent.CONTAINER_ACTIONS));
        actions.addAll(List.of(EngineEvent.NETWORK_ACTIONS));
        streams.eventsCmd()
                .withSince(since.getEpochSecond() + "." + String.format("%09d", since.getNano()))
                .withEventTypeFilter("container", "network")
                .withEventFilter(actions.toArray(String[]::new))
                .exec(callback);
        return callback;
    }

    /** Only what concerns a container: a network's own create or destroy passes the engine's filter too. */
    private static EngineEvent engineEvent(Event e) {
        String type = e.getType() == null ? null : e.getType().getValue();
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        long time = e.getTimeNano() != null ? e.getTimeNano() : e.getTime() == null ? 0 : e.getTime() * 1_000_000_000L;
        if ("container".equals(type)) {
            String id = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
            return id == null ? null : new EngineEvent(type, action, id, time);
        }
        if ("network".equals(type) && ("connect".equals(action) || "disconnect".equals(action))
                && e.getActor() != null && e.getActor().getAttributes() != null) {
            String id = e.getActor().getAttributes().get("container");
            return id == null ? null : new EngineEvent(type, action, id, time);
        }
        return null;
    }

    /** What a failure of {@code what} on this engine means, as the calls themselves would throw it. */
    DockerException failure(String what, Throwable cause) {
        return DockerErrors.translate(engine, what, cause);
    }

    private static int seconds(Duration grace) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, grace.toSeconds()));
    }

    @Override
    public void close() {
        calls.close();
        for (DockerClient c : List.of(docker, streams)) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the client of Docker host {}: {}", engine.describe(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "DockerEngineClient" + engine.describe();
    }

    /** An image name split the way the pull API wants it: {@code fromImage} and {@code tag} (or digest). */
    record ImageReference(String repository, String tag) {
        static ImageReference parse(String image) {
            Objects.requireNonNull(image, "image");
            int at = image.indexOf('@');
            if (at >= 0) {
                return new ImageReference(image.substring(0, at), image.substring(at + 1));
            }
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
            }
            return new ImageReference(image, "latest");
        }
    }
}
