package dev.lookout.kubernetes.platform;

import dev.lookout.platform.Instance;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pod as the instance a kind sees. Which of its containers is "the" instance: the one {@code kubectl} defaults to
 * (the {@code kubectl.kubernetes.io/default-container} annotation), else the first; its restart count and start time
 * are the instance's, so a sidecar that restarts does not count as ComfyUI restarting.
 */
final class PodInstances {
    static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

    private PodInstances() {
    }

    /** {@code namespace/name}: unique in the cluster, and what a person types after {@code kubectl -n}. */
    static String name(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    static Instance of(Pod pod) {
        String container = container(pod);
        Optional<ContainerStatus> status = pod.getStatus() == null ? Optional.empty() : pod.getStatus().getContainerStatuses()
                .stream().filter(s -> s.getName().equals(container)).findFirst();
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        boolean hasIp = ip != null && !ip.isEmpty();
        Map<String, String> labels = new TreeMap<>();
        labels.put("namespace", pod.getMetadata().getNamespace());
        labels.put("pod", pod.getMetadata().getName());
        labels.put("container", container);
        return new Instance(pod.getMetadata().getUid(), name(pod), state(pod, status), status.map(ContainerStatus::getRestartCount).orElse(0),
                startedAt(pod, status), hasIp ? ip : null, hasIp ? null : "has no pod IP yet (phase " + phase(pod) + ")", labels);
    }

    /**
     * Docker's words for a pod's state: running when Ready (what Kubernetes itself routes traffic by), restarting
     * while the kubelet backs off a crashed container, exited when the pod is done, created before that.
     */
    static String state(Pod pod, Optional<ContainerStatus> status) {
        String phase = phase(pod);
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return "exited";
        }
        if (ready(pod)) {
            return "running";
        }
        boolean backingOff = status.map(s -> s.getState() != null && s.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())).orElse(false);
        return backingOff || status.map(s -> s.getRestartCount() != null && s.getRestartCount() > 0).orElse(false)
                ? "restarting" : "created";
    }

    static boolean ready(Pod pod) {
        List<PodCondition> conditions = pod.getStatus() == null ? List.of() : pod.getStatus().getConditions();
        return conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String container(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(DEFAULT_CONTAINER) != null) {
            return annotations.get(DEFAULT_CONTAINER);
        }
        return pod.getSpec() == null || pod.getSpec().getContainers().isEmpty() ? "" : pod.getSpec().getContainers().get(0).getName();
    }

    private static Instant startedAt(Pod pod, Optional<ContainerStatus> status) {
        Optional<String> running = status.map(s -> s.getState() == null || s.getState().getRunning() == null ? null
                : s.getState().getRunning().getStartedAt());
        String at = running.orElse(pod.getStatus() == null ? null : pod.getStatus().getStartTime());
        return at == null ? null : Instant.parse(at);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }
}
