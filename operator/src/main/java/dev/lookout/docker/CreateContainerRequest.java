package dev.lookout.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import java.util.List;
import java.util.Locale;

/** A {@link ContainerSpec} written into docker-java's create command: the one place that maps its fields. */
final class CreateContainerRequest {
    private CreateContainerRequest() {
    }

    static CreateContainerCmd fill(CreateContainerCmd cmd, ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig().withRestartPolicy(restartPolicy(spec.restartPolicy()));
        if (!spec.capAdd().isEmpty()) {
            host.withCapAdd(spec.capAdd().stream().map(CreateContainerRequest::capability).toArray(Capability[]::new));
        }
        if (spec.gpus() != null) {
            host.withDeviceRequests(List.of(deviceRequest(spec.gpus())));
        }
        cmd.withName(spec.name())
                .withImage(spec.image())
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withLabels(spec.labels())
                .withHostConfig(host);
        if (!spec.cmd().isEmpty()) {
            cmd.withCmd(spec.cmd());
        }
        if (spec.hostname() != null && !spec.hostname().isBlank()) {
            cmd.withHostName(spec.hostname());
        }
        if (!spec.exposedPorts().isEmpty()) {
            cmd.withExposedPorts(spec.exposedPorts().stream().map(ExposedPort::tcp).toList());
        }
        if (!spec.published().isEmpty()) {
            host.withPortBindings(spec.published().stream().map(p -> new PortBinding(p.hostIp() == null
                    ? Ports.Binding.bindPort(p.hostPort()) : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()),
                    ExposedPort.tcp(p.containerPort()))).toList());
        }
        if (spec.network() != null && !spec.network().isBlank()) {
            // Network mode names the network; docker-java then puts the aliases into
            // NetworkingConfig.EndpointsConfig[network], which is how the API joins one network at create.
            host.withNetworkMode(spec.network());
            if (!spec.aliases().isEmpty()) {
                cmd.withAliases(spec.aliases());
            }
        }
        return cmd;
    }

    /** {@code --gpus all} is count -1; {@code --gpus '"device=0,1"'} is deviceIds; capabilities [[gpu]]. */
    static DeviceRequest deviceRequest(ContainerSpec.GpuRequest gpus) {
        DeviceRequest request = new DeviceRequest()
                .withDriver(gpus.driver() == null || gpus.driver().isBlank() ? "nvidia" : gpus.driver())
                .withCapabilities(List.of(gpus.capabilities()));
        return gpus.deviceIds().isEmpty() ? request.withCount(gpus.count()) : request.withDeviceIds(gpus.deviceIds());
    }

    private static RestartPolicy restartPolicy(String name) {
        return switch (name) {
            case "no", "" -> RestartPolicy.noRestart();
            case "always" -> RestartPolicy.alwaysRestart();
            case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> RestartPolicy.onFailureRestart(0);
            default -> RestartPolicy.parse(name); // on-failure:3
        };
    }

    /** Docker accepts {@code NET_ADMIN} and {@code CAP_NET_ADMIN}; docker-java's enum only the first. */
    private static Capability capability(String name) {
        String bare = name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
        try {
            return Capability.valueOf(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown capability '" + name + "'", e);
        }
    }
}
