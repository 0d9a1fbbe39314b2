package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration a container reloads in place ({@link Workload.LiveConfig}): checked first in a throwaway container of the
 * same image with the new files ({@code nginx -t}), so that a config the program rejects never reaches the one that
 * serves; then copied into the running container and reloaded ({@code nginx -s reload}), without a recreate. Which
 * files each owner's container has is remembered for this run of Lookout; after a restart they are put in once more.
 */
final class LiveConfigs {
    private static final Logger LOG = LoggerFactory.getLogger(LiveConfigs.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

    private final Map<ObjectKey, String> inPlace = new ConcurrentHashMap<>();
    private final String instance;

    LiveConfigs(String instance) {
        this.instance = instance;
    }

    static List<ContainerSpec.ContainerFile> files(Workload.LiveConfig live) {
        return live == null ? List.of() : live.files().stream()
                .map(f -> new ContainerSpec.ContainerFile(f.path(), f.content(), f.mode())).toList();
    }

    /** Whether the container of {@code owner} has other live files than these (or none known). */
    boolean changed(ObjectKey owner, Workload.LiveConfig live) {
        return live != null && !ImageBuilds.sha256(digest(files(live))).equals(inPlace.get(owner));
    }

    void applied(ObjectKey owner, Workload.LiveConfig live) {
        if (live != null) {
            inPlace.put(owner, ImageBuilds.sha256(digest(files(live))));
        }
    }

    void forget(ObjectKey owner) {
        inPlace.remove(owner);
    }

    /** Why the program rejects these files, from its check run in a throwaway container; empty when it accepts them. */
    Optional<String> rejection(DockerApi api, ObjectKey owner, ContainerSpec spec, Workload.LiveConfig live) {
        List<ContainerSpec.ContainerFile> all = new ArrayList<>(spec.files());
        all.addAll(files(live));
        Map<String, String> labels = new TreeMap<>(Ownership.managed(instance));
        labels.put(Ownership.OWNER, Ownership.HELPER_PREFIX + "check." + Ownership.owner(owner)); // no resource declares it: a leftover is swept
        // On the workload's own network: nginx -t resolves the upstreams an include names (proxy_pass http://app).
        ContainerSpec check = new ContainerSpec("lookout-check-" + Long.toHexString(System.nanoTime()), spec.image(), live.check(),
                Map.of(), labels, null, spec.network(), List.of(), null, List.of(), "no", List.of(), all);
        try {
            api.runToEnd(check, CHECK_TIMEOUT);
            return Optional.empty();
        } catch (DockerException.Exited e) {
            return Optional.of(e.getMessage()); // the program's own verdict; anything else is the engine's, retried
        }
    }

    /** Puts the files in the container and, when it runs, has it reload them (a stopped one reads them when it starts). */
    void reload(DockerApi api, ObjectKey owner, String containerId, boolean running, Workload.LiveConfig live) {
        api.copyInto(containerId, files(live));
        if (running) {
            api.exec(containerId, live.reload(), CHECK_TIMEOUT);
        }
        applied(owner, live);
        LOG.info("{}: reloaded its configuration in place on Docker host {}", Ownership.owner(owner), api.host());
    }

    private static String digest(List<ContainerSpec.ContainerFile> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach(f -> sb.append(f.path()).append('\0').append(f.mode()).append('\0')
                .append(java.util.HexFormat.of().formatHex(f.content())).append('\n'));
        return sb.toString();
    }
}
