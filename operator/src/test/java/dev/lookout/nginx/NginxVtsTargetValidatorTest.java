package dev.lookout.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.load.ManifestSet;
import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of NginxVtsTarget, each shown by a fixture that is the valid {@link #BASE} with one change. The
 * files the base names (TLS material, an include, the module's source) are created next to the manifest.
 */
class NginxVtsTargetValidatorTest {
    private static final String RESOURCE = "NginxVtsTarget default/edge";

    /** Every field of the kind set to a valid value, with the Secrets it (or a variant) names. */
    static final String BASE = """
            apiVersion: lookout.dev/v1alpha1
            kind: NginxVtsTarget
            metadata:
              name: edge
            spec:
              host: local
              image:
                repository: lookout/nginx-vts
                baseImage: nginx:1.27
                vtsVersion: 0.2.4
                vtsSource: vts/nginx-module-vts-0.2.4.tar.gz
              listen:
                port: 443
                publish: "8443:443"
                tls:
                  certificateFile: tls/edge.crt
                  keyFile: tls/edge.key
              includes:
                - conf/proxy_common.conf
              status:
                path: /status
                basicAuth:
                  username: admin
                  passwordSecretRef: {name: nginx-status, key: password}
                histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
              exporter:
                mode: native
              scrape:
                interval: 15s
                labels:
                  site: edge
              alerts:
                errorRatio: {threshold: 0.05, for: 5m}
                latencyP99: {thresholdSeconds: 1, for: 10m}
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: nginx-status
            type: Opaque
            stringData:
              password: change-me
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: edge-tls
            type: kubernetes.io/tls
            stringData:
              tls.crt: certificate
              tls.key: key
            """;

    private static final String TLS_FILES = "      certificateFile: tls/edge.crt\n      keyFile: tls/edge.key\n";

    /** TLS from the kubernetes.io/tls Secret instead of files. */
    static final String TLS_SECRET = with(BASE, TLS_FILES, "      secretRef: {name: edge-tls}\n");

    @TempDir
    Path dir;

    @BeforeEach
    void writeReferencedFiles() {
        Manifests.write(dir, "tls/edge.crt", "-----BEGIN CERTIFICATE-----\n");
        Manifests.write(dir, "tls/edge.key", "-----BEGIN PRIVATE KEY-----\n");
        Manifests.write(dir, "conf/proxy_common.conf", "proxy_set_header Host $host;\n");
        Manifests.write(dir, "vts/nginx-module-vts-0.2.4.tar.gz", "not really a tarball");
    }

    static String with(String base, String... oldNewPairs) {
        return Manifests.edit(base, oldNewPairs);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("rejectsHostThatIsNoHostName", with(BASE,
                                "  host: local\n", "  host: Local  # <-\n"),
                        "spec.host", "not a host name"),

                // Image: docker references, the base pinned, the repository without tag.
                Arguments.of("rejectsUpperCaseRepository", with(BASE,
                                "    repository: lookout/nginx-vts\n", "    repository: lookout/Nginx-VTS  # <-\n"),
                        "spec.image.repository", "lower case"),
                Arguments.of("rejectsRepositoryWithTag", with(BASE,
                                "    repository: lookout/nginx-vts\n", "    repository: lookout/nginx-vts:1.0  # <-\n"),
                        "spec.image.repository", "without tag or digest"),
                Arguments.of("rejectsRepositoryThatIsNoReference", with(BASE,
                                "    repository: lookout/nginx-vts\n", "    repository: lookout/nginx vts  # <-\n"),
                        "spec.image.repository", "not a valid image reference"),
                Arguments.of("rejectsUnpinnedBaseImage", with(BASE,
                                "    baseImage: nginx:1.27\n", "    baseImage: nginx  # <-\n"),
                        "spec.image.baseImage", "needs a tag or digest other than latest"),
                Arguments.of("rejectsLatestBaseImage", with(BASE,
                                "    baseImage: nginx:1.27\n", "    baseImage: nginx:latest  # <-\n"),
                        "spec.image.baseImage", "needs a tag or digest other than latest"),
                Arguments.of("rejectsUpperCaseBaseImage", with(BASE,
                                "    baseImage: nginx:1.27\n", "    baseImage: NGINX:1.27  # <-\n"),
                        "spec.image.baseImage", "lower case"),
                Arguments.of("rejectsBaseImageWithSemicolon", with(BASE,
                                "    baseImage: nginx:1.27\n", "    baseImage: nginx:1.27;  # <-\n"),
                        "spec.image.baseImage", "not a valid image reference"),
                Arguments.of("rejectsVtsVersionThatIsFreeText", with(BASE,
                                "    vtsVersion: 0.2.4\n", "    vtsVersion: the latest one  # <-\n"),
                        "spec.image.vtsVersion", "not a version"),
                Arguments.of("rejectsVtsVersionLatest", with(BASE,
                                "    vtsVersion: 0.2.4\n", "    vtsVersion: latest  # <-\n"),
                        "spec.image.vtsVersion", "not a version"),
                Arguments.of("rejectsVtsVersionWithInjection", with(BASE,
                                "    vtsVersion: 0.2.4\n", "    vtsVersion: \"0.2.4\\nRUN curl x\"  # <-\n"),
                        "spec.image.vtsVersion", "not a version"),
                Arguments.of("rejectsVtsVersionAsNumber", with(BASE,
                                "    vtsVersion: 0.2.4\n", "    vtsVersion: 0.2  # <-\n"),
                        "spec.image.vtsVersion", "must be a string (quote it)"),
                Arguments.of("rejectsVtsSourceOutsideTheFolder", with(BASE,
                                "    vtsSource: vts/nginx-module-vts-0.2.4.tar.gz\n", "    vtsSource: ../vts.tar.gz  # <-\n"),
                        "spec.image.vtsSource", "leaves the folder"),
                Arguments.of("rejectsMissingVtsSource", with(BASE,
                                "    vtsSource: vts/nginx-module-vts-0.2.4.tar.gz\n", "    vtsSource: vts/missing.tar.gz  # <-\n"),
                        "spec.image.vtsSource", "no such file"),
                Arguments.of("rejectsCredentialsInVtsSourceUrl", with(BASE,
                                "    vtsSource: vts/nginx-module-vts-0.2.4.tar.gz\n",
                                "    vtsSource: https://user:token@github.com/vozlt/nginx-module-vts/archive/v0.2.4.tar.gz  # <-\n"),
                        "spec.image.vtsSource", "must not carry credentials"),
                Arguments.of("rejectsPrebuiltThatIsNoReference", with(BASE,
                                "    vtsVersion: 0.2.4\n", "    vtsVersion: 0.2.4\n    prebuilt: Lookout/Nginx-VTS:1.27  # <-\n"),
                        "spec.image.prebuilt", "lower case"),

                // Listen port and publish forms.
                Arguments.of("rejectsListenPortZero", with(BASE,
                                "    port: 443\n", "    port: 0  # <-\n",
                                "    publish: \"8443:443\"\n", ""),
                        "spec.listen.port", "not a port (1-65535)"),
                Arguments.of("rejectsListenPortAbove65535", with(BASE,
                                "    port: 443\n", "    port: 70000  # <-\n",
                                "    publish: \"8443:443\"\n", ""),
                        "spec.listen.port", "not a port (1-65535)"),
                Arguments.of("rejectsListenPortAsString", with(BASE,
                                "    port: 443\n", "    port: \"443\"  # <-\n"),
                        "spec.listen.port", "must be an integer"),
                Arguments.of("rejectsPublishThatIsNoPort", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: abc  # <-\n"),
                        "spec.listen.publish", "not a docker publish form"),
                Arguments.of("rejectsPublishPortAbove65535", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"70000\"  # <-\n"),
                        "spec.listen.publish", "outside 1-65535"),
                Arguments.of("rejectsPublishPortZero", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"8443:0\"  # <-\n"),
                        "spec.listen.publish", "outside 1-65535"),
                Arguments.of("rejectsPublishOfAnotherContainerPort", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"8443:80\"  # <-\n"),
                        "spec.listen.publish", "publishes container port 80 but nginx listens on 443"),
                Arguments.of("rejectsPublishOfAnotherContainerPortUnquoted", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: 8443:80  # <-\n"),
                        "spec.listen.publish", "publishes container port 80 but nginx listens on 443"),
                Arguments.of("rejectsPublishOfAnotherContainerPortOnAddress", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"127.0.0.1:8443:80\"  # <-\n"),
                        "spec.listen.publish", "publishes container port 80 but nginx listens on 443"),
                Arguments.of("rejectsPublishOfListenPortWhenListeningElsewhere", with(BASE,
                                "    port: 443\n", "    port: 8443\n",
                                "    publish: \"8443:443\"\n", "    publish: \"8443:443\"  # <-\n"),
                        "spec.listen.publish", "publishes container port 443 but nginx listens on 8443"),
                Arguments.of("rejectsPublishOnInvalidAddress", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"300.0.0.1:8443:443\"  # <-\n"),
                        "spec.listen.publish", "not an IP address"),
                Arguments.of("rejectsPublishOnShortAddress", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"1.2.3:8443:443\"  # <-\n"),
                        "spec.listen.publish", "1.2.3"),
                Arguments.of("rejectsPublishOnBracketedIpv4Address", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"[127.0.0.1]:8443:443\"  # <-\n"),
                        "spec.listen.publish", "not an IP address"),
                Arguments.of("rejectsPublishOnAddressWithLeadingZeros", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"127.000.0.1:8443:443\"  # <-\n"),
                        "spec.listen.publish", "not an IP address"),
                Arguments.of("rejectsPublishWithTooManyParts", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: \"1:2:3:4\"  # <-\n"),
                        "spec.listen.publish", "not a docker publish form"),
                Arguments.of("rejectsPublishAsNumber", with(BASE,
                                "    publish: \"8443:443\"\n", "    publish: 443  # <-\n"),
                        "spec.listen.publish", "must be a string (quote it)"),

                // TLS: both certificate and key, files inside the folder that exist, or a Secret.
                Arguments.of("rejectsTlsWithoutKey", with(BASE,
                                "    tls:\n", "    tls:  # <-\n",
                                "      keyFile: tls/edge.key\n", ""),
                        "spec.listen.tls.keyFile", "TLS needs both certificate and key"),
                Arguments.of("rejectsTlsWithoutCertificate", with(BASE,
                                "    tls:\n", "    tls:  # <-\n",
                                "      certificateFile: tls/edge.crt\n", ""),
                        "spec.listen.tls.certificateFile", "TLS needs both certificate and key"),
                Arguments.of("rejectsEmptyTls", with(BASE,
                                "    tls:\n" + TLS_FILES, "    tls: {}  # <-\n"),
                        "spec.listen.tls", "needs certificateFile and keyFile, or secretRef"),
                Arguments.of("rejectsTlsFilesAndSecretRef", with(BASE,
                                TLS_FILES, TLS_FILES + "      secretRef: {name: edge-tls}  # <-\n"),
                        "spec.listen.tls.secretRef", "not both"),
                Arguments.of("rejectsCertificateOutsideTheFolder", with(BASE,
                                "      certificateFile: tls/edge.crt\n", "      certificateFile: ../edge.crt  # <-\n"),
                        "spec.listen.tls.certificateFile", "leaves the folder"),
                Arguments.of("rejectsKeyLeavingTheFolderThroughSubfolder", with(BASE,
                                "      keyFile: tls/edge.key\n", "      keyFile: tls/../../etc/shadow  # <-\n"),
                        "spec.listen.tls.keyFile", "leaves the folder"),
                Arguments.of("rejectsAbsoluteCertificate", with(BASE,
                                "      certificateFile: tls/edge.crt\n", "      certificateFile: /etc/ssl/edge.crt  # <-\n"),
                        "spec.listen.tls.certificateFile", "not absolute"),
                Arguments.of("rejectsAbsoluteKey", with(BASE,
                                "      keyFile: tls/edge.key\n", "      keyFile: /etc/ssl/private/edge.key  # <-\n"),
                        "spec.listen.tls.keyFile", "not absolute"),
                Arguments.of("rejectsMissingCertificate", with(BASE,
                                "      certificateFile: tls/edge.crt\n", "      certificateFile: tls/other.crt  # <-\n"),
                        "spec.listen.tls.certificateFile", "no such file: tls/other.crt"),
                Arguments.of("rejectsMissingKey", with(BASE,
                                "      keyFile: tls/edge.key\n", "      keyFile: tls/other.key  # <-\n"),
                        "spec.listen.tls.keyFile", "no such file: tls/other.key"),
                Arguments.of("rejectsFolderAsKey", with(BASE,
                                "      keyFile: tls/edge.key\n", "      keyFile: tls  # <-\n"),
                        "spec.listen.tls.keyFile", "no such file"),
                Arguments.of("rejectsUnsafeCharacterInCertificatePath", with(BASE,
                                "      certificateFile: tls/edge.crt\n", "      certificateFile: tls/edge;.crt  # <-\n"),
                        "spec.listen.tls.certificateFile", "characters not allowed"),
                Arguments.of("rejectsTlsSecretRefWithoutName", with(TLS_SECRET,
                                "      secretRef: {name: edge-tls}\n", "      secretRef: {}  # <-\n"),
                        "spec.listen.tls.secretRef.name", "required"),
                Arguments.of("rejectsTlsSecretRefNamingNoSecret", with(TLS_SECRET,
                                "      secretRef: {name: edge-tls}\n", "      secretRef: {name: edge-cert}  # <-\n"),
                        "spec.listen.tls.secretRef.name", "names no Secret default/edge-cert"),
                Arguments.of("rejectsTlsSecretWithoutKey", with(TLS_SECRET,
                                "      secretRef: {name: edge-tls}\n", "      secretRef: {name: edge-tls}  # <-\n",
                                "  tls.key: key\n", ""),
                        "spec.listen.tls.secretRef.name", "has no key \"tls.key\""),
                Arguments.of("rejectsCertificateFileTypo", with(BASE,
                                "      certificateFile: tls/edge.crt\n", "      certificateFle: tls/edge.crt  # <-\n"),
                        "spec.listen.tls.certificateFle", "did you mean certificateFile"),

                // Includes: relative, inside the folder, existing.
                Arguments.of("rejectsIncludeOutsideTheFolder", with(BASE,
                                "    - conf/proxy_common.conf\n", "    - ../x.conf  # <-\n"),
                        "spec.includes[0]", "leaves the folder"),
                Arguments.of("rejectsAbsoluteInclude", with(BASE,
                                "    - conf/proxy_common.conf\n", "    - /etc/nginx/nginx.conf  # <-\n"),
                        "spec.includes[0]", "not absolute"),
                Arguments.of("rejectsIncludeInHomeFolder", with(BASE,
                                "    - conf/proxy_common.conf\n", "    - ~/nginx.conf  # <-\n"),
                        "spec.includes[0]", "not absolute"),
                Arguments.of("rejectsMissingInclude", with(BASE,
                                "    - conf/proxy_common.conf\n", "    - conf/proxy_common.conf\n    - conf/missing.conf  # <-\n"),
                        "spec.includes[1]", "no such file: conf/missing.conf"),
                Arguments.of("rejectsEmptyInclude", with(BASE,
                                "    - conf/proxy_common.conf\n", "    - \"\"  # <-\n"),
                        "spec.includes[0]", "must not be empty"),
                Arguments.of("rejectsIncludeWithNginxSyntax", with(BASE,
                                "    - conf/proxy_common.conf\n", "    - \"conf/a.conf; include /etc/passwd\"  # <-\n"),
                        "spec.includes[0]", "characters not allowed"),

                // Status page.
                Arguments.of("rejectsRelativeStatusPath", with(BASE,
                                "    path: /status\n", "    path: status  # <-\n"),
                        "spec.status.path", "must be an absolute path"),
                Arguments.of("rejectsRootStatusPath", with(BASE,
                                "    path: /status\n", "    path: /  # <-\n"),
                        "spec.status.path", "other than /"),
                Arguments.of("rejectsSpaceInStatusPath", with(BASE,
                                "    path: /status\n", "    path: /vts status  # <-\n"),
                        "spec.status.path", "must be an absolute path"),
                Arguments.of("rejectsNginxSyntaxInStatusPath", with(BASE,
                                "    path: /status\n", "    path: \"/status { allow all; }\"  # <-\n"),
                        "spec.status.path", "must be an absolute path"),
                Arguments.of("rejectsColonInStatusUsername", with(BASE,
                                "      username: admin\n", "      username: ad:min  # <-\n"),
                        "spec.status.basicAuth.username", "must not contain ':'"),
                Arguments.of("rejectsStatusBasicAuthWithoutPasswordSecretRef", with(BASE,
                                "    basicAuth:\n", "    basicAuth:  # <-\n",
                                "      passwordSecretRef: {name: nginx-status, key: password}\n", ""),
                        "spec.status.basicAuth.passwordSecretRef", "required"),
                Arguments.of("rejectsStatusSecretNamingNoSecret", with(BASE,
                                "      passwordSecretRef: {name: nginx-status, key: password}\n",
                                "      passwordSecretRef: {name: nginx-pass, key: password}  # <-\n"),
                        "spec.status.basicAuth.passwordSecretRef.name", "names no Secret default/nginx-pass"),
                Arguments.of("rejectsStatusSecretLackingTheKey", with(BASE,
                                "      passwordSecretRef: {name: nginx-status, key: password}\n",
                                "      passwordSecretRef: {name: nginx-status, key: pass}  # <-\n"),
                        "spec.status.basicAuth.passwordSecretRef.key", "has no key \"pass\""),

                // Histogram buckets: positive, strictly ascending.
                Arguments.of("rejectsZeroBucket", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [0, 0.5, 1]  # <-\n"),
                        "spec.status.histogramBuckets[0]", "not a positive number"),
                Arguments.of("rejectsNegativeBucket", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [-0.5, 1]  # <-\n"),
                        "spec.status.histogramBuckets[0]", "not a positive number"),
                Arguments.of("rejectsInfiniteBucket", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [0.5, 1, .inf]  # <-\n"),
                        "spec.status.histogramBuckets[2]", "not a positive number"),
                Arguments.of("rejectsNotANumberBucket", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [0.5, .nan]  # <-\n"),
                        "spec.status.histogramBuckets[1]", "not a positive number"),
                Arguments.of("rejectsDescendingBuckets", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [0.1, 1, 0.5]  # <-\n"),
                        "spec.status.histogramBuckets[2]", "strictly ascending"),
                Arguments.of("rejectsRepeatedBucket", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [0.5, 1, 1]  # <-\n"),
                        "spec.status.histogramBuckets[2]", "strictly ascending"),
                Arguments.of("rejectsBucketAsWord", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBuckets: [0.5, fast]  # <-\n"),
                        "spec.status.histogramBuckets[1]", "must be a number"),
                Arguments.of("rejectsBucketsTypo", with(BASE,
                                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n",
                                "    histogramBucket: [0.005, 0.01]  # <-\n"),
                        "spec.status.histogramBucket", "did you mean histogramBuckets"),

                // Exporter mode.
                Arguments.of("rejectsUnknownExporterMode", with(BASE,
                                "    mode: native\n", "    mode: prometheus  # <-\n"),
                        "spec.exporter.mode", "\"prometheus\" is not allowed"),
                Arguments.of("suggestsLowerCaseExporterMode", with(BASE,
                                "    mode: native\n", "    mode: Sidecar  # <-\n"),
                        "spec.exporter.mode", "did you mean sidecar"),

                // Scrape.
                Arguments.of("rejectsScrapeIntervalThatIsNoDuration", with(BASE,
                                "    interval: 15s\n", "    interval: 15 seconds  # <-\n"),
                        "spec.scrape.interval", "not a Prometheus duration"),
                Arguments.of("rejectsZeroScrapeInterval", with(BASE,
                                "    interval: 15s\n", "    interval: 0s  # <-\n"),
                        "spec.scrape.interval", "greater than zero"),
                Arguments.of("rejectsScrapeLabelThatIsNoLabelName", with(BASE,
                                "      site: edge\n", "      site-name: edge  # <-\n"),
                        "spec.scrape.labels.site-name", "not a Prometheus label name"),
                Arguments.of("rejectsReservedScrapeLabel", with(BASE,
                                "      site: edge\n", "      __name__: edge  # <-\n"),
                        "spec.scrape.labels.__name__", "reserved"),
                Arguments.of("rejectsJobScrapeLabel", with(BASE,
                                "      site: edge\n", "      job: edge  # <-\n"),
                        "spec.scrape.labels.job", "set by Lookout"),
                Arguments.of("rejectsBraceInScrapeLabelValue", with(BASE,
                                "      site: edge\n", "      site: \"edge}\"  # <-\n"),
                        "spec.scrape.labels.site", "could inject"),
                Arguments.of("rejectsNewlineInScrapeLabelValue", with(BASE,
                                "      site: edge\n", "      site: \"edge\\n- targets: [evil]\"  # <-\n"),
                        "spec.scrape.labels.site", "could inject"),

                // Alerts.
                Arguments.of("rejectsZeroErrorRatio", with(BASE,
                                "    errorRatio: {threshold: 0.05, for: 5m}\n", "    errorRatio: {threshold: 0, for: 5m}  # <-\n"),
                        "spec.alerts.errorRatio.threshold", "not a ratio in (0, 1]"),
                Arguments.of("rejectsErrorRatioAboveOne", with(BASE,
                                "    errorRatio: {threshold: 0.05, for: 5m}\n", "    errorRatio: {threshold: 5, for: 5m}  # <-\n"),
                        "spec.alerts.errorRatio.threshold", "not a ratio in (0, 1]"),
                Arguments.of("rejectsNegativeErrorRatio", with(BASE,
                                "    errorRatio: {threshold: 0.05, for: 5m}\n", "    errorRatio: {threshold: -0.05, for: 5m}  # <-\n"),
                        "spec.alerts.errorRatio.threshold", "not a ratio in (0, 1]"),
                Arguments.of("rejectsErrorRatioAsPercentage", with(BASE,
                                "    errorRatio: {threshold: 0.05, for: 5m}\n", "    errorRatio: {threshold: 5%, for: 5m}  # <-\n"),
                        "spec.alerts.errorRatio.threshold", "must be a number"),
                Arguments.of("rejectsErrorRatioForThatIsNoDuration", with(BASE,
                                "    errorRatio: {threshold: 0.05, for: 5m}\n", "    errorRatio: {threshold: 0.05, for: 5 min}  # <-\n"),
                        "spec.alerts.errorRatio.for", "not a Prometheus duration"),
                Arguments.of("rejectsZeroLatencyThreshold", with(BASE,
                                "    latencyP99: {thresholdSeconds: 1, for: 10m}\n",
                                "    latencyP99: {thresholdSeconds: 0, for: 10m}  # <-\n"),
                        "spec.alerts.latencyP99.thresholdSeconds", "not a positive number of seconds"),
                Arguments.of("rejectsNegativeLatencyThreshold", with(BASE,
                                "    latencyP99: {thresholdSeconds: 1, for: 10m}\n",
                                "    latencyP99: {thresholdSeconds: -1, for: 10m}  # <-\n"),
                        "spec.alerts.latencyP99.thresholdSeconds", "not a positive number of seconds"),
                Arguments.of("rejectsInfiniteLatencyThreshold", with(BASE,
                                "    latencyP99: {thresholdSeconds: 1, for: 10m}\n",
                                "    latencyP99: {thresholdSeconds: .inf, for: 10m}  # <-\n"),
                        "spec.alerts.latencyP99.thresholdSeconds", "not a positive number of seconds"),
                Arguments.of("rejectsZeroLatencyFor", with(BASE,
                                "    latencyP99: {thresholdSeconds: 1, for: 10m}\n",
                                "    latencyP99: {thresholdSeconds: 1, for: 0m}  # <-\n"),
                        "spec.alerts.latencyP99.for", "greater than zero"),

                // Structure.
                Arguments.of("rejectsUnknownSpecField", with(BASE,
                                "  includes:\n", "  include:  # <-\n"),
                        "spec.include", "did you mean includes"));
    }

    @Test
    void acceptsValidBase() {
        ManifestSet set = Manifests.assertValid(dir, BASE);
        assertThat(set.warnings()).isEmpty();
        assertThat(set.resources()).hasSize(1);
    }

    @Test
    void acceptsTlsFromSecret() {
        Manifests.assertValid(dir, TLS_SECRET);
    }

    @ParameterizedTest(name = "acceptsPublish {0}")
    @ValueSource(strings = {"443", "8443:443", "127.0.0.1:8443", "127.0.0.1:8443:443", "[::1]:8443:443", "0.0.0.0:443:443"})
    void acceptsDockerPublishForms(String publish) {
        ManifestSet set = Manifests.assertValid(dir, with(BASE, "    publish: \"8443:443\"\n", "    publish: \"" + publish + "\"\n"));
        PublishSpec.Result parsed = PublishSpec.parse(publish);
        assertThat(parsed.error()).isNull();
        assertThat(set.resources()).hasSize(1);
    }

    @Test
    void readsEachPartOfAPublishForm() {
        assertThat(PublishSpec.parse("443").spec()).contains(new PublishSpec(null, 443, null));
        assertThat(PublishSpec.parse("8443:443").spec()).contains(new PublishSpec(null, 8443, 443));
        assertThat(PublishSpec.parse("127.0.0.1:8443").spec()).contains(new PublishSpec("127.0.0.1", 8443, null));
        assertThat(PublishSpec.parse("127.0.0.1:8443:443").spec()).contains(new PublishSpec("127.0.0.1", 8443, 443));
        assertThat(PublishSpec.parse("[::1]:8443:443").spec()).contains(new PublishSpec("[::1]", 8443, 443));
    }

    @Test
    void acceptsPublishOfPort80WithoutTls() {
        Manifests.assertValid(dir, with(BASE,
                "    port: 443\n", "",
                "    publish: \"8443:443\"\n", "    publish: \"8080:80\"\n",
                "    tls:\n" + TLS_FILES, ""));
    }

    @Test
    void rejectsPublishOfPort443WithoutTlsOrPort() {
        Manifests.assertError(dir, with(BASE,
                        "    port: 443\n", "",
                        "    publish: \"8443:443\"\n", "    publish: \"8443:443\"  # <-\n",
                        "    tls:\n" + TLS_FILES, ""),
                RESOURCE, "spec.listen.publish", "publishes container port 443 but nginx listens on 80");
    }

    @Test
    void acceptsErrorRatioOfOne() {
        Manifests.assertValid(dir, with(BASE,
                "    errorRatio: {threshold: 0.05, for: 5m}\n", "    errorRatio: {threshold: 1, for: 5m}\n"));
    }

    @Test
    void acceptsPinnedBaseImageByDigest() {
        Manifests.assertValid(dir, with(BASE, "    baseImage: nginx:1.27\n",
                "    baseImage: docker.io/library/nginx@sha256:" + "0123456789abcdef".repeat(4) + "\n"));
    }

    @Test
    void acceptsVersionForms() {
        Manifests.assertValid(dir, with(BASE, "    vtsVersion: 0.2.4\n", "    vtsVersion: v0.2.4-rc.1\n"));
    }

    @Test
    void rejectsIncludeThatIsASymbolicLinkLeavingTheFolder(@TempDir Path outside) throws IOException {
        Path secret = Manifests.write(outside, "shadow", "root:x:0:0\n");
        Files.createSymbolicLink(dir.resolve("conf/shadow.conf"), secret);
        Manifests.assertError(dir, with(BASE, "    - conf/proxy_common.conf\n", "    - conf/shadow.conf  # <-\n"),
                RESOURCE, "spec.includes[0]", "symbolic link that leaves the folder");
    }

    @Test
    void suggestsTlsForTransposedTypo() {
        Manifests.assertError(dir, with(BASE, "    tls:\n", "    tsl:  # <-\n"),
                RESOURCE, "spec.listen.tsl", "did you mean tls");
    }

    @Test
    void inSidecarModeNginxMayNotListenWhereTheExporterDoes() {
        Manifests.assertError(dir, with(BASE,
                        "    mode: native\n", "    mode: sidecar\n",
                        "    port: 443\n", "    port: 9913  # <-\n",
                        "    publish: \"8443:443\"\n", "    publish: \"8443:9913\"\n"),
                RESOURCE, "spec.listen.port", "9913 is taken in sidecar mode");
    }

    @Test
    void warnsThatSidecarExportsNoLatencyHistogram() {
        String yaml = with(BASE,
                "    mode: native\n", "    mode: sidecar\n",
                "    latencyP99: {thresholdSeconds: 1, for: 10m}\n", "    latencyP99: {thresholdSeconds: 1, for: 10m}  # <-\n");
        assertOnlyWarning(yaml, "spec.alerts.latencyP99", "sidecar");
    }

    @Test
    void warnsThatLatencyAlertNeedsHistogramBuckets() {
        String yaml = with(BASE,
                "    histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]\n", "",
                "    latencyP99: {thresholdSeconds: 1, for: 10m}\n", "    latencyP99: {thresholdSeconds: 1, for: 10m}  # <-\n");
        assertOnlyWarning(yaml, "spec.alerts.latencyP99", "without status.histogramBuckets");
    }

    @Test
    void warnsThatStatusPageWithoutBasicAuthIsOpen() {
        String yaml = with(BASE,
                "  status:\n", "  status:  # <-\n",
                "    basicAuth:\n      username: admin\n      passwordSecretRef: {name: nginx-status, key: password}\n", "");
        assertOnlyWarning(yaml, "spec.status.basicAuth", "without authentication");
    }

    @Test
    void warnsThatUnpinnedPrebuiltImageIsNotReproducible() {
        String yaml = with(BASE, "    vtsVersion: 0.2.4\n", "    vtsVersion: 0.2.4\n    prebuilt: registry.example.com/nginx-vts  # <-\n");
        assertOnlyWarning(yaml, "spec.image.prebuilt", "not pinned");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String scenario, String yaml, String field, String fragment) {
        Manifests.assertError(dir, yaml, RESOURCE, field, fragment);
    }

    private void assertOnlyWarning(String yaml, String field, String fragment) {
        ManifestSet set = Manifests.load(dir, yaml);
        assertThat(set.errors()).as("errors").isEmpty();
        int line = Manifests.markedLine(yaml);
        assertThat(set.warnings()).as("warnings").anySatisfy(w -> {
            assertThat(w.field()).isEqualTo(field);
            assertThat(w.message()).contains(fragment);
            assertThat(w.line()).isEqualTo(line);
            assertThat(w.toString()).startsWith(dir.resolve("resources.yaml") + ":" + line + ": warning: " + RESOURCE + ": " + field + ": ");
        });
    }
}
