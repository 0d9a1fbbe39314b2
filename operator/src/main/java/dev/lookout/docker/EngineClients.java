package dev.lookout.docker;

import dev.lookout.config.OperatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Clients for one-shot commands ({@code plan}, {@code doctor}): each host's made when first asked, all closed at the end. */
public final class EngineClients implements Function<OperatorConfig.DockerHost, DockerApi>, AutoCloseable {
    private final DockerSettings settings;
    private final List<DockerEngineClient> open = new ArrayList<>();

    public EngineClients(DockerSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized DockerApi apply(OperatorConfig.DockerHost host) {
        DockerEngineClient client = new DockerEngineClient(host, settings);
        open.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        open.forEach(DockerEngineClient::close);
        open.clear();
    }
}
