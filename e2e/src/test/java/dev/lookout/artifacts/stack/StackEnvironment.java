package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.TestNetwork;
import dev.lookout.testing.Tools;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a test stack changes in compose/.env, as environment variables (which win over the file, for compose and
 * for stack.sh alike): a project name of its own, local images, no Grafana profile, a network the test created,
 * its own resources and lookout.yaml, and ports the engine picks on 127.0.0.1. Everything else is the shipped
 * file's.
 */
public record StackEnvironment(String project, StackImages images, TestNetwork network, Path resources, Path config) {

    public Map<String, String> variables() {
        Map<String, String> env = new HashMap<>(images.variables());
        env.put("COMPOSE_PROJECT_NAME", project);
        env.put("COMPOSE_PROFILES", "");            // Grafana: no image can be built here
        env.put("DOCKER_HOST", "unix://" + DockerEngine.SOCKET);
        env.put("DOCKER_SOCKET", DockerEngine.SOCKET);
        env.put("DOCKER_GID", Integer.toString(DockerSocket.group()));
        env.put("DOCKER_COMPOSE", Tools.require(Tools.dockerCompose(), "docker-compose").toString());
        env.put("LOOKOUT_RESOURCES", resources.toAbsolutePath().toString());
        env.put("LOOKOUT_CONFIG", config.toAbsolutePath().toString());
        env.put("LOOKOUT_NETWORK", network.name());
        env.put("LOOKOUT_SUBNET", network.subnet());
        env.put("LOOKOUT_GATEWAY", network.gateway());
        for (String port : new String[] {"LOOKOUT_PORT", "PROMETHEUS_PORT", "ALERTMANAGER_PORT", "BLACKBOX_PORT", "GRAFANA_PORT"}) {
            env.put(port, "0");                      // the engine picks a free one: runs never race for a port
        }
        return Map.copyOf(env);
    }
}
