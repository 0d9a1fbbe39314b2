package dev.lookout.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.load.ManifestSet;
import dev.lookout.testing.Manifests;
import dev.lookout.validation.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of ComfyProbe, each shown by a fixture that is the valid {@link #BASE} with one change. The
 * line a problem must be reported on carries a trailing {@code # <-}.
 */
class ComfyProbeValidatorTest {
    private static final String RESOURCE = "ComfyProbe default/p";

    /** Every field of the kind set to a valid value, with the Secret its basicAuth names. */
    static final String BASE = """
            apiVersion: lookout.dev/v1alpha1
            kind: ComfyProbe
            metadata:
              name: p
            spec:
              targets:
                - url: http://comfy-1:8188/
                  labels:
                    gpu: a100
              discover:
                docker:
                  host: local
                  labelSelector:
                    com.docker.compose.service: comfyui
                  composeProjects: [flux-20002, hidream-20000]
                  port: 8188
                  scheme: https
              http:
                path: /object_info/CheckpointLoaderSimple
                method: GET
                validStatusCodes: [200, 204]
                followRedirects: true
                bodyMustMatch: ["CheckpointLoaderSimple"]
                basicAuth:
                  username: admin
                  passwordSecretRef: {name: comfy-pass, key: password}
                tls:
                  insecureSkipVerify: true
              interval: 30s
              timeout: 15s
              alert:
                for: 2m
                severity: critical
              restarts:
                alertAfter: 3
                window: 15m
              remediation:
                restartAfter: 10m
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: comfy-pass
            type: Opaque
            stringData:
              password: change-me
            """;

    /** Discovery through Kubernetes instead of Docker. */
    static final String KUBERNETES = with(BASE, """
              discover:
                docker:
                  host: local
                  labelSelector:
                    com.docker.compose.service: comfyui
                  composeProjects: [flux-20002, hidream-20000]
                  port: 8188
                  scheme: https
            """, """
              discover:
                kubernetes:
                  labelSelector: {app: comfyui}
                  namespaces: [default]
                  port: 8188
                  scheme: http
            """);

    @TempDir
    Path dir;

    static String with(String base, String... oldNewPairs) {
        return Manifests.edit(base, oldNewPairs);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // A ComfyProbe needs something to probe.
                Arguments.of("rejectsProbeWithoutTargetsOrDiscover", with(BASE,
                                "spec:\n", "spec:  # <-\n",
                                "  targets:\n    - url: http://comfy-1:8188/\n      labels:\n        gpu: a100\n", "",
                                """
                                  discover:
                                    docker:
                                      host: local
                                      labelSelector:
                                        com.docker.compose.service: comfyui
                                      composeProjects: [flux-20002, hidream-20000]
                                      port: 8188
                                      scheme: https
                                """, "",
                                "  restarts:\n    alertAfter: 3\n    window: 15m\n", ""),
                        "spec.targets", "needs targets or discover"),
                Arguments.of("rejectsEmptyTargetsAndEmptyDiscover", with(BASE,
                                "  targets:\n    - url: http://comfy-1:8188/\n      labels:\n        gpu: a100\n",
                                "  targets: []  # <-\n",
                                """
                                  discover:
                                    docker:
                                      host: local
                                      labelSelector:
                                        com.docker.compose.service: comfyui
                                      composeProjects: [flux-20002, hidream-20000]
                                      port: 8188
                                      scheme: https
                                """, "  discover: {}\n"),
                        "spec.targets", "needs targets or discover"),

                // Target URLs: absolute http(s), a host, no credentials, nothing that injects.
                Arguments.of("rejectsTargetWithoutUrl", with(BASE,
                                "    - url: http://comfy-1:8188/\n      labels:\n", "    - labels:  # <-\n"),
                        "spec.targets[0].url", "required"),
                Arguments.of("rejectsFtpTargetUrl", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: ftp://comfy-1:8188/  # <-\n"),
                        "spec.targets[0].url", "must be an absolute http:// or https:// URL"),
                Arguments.of("rejectsTargetUrlWithoutScheme", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: comfy-1:8188  # <-\n"),
                        "spec.targets[0].url", "must be an absolute http:// or https:// URL"),
                Arguments.of("rejectsRelativeTargetUrl", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: /object_info  # <-\n"),
                        "spec.targets[0].url", "must be an absolute http:// or https:// URL"),
                Arguments.of("rejectsTargetUrlWithoutHost", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: http:///object_info  # <-\n"),
                        "spec.targets[0].url", "has no valid host"),
                Arguments.of("rejectsTargetUrlThatIsNoUrl", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: http://comfy-1:8188/a b  # <-\n"),
                        "spec.targets[0].url", "not a valid URL"),
                Arguments.of("rejectsCredentialsInTargetUrl", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: http://admin:secret@comfy-1:8188/  # <-\n"),
                        "spec.targets[0].url", "must not carry credentials"),
                Arguments.of("rejectsSemicolonInTargetUrl", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: http://comfy-1:8188/a;b  # <-\n"),
                        "spec.targets[0].url", "could inject"),
                Arguments.of("rejectsTargetUrlOfWrongType", with(BASE,
                                "    - url: http://comfy-1:8188/\n", "    - url: 8188  # <-\n"),
                        "spec.targets[0].url", "must be a string"),

                // Target labels: Prometheus label names, not reserved, values that cannot inject.
                Arguments.of("rejectsLabelNameStartingWithDigit", with(BASE,
                                "        gpu: a100\n", "        1gpu: a100  # <-\n"),
                        "spec.targets[0].labels[\"1gpu\"]", "not a Prometheus label name"),
                Arguments.of("rejectsLabelNameWithDash", with(BASE,
                                "        gpu: a100\n", "        gpu-model: a100  # <-\n"),
                        "spec.targets[0].labels.gpu-model", "not a Prometheus label name"),
                Arguments.of("rejectsReservedLabelName", with(BASE,
                                "        gpu: a100\n", "        __address__: a100  # <-\n"),
                        "spec.targets[0].labels.__address__", "reserved"),
                Arguments.of("rejectsJobLabel", with(BASE,
                                "        gpu: a100\n", "        job: comfy  # <-\n"),
                        "spec.targets[0].labels.job", "set by Lookout"),
                Arguments.of("rejectsInstanceLabel", with(BASE,
                                "        gpu: a100\n", "        instance: comfy-1  # <-\n"),
                        "spec.targets[0].labels.instance", "set by Lookout"),
                Arguments.of("rejectsQuoteInLabelValue", with(BASE,
                                "        gpu: a100\n", "        gpu: 'a\"100'  # <-\n"),
                        "spec.targets[0].labels.gpu", "could inject"),
                Arguments.of("rejectsNewlineInLabelValue", with(BASE,
                                "        gpu: a100\n", "        gpu: \"a100\\nx: y\"  # <-\n"),
                        "spec.targets[0].labels.gpu", "could inject"),
                Arguments.of("rejectsBraceInLabelValue", with(BASE,
                                "        gpu: a100\n", "        gpu: \"{a100}\"  # <-\n"),
                        "spec.targets[0].labels.gpu", "could inject"),
                Arguments.of("rejectsSemicolonInLabelValue", with(BASE,
                                "        gpu: a100\n", "        gpu: a100;  # <-\n"),
                        "spec.targets[0].labels.gpu", "could inject"),
                Arguments.of("rejectsNumberAsLabelValue", with(BASE,
                                "        gpu: a100\n", "        gpu: 100  # <-\n"),
                        "spec.targets[0].labels.gpu", "must be a string (quote it)"),

                // Docker discovery.
                Arguments.of("rejectsDockerHostThatIsNoHostName", with(BASE,
                                "      host: local\n", "      host: Local_Host  # <-\n"),
                        "spec.discover.docker.host", "not a host name"),
                Arguments.of("rejectsDockerPortZero", with(BASE,
                                "      port: 8188\n", "      port: 0  # <-\n"),
                        "spec.discover.docker.port", "not a port (1-65535)"),
                Arguments.of("rejectsDockerPortAbove65535", with(BASE,
                                "      port: 8188\n", "      port: 70000  # <-\n"),
                        "spec.discover.docker.port", "not a port (1-65535)"),
                Arguments.of("rejectsDockerPortAsString", with(BASE,
                                "      port: 8188\n", "      port: \"8188\"  # <-\n"),
                        "spec.discover.docker.port", "must be an integer"),
                Arguments.of("rejectsDockerPortAsFraction", with(BASE,
                                "      port: 8188\n", "      port: 8188.5  # <-\n"),
                        "spec.discover.docker.port", "must be an integer"),
                Arguments.of("rejectsUnknownScheme", with(BASE,
                                "      scheme: https\n", "      scheme: ftp  # <-\n"),
                        "spec.discover.docker.scheme", "\"ftp\" is not allowed"),
                Arguments.of("suggestsLowerCaseScheme", with(BASE,
                                "      scheme: https\n", "      scheme: HTTPS  # <-\n"),
                        "spec.discover.docker.scheme", "did you mean https"),
                Arguments.of("rejectsUpperCaseComposeProject", with(BASE,
                                "      composeProjects: [flux-20002, hidream-20000]\n",
                                "      composeProjects: [flux-20002, HiDream-20000]  # <-\n"),
                        "spec.discover.docker.composeProjects[1]", "not a compose project name"),
                Arguments.of("rejectsComposeProjectStartingWithDash", with(BASE,
                                "      composeProjects: [flux-20002, hidream-20000]\n",
                                "      composeProjects: [-flux]  # <-\n"),
                        "spec.discover.docker.composeProjects[0]", "not a compose project name"),
                Arguments.of("rejectsComposeProjectWithDot", with(BASE,
                                "      composeProjects: [flux-20002, hidream-20000]\n",
                                "      composeProjects: [flux.2]  # <-\n"),
                        "spec.discover.docker.composeProjects[0]", "not a compose project name"),
                Arguments.of("rejectsComposeProjectsThatAreNoList", with(BASE,
                                "      composeProjects: [flux-20002, hidream-20000]\n",
                                "      composeProjects: flux-20002  # <-\n"),
                        "spec.discover.docker.composeProjects", "must be a list"),
                Arguments.of("rejectsSemicolonInLabelSelector", with(BASE,
                                "        com.docker.compose.service: comfyui\n",
                                "        com.docker.compose.service: comfyui;  # <-\n"),
                        "spec.discover.docker.labelSelector[\"com.docker.compose.service\"]", "could inject"),

                // Kubernetes discovery.
                Arguments.of("rejectsKubernetesDiscoveryWithoutLabelSelector", with(KUBERNETES,
                                "    kubernetes:\n      labelSelector: {app: comfyui}\n", "    kubernetes:  # <-\n"),
                        "spec.discover.kubernetes.labelSelector", "required"),
                Arguments.of("rejectsNamespaceThatIsNoDns1123Label", with(KUBERNETES,
                                "      namespaces: [default]\n", "      namespaces: [default, Team_A]  # <-\n"),
                        "spec.discover.kubernetes.namespaces[1]", "not a valid namespace"),
                Arguments.of("rejectsKubernetesPortAbove65535", with(KUBERNETES,
                                "      port: 8188\n", "      port: 65536  # <-\n"),
                        "spec.discover.kubernetes.port", "not a port (1-65535)"),

                // http: the blackbox module.
                Arguments.of("rejectsRelativeHttpPath", with(BASE,
                                "    path: /object_info/CheckpointLoaderSimple\n",
                                "    path: object_info/CheckpointLoaderSimple  # <-\n"),
                        "spec.http.path", "must be an absolute path"),
                Arguments.of("rejectsSpaceInHttpPath", with(BASE,
                                "    path: /object_info/CheckpointLoaderSimple\n", "    path: /object info  # <-\n"),
                        "spec.http.path", "must be an absolute path"),
                Arguments.of("rejectsQuoteInHttpPath", with(BASE,
                                "    path: /object_info/CheckpointLoaderSimple\n", "    path: '/object_info\"'  # <-\n"),
                        "spec.http.path", "must be an absolute path"),
                Arguments.of("rejectsSemicolonInHttpPath", with(BASE,
                                "    path: /object_info/CheckpointLoaderSimple\n", "    path: /object_info;  # <-\n"),
                        "spec.http.path", "must be an absolute path"),
                Arguments.of("rejectsEmptyHttpPath", with(BASE,
                                "    path: /object_info/CheckpointLoaderSimple\n", "    path: \"\"  # <-\n"),
                        "spec.http.path", "must be an absolute path"),
                Arguments.of("rejectsUnknownHttpMethod", with(BASE,
                                "    method: GET\n", "    method: FETCH  # <-\n"),
                        "spec.http.method", "\"FETCH\" is not allowed"),
                Arguments.of("suggestsUpperCaseHttpMethod", with(BASE,
                                "    method: GET\n", "    method: get  # <-\n"),
                        "spec.http.method", "did you mean GET"),
                Arguments.of("rejectsStatusCodeBelow100", with(BASE,
                                "    validStatusCodes: [200, 204]\n", "    validStatusCodes: [200, 99]  # <-\n"),
                        "spec.http.validStatusCodes[1]", "100-599"),
                Arguments.of("rejectsStatusCodeAbove599", with(BASE,
                                "    validStatusCodes: [200, 204]\n", "    validStatusCodes: [600]  # <-\n"),
                        "spec.http.validStatusCodes[0]", "100-599"),
                Arguments.of("rejectsStatusCodeAsString", with(BASE,
                                "    validStatusCodes: [200, 204]\n", "    validStatusCodes: [\"200\"]  # <-\n"),
                        "spec.http.validStatusCodes[0]", "must be an integer"),
                Arguments.of("rejectsFollowRedirectsAsString", with(BASE,
                                "    followRedirects: true\n", "    followRedirects: \"true\"  # <-\n"),
                        "spec.http.followRedirects", "must be true or false"),
                Arguments.of("rejectsBackReferenceInBodyRegex", with(BASE,
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                                "    bodyMustMatch: ['(a)\\1']  # <-\n"),
                        "spec.http.bodyMustMatch[0]", "not an RE2 regex"),
                Arguments.of("rejectsLookAheadInBodyRegex", with(BASE,
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                                "    bodyMustMatch: [\"Checkpoint(?=Loader)\"]  # <-\n"),
                        "spec.http.bodyMustMatch[0]", "not an RE2 regex"),
                Arguments.of("rejectsUnbalancedBodyRegex", with(BASE,
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                                "    bodyMustMatch: [\"Checkpoint(Loader\"]  # <-\n"),
                        "spec.http.bodyMustMatch[0]", "not an RE2 regex"),
                Arguments.of("rejectsEmptyBodyRegex", with(BASE,
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\", \"\"]  # <-\n"),
                        "spec.http.bodyMustMatch[1]", "must not be empty"),
                Arguments.of("rejectsNewlineInBodyRegex", with(BASE,
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                                "    bodyMustMatch: [\"Checkpoint\\nLoader\"]  # <-\n"),
                        "spec.http.bodyMustMatch[0]", "could inject"),
                Arguments.of("rejectsBodyRegexTypo", with(BASE,
                                "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                                "    bodyMustMach: [\"CheckpointLoaderSimple\"]  # <-\n"),
                        "spec.http.bodyMustMach", "did you mean bodyMustMatch"),
                Arguments.of("rejectsUnknownTlsField", with(BASE,
                                "      insecureSkipVerify: true\n", "      insecureSkipVerfy: true  # <-\n"),
                        "spec.http.tls.insecureSkipVerfy", "did you mean insecureSkipVerify"),

                // Basic auth and its Secret.
                Arguments.of("rejectsBasicAuthWithoutUsername", with(BASE,
                                "    basicAuth:\n      username: admin\n", "    basicAuth:  # <-\n"),
                        "spec.http.basicAuth.username", "required"),
                Arguments.of("rejectsColonInUsername", with(BASE,
                                "      username: admin\n", "      username: ad:min  # <-\n"),
                        "spec.http.basicAuth.username", "must not contain ':'"),
                Arguments.of("rejectsWhitespaceInUsername", with(BASE,
                                "      username: admin\n", "      username: ad min  # <-\n"),
                        "spec.http.basicAuth.username", "whitespace"),
                Arguments.of("rejectsBasicAuthWithoutPasswordSecretRef", with(BASE,
                                "    basicAuth:\n", "    basicAuth:  # <-\n",
                                "      passwordSecretRef: {name: comfy-pass, key: password}\n", ""),
                        "spec.http.basicAuth.passwordSecretRef", "required"),
                Arguments.of("rejectsPasswordSecretRefWithoutKey", with(BASE,
                                "      passwordSecretRef: {name: comfy-pass, key: password}\n",
                                "      passwordSecretRef: {name: comfy-pass}  # <-\n"),
                        "spec.http.basicAuth.passwordSecretRef.key", "required"),
                Arguments.of("rejectsPasswordSecretRefWithoutName", with(BASE,
                                "      passwordSecretRef: {name: comfy-pass, key: password}\n",
                                "      passwordSecretRef: {key: password}  # <-\n"),
                        "spec.http.basicAuth.passwordSecretRef.name", "required"),
                Arguments.of("rejectsPasswordInlineInBasicAuth", with(BASE,
                                "      username: admin\n", "      username: admin\n      password: hunter2  # <-\n"),
                        "spec.http.basicAuth.password", "unknown field"),
                Arguments.of("rejectsSecretReferenceNamingNoSecret", with(BASE,
                                "      passwordSecretRef: {name: comfy-pass, key: password}\n",
                                "      passwordSecretRef: {name: comfy-password, key: password}  # <-\n"),
                        "spec.http.basicAuth.passwordSecretRef.name", "names no Secret default/comfy-password"),
                Arguments.of("rejectsSecretReferenceToSecretInOtherNamespace", with(BASE,
                                "  name: comfy-pass\n", "  name: comfy-pass\n  namespace: other\n",
                                "      passwordSecretRef: {name: comfy-pass, key: password}\n",
                                "      passwordSecretRef: {name: comfy-pass, key: password}  # <-\n"),
                        "spec.http.basicAuth.passwordSecretRef.name", "names no Secret default/comfy-pass"),
                Arguments.of("rejectsSecretLackingTheKey", with(BASE,
                                "      passwordSecretRef: {name: comfy-pass, key: password}\n",
                                "      passwordSecretRef: {name: comfy-pass, key: passwd}  # <-\n"),
                        "spec.http.basicAuth.passwordSecretRef.key", "has no key \"passwd\""),

                // Durations: Prometheus syntax, greater than zero; timeout at most the interval.
                Arguments.of("rejectsIntervalWithUnitSpelledOut", with(BASE,
                                "  interval: 30s\n", "  interval: 30sec  # <-\n"),
                        "spec.interval", "not a Prometheus duration"),
                Arguments.of("rejectsIntervalWithUnitsOutOfOrder", with(BASE,
                                "  interval: 30s\n", "  interval: 30s1m  # <-\n"),
                        "spec.interval", "not a Prometheus duration"),
                Arguments.of("rejectsEmptyInterval", with(BASE,
                                "  interval: 30s\n", "  interval: \"\"  # <-\n"),
                        "spec.interval", "not a Prometheus duration"),
                Arguments.of("rejectsZeroInterval", with(BASE,
                                "  interval: 30s\n", "  interval: 0s  # <-\n"),
                        "spec.interval", "greater than zero"),
                Arguments.of("rejectsIntervalAsNumber", with(BASE,
                                "  interval: 30s\n", "  interval: 30  # <-\n"),
                        "spec.interval", "must be a string (quote it)"),
                Arguments.of("rejectsTimeoutThatIsNoDuration", with(BASE,
                                "  timeout: 15s\n", "  timeout: 15 s  # <-\n"),
                        "spec.timeout", "not a Prometheus duration"),
                Arguments.of("rejectsZeroTimeout", with(BASE,
                                "  timeout: 15s\n", "  timeout: 0ms  # <-\n"),
                        "spec.timeout", "greater than zero"),
                Arguments.of("rejectsTimeoutLongerThanInterval", with(BASE,
                                "  timeout: 15s\n", "  timeout: 31s  # <-\n"),
                        "spec.timeout", "longer than the interval 30s"),
                Arguments.of("rejectsAlertForThatIsNoDuration", with(BASE,
                                "    for: 2m\n", "    for: 2 minutes  # <-\n"),
                        "spec.alert.for", "not a Prometheus duration"),
                Arguments.of("rejectsZeroAlertFor", with(BASE,
                                "    for: 2m\n", "    for: 0m  # <-\n"),
                        "spec.alert.for", "greater than zero"),
                Arguments.of("rejectsRestartWindowThatIsNoDuration", with(BASE,
                                "    window: 15m\n", "    window: 15min  # <-\n"),
                        "spec.restarts.window", "not a Prometheus duration"),
                Arguments.of("rejectsZeroRestartWindow", with(BASE,
                                "    window: 15m\n", "    window: 0s  # <-\n"),
                        "spec.restarts.window", "greater than zero"),
                Arguments.of("rejectsRestartAfterThatIsNoDuration", with(BASE,
                                "    restartAfter: 10m\n", "    restartAfter: -10m  # <-\n"),
                        "spec.remediation.restartAfter", "not a Prometheus duration"),
                Arguments.of("rejectsZeroRestartAfter", with(BASE,
                                "    restartAfter: 10m\n", "    restartAfter: 0h  # <-\n"),
                        "spec.remediation.restartAfter", "greater than zero"),
                Arguments.of("rejectsRemediationWithoutRestartAfter", with(BASE,
                                "  remediation:\n    restartAfter: 10m\n", "  remediation: {}  # <-\n"),
                        "spec.remediation.restartAfter", "required"),

                // Restarts alert.
                Arguments.of("rejectsZeroRestartAlertAfter", with(BASE,
                                "    alertAfter: 3\n", "    alertAfter: 0  # <-\n"),
                        "spec.restarts.alertAfter", "at least 1"),
                Arguments.of("rejectsRestartAlertAfterAsWord", with(BASE,
                                "    alertAfter: 3\n", "    alertAfter: three  # <-\n"),
                        "spec.restarts.alertAfter", "must be an integer"),

                // Severity ends up in the rule file: nothing that injects YAML.
                Arguments.of("rejectsNewlineInSeverity", with(BASE,
                                "    severity: critical\n", "    severity: \"critical\\nrunbook: x\"  # <-\n"),
                        "spec.alert.severity", "could inject"),
                Arguments.of("rejectsQuoteInSeverity", with(BASE,
                                "    severity: critical\n", "    severity: 'crit\"ical'  # <-\n"),
                        "spec.alert.severity", "could inject"),
                Arguments.of("rejectsBraceInSeverity", with(BASE,
                                "    severity: critical\n", "    severity: \"{critical}\"  # <-\n"),
                        "spec.alert.severity", "could inject"),
                Arguments.of("rejectsSemicolonInSeverity", with(BASE,
                                "    severity: critical\n", "    severity: critical;  # <-\n"),
                        "spec.alert.severity", "could inject"),
                Arguments.of("rejectsEmptySeverity", with(BASE,
                                "    severity: critical\n", "    severity: \" \"  # <-\n"),
                        "spec.alert.severity", "must not be empty"),

                // Structure.
                Arguments.of("rejectsUnknownSpecField", with(BASE,
                                "  interval: 30s\n", "  interval: 30s\n  intervall: 1m  # <-\n"),
                        "spec.intervall", "did you mean interval"),
                Arguments.of("rejectsTargetsThatAreNoList", with(BASE,
                                "  targets:\n    - url: http://comfy-1:8188/\n      labels:\n        gpu: a100\n",
                                "  targets: {url: http://comfy-1:8188/}  # <-\n"),
                        "spec.targets", "must be a list"));
    }

    /** Identity rules that apply to every kind, shown on this one. */
    static Stream<Arguments> invalidMetadata() {
        return Stream.of(
                Arguments.of("rejectsNameThatIsNoDns1123Subdomain", with(BASE,
                                "  name: p\n", "  name: Comfy_Probe  # <-\n"),
                        "ComfyProbe default/Comfy_Probe", "metadata.name", "not a valid name"),
                Arguments.of("rejectsNamespaceThatIsNoDns1123LabelInMetadata", with(BASE,
                                "  name: p\n", "  name: p\n  namespace: Team.A  # <-\n"),
                        "ComfyProbe Team.A/p", "metadata.namespace", "not a valid namespace"));
    }

    @Test
    void acceptsValidBase() {
        ManifestSet set = Manifests.assertValid(dir, BASE);
        assertThat(set.warnings()).isEmpty();
        assertThat(set.resources()).hasSize(1);
    }

    @Test
    void acceptsKubernetesDiscovery() {
        ManifestSet set = Manifests.assertValid(dir, KUBERNETES);
        // restarts are counted on pods too (containerStatuses[].restartCount): no warning.
        assertThat(set.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String scenario, String yaml, String field, String fragment) {
        Manifests.assertError(dir, yaml, RESOURCE, field, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMetadata")
    void rejectsMetadata(String scenario, String yaml, String resource, String field, String fragment) {
        Manifests.assertError(dir, yaml, resource, field, fragment);
    }

    @Test
    void rejectsLookBehindInBodyRegex() {
        String yaml = with(BASE, "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                "    bodyMustMatch: [\"CheckpointLoaderSimple\", \"(?<=Checkpoint)LoaderSimple\"]  # <-\n");
        // java.util.regex would accept it; blackbox-exporter (Go RE2) would not.
        java.util.regex.Pattern.compile("(?<=Checkpoint)LoaderSimple");
        Problem problem = Manifests.assertError(dir, yaml, RESOURCE, "spec.http.bodyMustMatch[1]", "not an RE2 regex");
        assertThat(problem.message()).contains("RE2").contains("look-behind");
    }

    @Test
    void acceptsRe2Regexes() {
        Manifests.assertValid(dir, with(BASE, "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                "    bodyMustMatch: [\"(?i)checkpoint(loader)?simple\", \"Checkpoint.+Simple\", \"[A-Z][a-z]+\"]\n"));
    }

    @Test
    void acceptsRegexesWithAnchorsEscapesBracesAndQuotes() {
        // Rendered through a YAML emitter, so regex syntax is never an injection; only line breaks are refused.
        Manifests.assertValid(dir, with(BASE, "    bodyMustMatch: [\"CheckpointLoaderSimple\"]\n",
                "    bodyMustMatch: ['^ok$', '\\d{3}', '\"status\":\\s*\"ok\"', 'a;b']\n"));
    }

    @Test
    void timeoutDefaultsToIntervalWhenShorter() {
        ManifestSet set = Manifests.assertValid(dir, with(BASE, "  interval: 30s\n  timeout: 15s\n", "  interval: 5s\n"));
        ComfyProbe probe = (ComfyProbe) set.resources().get(0).resource();
        assertThat(probe.getSpec().effectiveTimeout()).isEqualTo("5s");
    }

    @Test
    void timeoutDefaultsTo15sWhenIntervalIsLonger() {
        ManifestSet set = Manifests.assertValid(dir, with(BASE, "  interval: 30s\n  timeout: 15s\n", "  interval: 1m\n"));
        ComfyProbe probe = (ComfyProbe) set.resources().get(0).resource();
        assertThat(probe.getSpec().effectiveTimeout()).isEqualTo("15s");
    }

    @Test
    void reportsZeroIntervalOnlyOnInterval() {
        String yaml = with(BASE, "  interval: 30s\n  timeout: 15s\n", "  interval: 0s  # <-\n");
        Manifests.assertError(dir, yaml, RESOURCE, "spec.interval", "greater than zero");
        // The timeout was not written: its default must not inherit the invalid interval and be reported too.
        assertThat(Manifests.load(dir, yaml).errors()).extracting(Problem::field).containsExactly("spec.interval");
    }

    @Test
    void acceptsTimeoutEqualToInterval() {
        Manifests.assertValid(dir, with(BASE, "  timeout: 15s\n", "  timeout: 30s\n"));
    }

    @Test
    void acceptsCompoundDurations() {
        Manifests.assertValid(dir, with(BASE,
                "  interval: 30s\n", "  interval: 1m30s\n",
                "    for: 2m\n", "    for: 1h30m\n",
                "    restartAfter: 10m\n", "    restartAfter: 1500ms\n"));
    }

    @Test
    void acceptsStatusCodeBounds() {
        Manifests.assertValid(dir, with(BASE, "    validStatusCodes: [200, 204]\n", "    validStatusCodes: [100, 599]\n"));
    }

    @Test
    void warnsThatLoopbackTargetUrlIsPrometheusItself() {
        String yaml = with(BASE, "    - url: http://comfy-1:8188/\n", "    - url: http://localhost:8188/  # <-\n");
        assertOnlyWarning(yaml, "spec.targets[0].url", "loopback");
    }

    @Test
    void warnsThatIpv6LoopbackTargetUrlIsPrometheusItself() {
        String yaml = with(BASE, "    - url: http://comfy-1:8188/\n", "    - url: http://[::1]:8188/  # <-\n");
        assertOnlyWarning(yaml, "spec.targets[0].url", "loopback");
    }

    @Test
    void warnsThatRestartsNeedDiscovery() {
        String yaml = with(BASE,
                """
                  discover:
                    docker:
                      host: local
                      labelSelector:
                        com.docker.compose.service: comfyui
                      composeProjects: [flux-20002, hidream-20000]
                      port: 8188
                      scheme: https
                """, "",
                "  restarts:\n", "  restarts:  # <-\n");
        assertOnlyWarning(yaml, "spec.restarts", "without discover there is nothing to count");
    }

    @Test
    void remediationRestartsPodsOfItsOwnNamespaceOnly() {
        String yaml = with(KUBERNETES, "      namespaces: [default]\n", "      namespaces: [comfy, default]\n",
                "  remediation:\n", "  remediation:  # <-\n");
        Manifests.assertError(dir, yaml, "ComfyProbe default/p", "spec.remediation", "own namespace (default) only");
    }

    @Test
    void refusesDiscoveryOnBothPlatformsAtOnce() {
        String yaml = with(BASE, "  discover:\n", "  discover:  # <-\n    kubernetes: {labelSelector: {app: comfyui}}\n");
        Manifests.assertError(dir, yaml, RESOURCE, "spec.discover", "both set");
    }

    @Test
    void warnsThatDockerDiscoveryWithoutSelectorProbesEveryContainer() {
        String yaml = with(BASE,
                "    docker:\n", "    docker:  # <-\n",
                "      labelSelector:\n        com.docker.compose.service: comfyui\n", "",
                "      composeProjects: [flux-20002, hidream-20000]\n", "");
        assertOnlyWarning(yaml, "spec.discover.docker", "every container of host local");
    }

    @Test
    void reportsEveryProblemOfOneResource() {
        String yaml = with(BASE,
                "    - url: http://comfy-1:8188/\n", "    - url: ftp://comfy-1:8188/\n",
                "      port: 8188\n", "      port: 0\n",
                "    severity: critical\n", "    severity: critical;\n");
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).extracting(Problem::field)
                .contains("spec.targets[0].url", "spec.discover.docker.port", "spec.alert.severity");
        assertThat(set.rejected()).isEqualTo(1);
    }

    @Test
    void rejectsTargetUrlPortAbove65535() {
        Manifests.assertError(dir, with(BASE, "    - url: http://comfy-1:8188/\n", "    - url: http://comfy-1:81880/  # <-\n"),
                RESOURCE, "spec.targets[0].url", "1-65535");
    }

    @Test
    void acceptsUnderscoreInTargetHost() {
        Manifests.assertValid(dir, with(BASE, "    - url: http://comfy-1:8188/\n", "    - url: http://flux_comfy_1:8188/\n"));
    }

    private void assertOnlyWarning(String yaml, String field, String fragment) {
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).as("errors").isEmpty();
        int line = Manifests.markedLine(yaml);
        List<Problem> warnings = set.warnings();
        assertThat(warnings).as("warnings").anySatisfy(w -> {
            assertThat(w.field()).isEqualTo(field);
            assertThat(w.message()).contains(fragment);
            assertThat(w.line()).isEqualTo(line);
            assertThat(w.toString()).startsWith(dir.resolve("resources.yaml") + ":" + line + ": warning: " + RESOURCE + ": " + field + ": ");
        });
    }
}
