package dev.lookout.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lookout.platform.NetworkMove;
import dev.lookout.prometheus.TreeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a Docker network to another subnet, the only way Docker allows (moby #30237: an existing network cannot be
 * edited): disconnect its containers, remove it, create it again with the same name, driver, options, labels
 * (compose refuses a network whose labels changed) and IPv6 setting, and reconnect every container with its aliases
 * and links.
 *
 * <p>Crash-safe through a journal in the state folder, written (atomically, fsynced) before the first change and
 * removed after the last: it holds the network as it was and every container on it. {@link #finish} is the whole
 * move and is idempotent: it looks at what the host has now and does only what is left, so a move cut short at
 * any step (a crash, {@code kill -9}, a host that stopped answering) is completed by running it again, at the next
 * start or the next try. No network and no container connection is lost.
 */
final class NetworkMover {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkMover.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What is written before the first change: the network as it was, and where it goes. */
    record Journal(String host, DockerNetwork original, NetworkMove move) {
    }

    private final Path folder;

    /** @param stateDir Lookout's state folder; the journals go to {@code network-moves/} in it */
    NetworkMover(Path stateDir) {
        this.folder = stateDir.resolve("network-moves");
    }

    /** Journals the move, then makes it. */
    void move(DockerApi api, NetworkMove move) {
        DockerNetwork current = api.network(move.network()).orElseThrow(() -> new IllegalStateException(
                "network " + move.network() + " is not on Docker host " + api.host() + " any more"));
        if (current.builtIn()) {
            throw new IllegalArgumentException(move.network() + " is one of Docker's own networks: never moved");
        }
        if (current.subnets().stream().noneMatch(s -> move.fromSubnet().equals(s.subnet()))) {
            throw new IllegalStateException("network " + move.network() + " on Docker host " + api.host() + " no longer has "
                    + move.fromSubnet() + " (it has " + current.subnets().stream().map(DockerNetwork.IpamSubnet::subnet).toList()
                    + "); planned again on the next pass");
        }
        write(new Journal(api.host(), current, move));
        FailPoints.reached("network-move:journaled");
        finish(api, read(api.host(), move.network()).orElseThrow());
    }

    /** The moves a previous run left unfinished on {@code host}, finished now; returns their networks. */
    List<String> resume(DockerApi api) {
        List<String> finished = new ArrayList<>();
        for (Journal journal : journals(api.host())) {
            LOG.warn("Docker host {}: finishing the move of network {} to {} that a previous run left unfinished",
                    api.host(), journal.move().network(), journal.move().toSubnet());
            finish(api, journal);
            finished.add(journal.move().network());
        }
        return finished;
    }

    /** Whatever of the move is left, done; the journal removed at the end. */
    void finish(DockerApi api, Journal start) {
        Journal journal = start;
        NetworkMove move = journal.move();
        String name = move.network();
        Optional<DockerNetwork> now = api.network(name);
        // Every container the network had when the move began, and any that joined it since.
        Map<String, DockerNetwork.Endpoint> endpoints = new LinkedHashMap<>();
        journal.original().endpoints().forEach(e -> endpoints.put(e.containerId(), e));
        if (now.isPresent() && hasSubnet(now.get(), move.fromSubnet())) {
            now.get().endpoints().forEach(e -> endpoints.putIfAbsent(e.containerId(), e));
            if (endpoints.size() > journal.original().endpoints().size()) {
                // Containers joined since the journal was written: journaled too before any is disconnected.
                journal = new Journal(journal.host(), new DockerNetwork(journal.original().id(), name, journal.original().driver(),
                        journal.original().options(), journal.original().labels(), journal.original().enableIpv6(),
                        journal.original().internal(), journal.original().attachable(), journal.original().ipamDriver(),
                        journal.original().subnets(), List.copyOf(endpoints.values())), move);
                write(journal);
            }
            for (DockerNetwork.Endpoint e : now.get().endpoints()) {
                api.disconnect(name, e.containerId());
                FailPoints.reached("network-move:disconnected");
            }
            api.removeNetwork(now.get().id());
            FailPoints.reached("network-move:removed");
            now = Optional.empty();
        }
        if (now.isEmpty()) {
            api.createNetwork(journal.original().withSubnets(replaced(journal.original(), move)));
            FailPoints.reached("network-move:created");
            now = api.network(name);
        }
        DockerNetwork created = now.orElseThrow(() -> new IllegalStateException("network " + name + " vanished right after "
                + "it was created on Docker host " + api.host()));
        List<String> connected = created.endpoints().stream().map(DockerNetwork.Endpoint::containerId).toList();
        List<String> failed = new ArrayList<>();
        for (DockerNetwork.Endpoint e : endpoints.values()) {
            if (connected.contains(e.containerId())) {
                continue;
            }
            try {
                api.connect(name, e);
            } catch (DockerException.Refused refused) {
                if (api.inspect(e.containerId()).isPresent()) {
                    failed.add(e.containerName() + " (" + refused.getMessage() + ")"); // the others are still reconnected
                } else {
                    LOG.info("Docker host {}: container {} was removed during the move of {}", api.host(), e.containerName(), name);
                }
            }
            FailPoints.reached("network-move:reconnected");
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("network " + name + " moved to " + move.toSubnet() + " on Docker host " + api.host()
                    + ", but these containers could not be reconnected: " + String.join("; ", failed)
                    + "; the journal is kept and the move is finished on the next try");
        }
        delete(journal);
        LOG.info("Docker host {}: moved network {} from {} to {}; reconnected {} container(s)", api.host(), name,
                move.fromSubnet(), move.toSubnet(), endpoints.size());
    }

    private static boolean hasSubnet(DockerNetwork network, String subnet) {
        return network.subnets().stream().anyMatch(s -> subnet.equals(s.subnet()));
    }

    /** The subnets with the moved IPv4 one replaced (an IPv6 subnet stays as it was). */
    private static List<DockerNetwork.IpamSubnet> replaced(DockerNetwork original, NetworkMove move) {
        List<DockerNetwork.IpamSubnet> subnets = new ArrayList<>();
        for (DockerNetwork.IpamSubnet s : original.subnets()) {
            subnets.add(move.fromSubnet().equals(s.subnet()) ? new DockerNetwork.IpamSubnet(move.toSubnet(), move.toGateway(), null) : s);
        }
        return subnets;
    }

    /** A folder per host, names encoded: no two hosts or networks can share a journal, whatever their names. */
    private Path file(String host, String network) {
        return hostFolder(host).resolve(URLEncoder.encode(network, StandardCharsets.UTF_8) + ".json");
    }

    private Path hostFolder(String host) {
        return folder.resolve(URLEncoder.encode(host, StandardCharsets.UTF_8));
    }

    private void write(Journal journal) {
        try {
            Files.createDirectories(hostFolder(journal.host()));
            TreeWriter.writeAtomically(file(journal.host(), journal.move().network()), JSON.writeValueAsBytes(journal), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal of the move of " + journal.move().network()
                    + " in " + folder + "; nothing was changed", e);
        }
    }

    Optional<Journal> read(String host, String network) {
        Path f = file(host, network);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), Journal.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + f + " of an unfinished network move", e);
        }
    }

    List<Journal> journals(String host) {
        List<Journal> journals = new ArrayList<>();
        if (!Files.isDirectory(hostFolder(host))) {
            return journals;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(hostFolder(host), "*.json")) {
            for (Path f : files) {
                Journal j = JSON.readValue(f.toFile(), Journal.class);
                if (j.host().equals(host)) {
                    journals.add(j);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journals of unfinished network moves in " + folder, e);
        }
        journals.sort(java.util.Comparator.comparing(j -> j.move().network()));
        return journals;
    }

    private void delete(Journal journal) {
        try {
            Files.deleteIfExists(file(journal.host(), journal.move().network()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the journal of the finished move of " + journal.move().network(), e);
        }
    }
}
