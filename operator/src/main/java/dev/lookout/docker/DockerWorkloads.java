package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.Endpoint;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadChange;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Workloads as containers on the Docker hosts of the operator config. The same decision serves {@code run} and
 * {@code plan}: {@link ContainerPlanner} compares what the owner wants with what the host has; {@code run} carries
 * the changes out with {@link ContainerApplier}, a dry run records them in a {@link PlanRecorder} instead.
 *
 * <p>Where a container is reached depends on its host: on a host without a publish address (the local socket) it
 * joins the shared network, and Prometheus scrapes it by name while Lookout reads its address there; on a remote
 * host (tcp://) its ports are published and both use {@code address:port}.
 */
public final class DockerWorkloads implements Workloads {
    /** An image loaded or pushed meanwhile makes no container event: looked for again every minute. */
    static final Duration IMAGE_RECHECK = Duration.ofMinutes(1);
    /** How soon a container that does not run yet is looked at again. */
    static final Duration STARTING = Duration.ofSeconds(5);
    /** A build in progress is looked at again when it ends; this is only the safety net. */
    static final Duration BUILDING_RECHECK = Duration.ofMinutes(1);

    /** A reload the program did not apply is tried again after this (the cause is usually outside Lookout). */
    static final Duration NOT_APPLIED_RECHECK = Duration.ofSeconds(30);

    private final EngineAccess hosts;
    private final HostWatch watch;
    private final OperatorConfig config;
    private final PlanRecorder dryRun;
    private final LiveConfigs live;
    private final BackgroundBuilds builds;
    private final SidecarContainers sidecars;

    DockerWorkloads(DockerPlatform platform) {
        this.hosts = platform.hosts();
        this.watch = platform.watch();
        this.config = platform.config();
        this.dryRun = platform.dryRun();
        this.live = platform.liveConfigs();
        this.builds = platform.builds();
        this.sidecars = new SidecarContainers(config.lookout().instance());
    }

    @Override
    public WorkloadState apply(ObjectKey owner, String host, Workload desired) {
        OperatorConfig.DockerHost hostConfig = config.docker().hosts().stream().filter(h -> h.name().equals(host)).findFirst().orElse(null);
        Optional<String> publishAt = hostConfig == null ? Optional.empty() : hostConfig.publishAddress();
        Map<String, String> ownLabels = Ownership.ownedBy(config.lookout().instance(), owner);
        if (dryRun != null) {
            dryRun.asked(owner, host);
        } else {
            // Its own container, and whatever holds the name it wants (a foreign container, until it is removed).
            watch.watch(host, owner, c -> c.name().equals(desired.name()) || c.hasLabels(ownLabels));
            removeFromOtherHosts(owner, host); // the resource moved host: its container leaves the old one
        }
        HostState state = hosts.state(host);
        if (state instanceof HostState.Down down) {
            return new WorkloadState.Blocked("DockerUnavailable",
                    "Docker host " + host + " does not answer (" + down.reason() + "); retried with backoff", null);
        }
        EngineInfo engine = ((HostState.Up) state).engine();
        if (desired.gpus() != null) {
            Optional<String> noRuntime = GpuRuntime.missing(engine);
            if (noRuntime.isPresent()) {
                SortedMap<String, List<String>> facts = new TreeMap<>();
                facts.put("runtimes", engine.runtimes().stream().sorted().toList());
                if (dryRun != null) {
                    dryRun.changes(host, List.of(new WorkloadChange(WorkloadChange.Action.BLOCKED, host, desired.name(),
                            Ownership.owner(owner), "NoGpuRuntime: " + noRuntime.get())));
                }
                return new WorkloadState.Blocked("NoGpuRuntime", noRuntime.get(), null, facts);
            }
        }
        DockerApi api = hosts.api(host).orElseThrow();
        Workload runnable = desired;
        String builtTag = null;
        List<WorkloadChange> plannedBuilds = new ArrayList<>();
        if (desired.build() != null) {
            String tag;
            if (dryRun != null && api.imageId(desired.build().baseImage()).isEmpty()) {
                // plan pulls nothing: the tag depends on the base's id, known once run has pulled it.
                tag = desired.build().repository() + ":" + desired.build().label() + "-<after pulling " + desired.build().baseImage() + ">";
            } else {
                try {
                    tag = ImageBuilds.tag(api, desired.build());
                } catch (DockerException.ImageNotFound e) {
                    return new WorkloadState.Blocked("ImageNotFound", e.getMessage(), IMAGE_RECHECK);
                }
            }
            if (tag.contains("<") || api.imageId(tag).isEmpty()) {
                if (dryRun != null) {
                    plannedBuilds.add(new WorkloadChange(WorkloadChange.Action.BUILD, host, tag, Ownership.owner(owner),
                            "from " + desired.build().baseImage() + " (" + desired.build().context().size() + " files in the context)"));
                } else {
                    // In the background: a reconcile worker is not held for the minutes a first build may take.
                    BackgroundBuilds.Progress progress = builds.ensure(api, desired.build(), tag, owner, watch::workDone);
                    if (progress instanceof BackgroundBuilds.Progress.Failed failed) {
                        return new WorkloadState.Blocked("ImageBuildFailed", failed.message(), builds.retryIn(failed));
                    }
                    BackgroundBuilds.Progress.Building building = (BackgroundBuilds.Progress.Building) progress;
                    return new WorkloadState.Blocked("ImageBuilding", "building " + tag + " from " + desired.build().baseImage()
                            + " on Docker host " + host + " since " + building.started() + "; looked at again when it ends",
                            BUILDING_RECHECK);
                }
            }
            runnable = desired.withImage(tag);
            builtTag = tag;
        }
        ContainerSpec spec = Ownership.stamp(containerSpec(runnable, publishAt.isPresent()), config.lookout().instance(), owner);
        // Asked of the engine, not read from the inventory: what Lookout acts on must not be a moment old (its own
        // create a moment ago may not have reached the inventory yet).
        List<ContainerInfo> owned = api.list(ownLabels);
        // The sidecars are planned on their own, after the container whose network they join.
        List<ContainerInfo> ownedMain = owned.stream().filter(c -> desired.sidecars().stream()
                .noneMatch(s -> s.name().equals(c.name()))).toList();
        List<ContainerInfo> named = api.inspect(spec.name()).map(List::of).orElse(List.of());
        List<WorkloadChange> changes = ContainerPlanner.plan(host, Ownership.owner(owner), spec, ownedMain, named);
        if (dryRun != null) {
            dryRun.changes(host, plannedBuilds);
            WorkloadState planned = planned(host, spec, api, changes, !plannedBuilds.isEmpty());
            dryRun.changes(host, sidecars.plan(api, host, owner, desired, changes.isEmpty() ? named.stream().findFirst() : Optional.empty(),
                    owned));
            return planned;
        }
        boolean replacing = changes.stream().anyMatch(c -> c.action() == WorkloadChange.Action.CREATE
                || c.action() == WorkloadChange.Action.RECREATE);
        boolean blocked = changes.stream().anyMatch(c -> c.action() == WorkloadChange.Action.BLOCKED);
        // Only ever into this owner's own container: a foreign one of the same name gets nothing.
        Optional<ContainerInfo> mine = owned.stream().filter(c -> c.name().equals(spec.name())).findFirst();
        boolean reload = !replacing && !blocked && mine.isPresent() && live.changed(owner, desired.live());
        if (desired.live() != null && (replacing || reload)) {
            try {
                ContainerApplier.ensureImage(api, spec.image()); // a prebuilt image is pulled before it is checked
            } catch (DockerException.ImageNotFound e) {
                return new WorkloadState.Blocked("ImageNotFound", e.getMessage(), IMAGE_RECHECK);
            }
            // Checked before anything running is touched: a config the program rejects leaves the old one serving.
            Optional<String> rejected = live.rejection(api, owner, spec, desired.live());
            if (rejected.isPresent()) {
                return new WorkloadState.Blocked("ConfigRejected", rejected.get() + (named.isEmpty() ? ""
                        : "; the running container keeps its configuration"), null);
            }
        }
        if (reload) {
            try {
                live.reload(api, owner, mine.get().id(), mine.get().running(), desired.live());
            } catch (DockerException.Exited e) {
                // The files are in, but the program kept its old configuration: not applied, so looked at again (and
                // the reload tried again) rather than reported as done.
                return new WorkloadState.Blocked("ConfigNotApplied", e.getMessage() + "; see `docker logs " + spec.name()
                        + "` on host " + host, NOT_APPLIED_RECHECK);
            }
        }
        try {
            ContainerApplier.apply(api, changes, spec);
        } catch (DockerException.ImageNotFound e) {
            return new WorkloadState.Blocked("ImageNotFound", e.getMessage(), IMAGE_RECHECK);
        } catch (ContainerApplier.NameTaken e) {
            return new WorkloadState.Blocked("ContainerNameTaken", e.getMessage(), null);
        }
        if (replacing) {
            live.applied(owner, desired.live());
        }
        ContainerInfo c = api.inspect(spec.name()).orElseThrow(() -> new IllegalStateException(
                "container " + spec.name() + " vanished right after it was started on host " + host));
        if (c.running() && !desired.sidecars().isEmpty()) {
            try {
                Optional<WorkloadState> notYet = sidecars.apply(api, host, owner, desired, c, owned);
                if (notYet.isPresent()) {
                    return notYet.get();
                }
            } catch (DockerException.ImageNotFound e) {
                return new WorkloadState.Blocked("ImageNotFound", e.getMessage(), IMAGE_RECHECK);
            } catch (ContainerApplier.NameTaken e) {
                return new WorkloadState.Blocked("ContainerNameTaken", e.getMessage(), null);
            }
        }
        WorkloadState.BuiltImage built = builtTag == null ? null : ImageBuilds.builtImage(api, builtTag).orElse(null);
        return running(host, desired, c, publishAt, built);
    }

    private WorkloadState planned(String host, ContainerSpec spec, DockerApi api, List<WorkloadChange> changes, boolean built) {
        dryRun.changes(host, changes);
        boolean creates = changes.stream().anyMatch(c -> c.action() == WorkloadChange.Action.CREATE
                || c.action() == WorkloadChange.Action.RECREATE);
        List<String> notes = creates && !built && !api.imageExists(spec.image())
                ? List.of("image " + spec.image() + " is not on the host: run pulls it, or reports ImageNotFound") : List.of();
        notes.forEach(n -> dryRun.note(host, n));
        return new WorkloadState.Planned(changes, notes);
    }

    /** Where the container stands once the changes are made, with its endpoints when it runs. */
    private WorkloadState running(String host, Workload desired, ContainerInfo c, Optional<String> publishAt,
                                  WorkloadState.BuiltImage built) {
        String network = config.prometheus().network();
        String ip = c.networks().get(network);
        if (!c.running() || publishAt.isEmpty() && (ip == null || ip.isEmpty())) {
            return new WorkloadState.Starting(host, c.name(), c.id(), c.state(), "container " + c.name() + " is " + c.state()
                    + (c.running() ? " but has no address on network " + network : "")
                    + "; see `docker logs " + c.name() + "` on host " + host, STARTING);
        }
        Map<Integer, Endpoint> endpoints = new LinkedHashMap<>();
        for (int port : desired.ports()) {
            endpoints.put(port, publishAt.isPresent()
                    ? new Endpoint(config.scrapeAddress(host, c.name(), port), config.scrapeAddress(host, c.name(), port))
                    // Prometheus shares the network and resolves the name; Lookout may run on the host, where only
                    // the address answers.
                    : new Endpoint(config.scrapeAddress(host, c.name(), port), ip + ":" + port));
        }
        return new WorkloadState.Running(host, c.name(), c.id(), c.state(), endpoints, c.image(), built);
    }

    /** The container that gives {@code w}: on the shared network, or (for a remote host) publishing its ports. */
    ContainerSpec containerSpec(Workload w, boolean publish) {
        ContainerSpec.GpuRequest gpus = w.gpus() == null ? null : w.gpus().all()
                ? new ContainerSpec.GpuRequest("nvidia", -1, List.of(), List.of("gpu"))
                : new ContainerSpec.GpuRequest("nvidia", 0, w.gpus().deviceIds(), List.of("gpu"));
        List<ContainerSpec.ContainerFile> files = w.files().stream()
                .map(f -> new ContainerSpec.ContainerFile(f.path(), f.content(), f.mode())).toList();
        List<ContainerSpec.Published> published = new ArrayList<>();
        w.publish().forEach(p -> published.add(new ContainerSpec.Published(p.hostIp(), p.hostPort(), p.containerPort())));
        if (publish) {
            w.ports().forEach(p -> published.add(new ContainerSpec.Published(null, p, p)));
        }
        return new ContainerSpec(w.name(), w.image(), w.args(), w.env(), w.labels(), w.hostname(),
                publish ? null : config.prometheus().network(), List.of(), gpus, w.ports(), "unless-stopped",
                w.capabilities(), files, published, LiveConfigs.files(w.live()));
    }

    @Override
    public void remove(ObjectKey owner) {
        if (live != null) {
            live.forget(owner);
        }
        if (watch != null) {
            watch.unwatch(owner);
        }
        removeFromOtherHosts(owner, null);
    }

    /**
     * Removes what {@code owner} owns on every host but {@code keep} (null: on every host). A host that is down, or
     * fails, is left to the orphan sweep or the next try; the others are still cleaned.
     */
    private void removeFromOtherHosts(ObjectKey owner, String keep) {
        if (dryRun != null) {
            return; // plan lists what is left elsewhere as orphans
        }
        DockerException failed = null;
        for (String host : hosts.hostNames()) {
            Optional<DockerApi> api = hosts.api(host);
            if (host.equals(keep) || api.isEmpty() || !hosts.state(host).up()) {
                continue;
            }
            try {
                List<ContainerInfo> owned = api.get().list(Ownership.ownedBy(config.lookout().instance(), owner));
                ContainerApplier.apply(api.get(), ContainerPlanner.plan(host, Ownership.owner(owner), null, owned, owned), null);
            } catch (DockerException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed; // retried with backoff
        }
    }
}
