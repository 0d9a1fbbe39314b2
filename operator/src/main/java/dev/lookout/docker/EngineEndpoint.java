package dev.lookout.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.lookout.config.OperatorConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where one engine is and how to open a docker-java client to it: {@code unix:///path} or {@code tcp://host:port},
 * the latter with TLS when the host names a folder holding {@code ca.pem}, {@code cert.pem} and {@code key.pem}.
 *
 * @param tls null for a plain connection
 */
record EngineEndpoint(String host, URI url, Path tls) {
    /**
     * The oldest engine Lookout supports (Docker 20.10). Pinned, never negotiated: newer engines accept it, and
     * every request then means the same thing on every host.
     */
    static final RemoteApiVersion API_VERSION = RemoteApiVersion.VERSION_1_41;
    private static final List<String> TLS_FILES = List.of("ca.pem", "cert.pem", "key.pem");
    /** Lookout's calls per engine at once; more would only queue inside the engine. */
    private static final int MAX_CONNECTIONS = 16;

    /** @throws IllegalArgumentException for a url or TLS folder that cannot work, saying why */
    static EngineEndpoint of(OperatorConfig.DockerHost config) {
        String name = config.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a Docker host needs a name");
        }
        URI url;
        try {
            url = URI.create(config.url() == null ? "" : config.url().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Docker host '" + name + "': url '" + config.url() + "' is not a URI");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        Path tls = config.tls() == null || config.tls().isBlank() ? null : Path.of(config.tls());
        switch (scheme) {
            case "unix" -> {
                if (url.getPath() == null || url.getPath().isEmpty()) {
                    throw new IllegalArgumentException("Docker host '" + name + "': url '" + url
                            + "' names no socket (unix:///var/run/docker.sock)");
                }
                if (tls != null) {
                    throw new IllegalArgumentException("Docker host '" + name + "': TLS is for tcp:// urls, not "
                            + url);
                }
            }
            case "tcp" -> {
                if (url.getHost() == null || url.getPort() < 0) {
                    throw new IllegalArgumentException("Docker host '" + name + "': url '" + url
                            + "' needs a host and a port (tcp://10.0.0.5:2376)");
                }
                if (tls != null) {
                    // docker-java's LocalDirectorySSLConfig silently returns no SSL context when a file is
                    // missing, and the client would then speak plain HTTP to a TLS port: refuse instead.
                    List<String> missing = TLS_FILES.stream().filter(f -> !Files.isReadable(tls.resolve(f))).toList();
                    if (!missing.isEmpty()) {
                        throw new IllegalArgumentException("Docker host '" + name + "': TLS folder " + tls
                                + " lacks " + String.join(", ", missing));
                    }
                }
            }
            default -> throw new IllegalArgumentException("Docker host '" + name + "': url '" + url
                    + "' is neither unix:///path nor tcp://host:port");
        }
        return new EngineEndpoint(name, url, tls);
    }

    /** How messages name the engine: {@code 'gpu1' (tcp://10.0.0.5:2376)}. */
    String describe() {
        return "'" + host + "' (" + url + ")";
    }

    /**
     * A docker-java client on its own connection pool.
     *
     * @param responseTimeout null for none: the events stream and pulls, which may be silent for long
     */
    DockerClient open(Duration connectTimeout, Duration responseTimeout) {
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(url)
                .sslConfig(tls == null ? null : new LocalDirectorySSLConfig(tls.toString()))
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(connectTimeout)
                .responseTimeout(responseTimeout)
                .build();
        // Everything explicit, so that DOCKER_HOST, DOCKER_TLS_VERIFY or a docker context in the environment
        // cannot point a configured host elsewhere (the config file stays readable for registry credentials).
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(url.toString())
                .withDockerTlsVerify(false)
                .withApiVersion(API_VERSION)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
