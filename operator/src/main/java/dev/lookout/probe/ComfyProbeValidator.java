package dev.lookout.probe;

import static dev.lookout.validation.CommonRules.positiveDuration;

import dev.lookout.api.Patterns;
import dev.lookout.validation.CommonRules;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.KindValidator;
import dev.lookout.validation.ProblemReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

public final class ComfyProbeValidator implements KindValidator<ComfyProbe> {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Pattern URL_PATH = Pattern.compile(Patterns.URL_PATH);
    private static final Pattern NAMESPACE = Pattern.compile(Patterns.DNS1123_LABEL);

    @Override
    public void validate(ComfyProbe probe, ProblemReporter r) {
        ComfyProbeSpec spec = probe.getSpec();
        ProbeDiscovery discover = spec.discover();
        boolean discovers = discover != null && (discover.docker() != null || discover.kubernetes() != null);
        if (spec.targets().isEmpty() && !discovers) {
            r.error(SPEC.child("targets"), "a ComfyProbe needs targets or discover (targets[].url, discover.docker or discover.kubernetes)");
        }
        for (int i = 0; i < spec.targets().size(); i++) {
            ProbeTarget target = spec.targets().get(i);
            FieldPath p = SPEC.child("targets").index(i);
            if (CommonRules.required(r, p.child("url"), target.url(), "an absolute http(s) URL")) {
                CommonRules.httpUrl(r, p.child("url"), target.url());
            }
            CommonRules.labels(r, p.child("labels"), target.labels());
        }
        if (discover != null) {
            if (discover.docker() != null && discover.kubernetes() != null) {
                r.error(SPEC.child("discover"), "discover.docker and discover.kubernetes both set: one ComfyProbe discovers on one "
                        + "platform (write a second ComfyProbe for the other)");
            }
            validateDocker(discover.docker(), r);
            validateKubernetes(discover.kubernetes(), r);
        }
        validateHttp(spec.http(), r);
        validateTiming(spec, r);
        FieldPath alert = SPEC.child("alert");
        positiveDuration(r, alert.child("for"), spec.alert().forDuration());
        CommonRules.nonEmptySafeText(r, alert.child("severity"), spec.alert().severity());
        if (spec.restarts() != null) {
            FieldPath p = SPEC.child("restarts");
            CommonRules.range(r, p.child("alertAfter"), spec.restarts().alertAfter(), 1, Integer.MAX_VALUE, "at least 1");
            positiveDuration(r, p.child("window"), spec.restarts().window());
            if (!discovers) {
                r.warning(p, "restart counts come from discovered containers or pods; without discover there is nothing to count");
            }
        }
        if (spec.remediation() != null && discovers && discover.kubernetes() != null) {
            // A restart deletes a pod with Lookout's rights: only where the probe itself lives, or anyone allowed to write
            // a ComfyProbe could have pods of another namespace (kube-system) deleted.
            String own = probe.getMetadata() == null || probe.getMetadata().getNamespace() == null ? "default"
                    : probe.getMetadata().getNamespace();
            discover.kubernetes().namespaces().stream().filter(ns -> !ns.equals(own)).findFirst().ifPresent(other ->
                    r.error(SPEC.child("remediation"), "restarts pods of this ComfyProbe's own namespace (" + own + ") only, and "
                            + "discover.kubernetes.namespaces names " + other + ": put a ComfyProbe with remediation in " + other
                            + ", or leave remediation out"));
        }
        if (spec.remediation() != null) {
            FieldPath p = SPEC.child("remediation").child("restartAfter");
            if (CommonRules.required(r, p, spec.remediation().restartAfter(), "a duration such as 10m")) {
                positiveDuration(r, p, spec.remediation().restartAfter());
            }
        }
    }

    private static void validateDocker(DockerDiscovery docker, ProblemReporter r) {
        if (docker == null) {
            return;
        }
        FieldPath p = SPEC.child("discover").child("docker");
        CommonRules.hostName(r, p.child("host"), docker.host());
        CommonRules.labelSelector(r, p.child("labelSelector"), docker.labelSelector());
        CommonRules.composeProjects(r, p.child("composeProjects"), docker.composeProjects());
        CommonRules.port(r, p.child("port"), docker.port());
        if (docker.labelSelector().isEmpty() && docker.composeProjects().isEmpty()) {
            r.warning(p, "neither labelSelector nor composeProjects: every container of host " + docker.host() + " will be probed");
        }
    }

    private static void validateKubernetes(KubernetesDiscovery kubernetes, ProblemReporter r) {
        if (kubernetes == null) {
            return;
        }
        FieldPath p = SPEC.child("discover").child("kubernetes");
        if (kubernetes.labelSelector().isEmpty()) {
            r.error(p.child("labelSelector"), "required (without it every pod would be probed)");
        }
        CommonRules.labelSelector(r, p.child("labelSelector"), kubernetes.labelSelector());
        for (int i = 0; i < kubernetes.namespaces().size(); i++) {
            String ns = kubernetes.namespaces().get(i);
            if (ns.length() > 63 || !NAMESPACE.matcher(ns).matches()) {
                r.error(p.child("namespaces").index(i), "not a valid namespace (DNS-1123 label)");
            }
        }
        CommonRules.port(r, p.child("port"), kubernetes.port());
    }

    private static void validateHttp(ProbeHttp http, ProblemReporter r) {
        FieldPath p = SPEC.child("http");
        if (!URL_PATH.matcher(http.path()).matches()) {
            r.error(p.child("path"), "must be an absolute path from letters, digits and ._~!&()*+,=:@%/- (such as "
                    + ProbeHttp.DEFAULT_PATH + ")");
        }
        for (int i = 0; i < http.validStatusCodes().size(); i++) {
            Integer code = http.validStatusCodes().get(i);
            CommonRules.range(r, p.child("validStatusCodes").index(i), code, 100, 599, "an HTTP status code, 100-599");
        }
        for (int i = 0; i < http.bodyMustMatch().size(); i++) {
            FieldPath regex = p.child("bodyMustMatch").index(i);
            if (http.bodyMustMatch().get(i).isEmpty()) {
                r.error(regex, "must not be empty (an empty regex matches every body)");
            } else {
                CommonRules.re2(r, regex, http.bodyMustMatch().get(i));
                CommonRules.singleLine(r, regex, http.bodyMustMatch().get(i));
            }
        }
        CommonRules.basicAuth(r, p.child("basicAuth"), http.basicAuth());
    }

    private static void validateTiming(ComfyProbeSpec spec, ProblemReporter r) {
        Optional<Duration> interval = positiveDuration(r, SPEC.child("interval"), spec.interval());
        Optional<Duration> timeout = positiveDuration(r, SPEC.child("timeout"), spec.effectiveTimeout());
        if (interval.isPresent() && timeout.isPresent() && timeout.get().compareTo(interval.get()) > 0) {
            r.error(SPEC.child("timeout"), spec.effectiveTimeout() + " is longer than the interval " + spec.interval()
                    + " (Prometheus requires timeout <= interval)");
        }
    }

    @Override
    public List<SecretUse> secretUses(ComfyProbe probe) {
        List<SecretUse> uses = new ArrayList<>();
        var auth = probe.getSpec().http().basicAuth();
        if (auth != null) {
            SecretUse.of(SPEC.child("http").child("basicAuth").child("passwordSecretRef"), auth.passwordSecretRef()).ifPresent(uses::add);
        }
        return uses;
    }
}
