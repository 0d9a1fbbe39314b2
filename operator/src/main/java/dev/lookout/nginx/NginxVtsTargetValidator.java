package dev.lookout.nginx;

import static dev.lookout.validation.CommonRules.positiveDuration;

import dev.lookout.api.Patterns;
import dev.lookout.api.SecretKeyRef;
import dev.lookout.validation.CommonRules;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ImageReference;
import dev.lookout.validation.KindValidator;
import dev.lookout.validation.LocalFileRules;
import dev.lookout.validation.ProblemReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

public final class NginxVtsTargetValidator implements KindValidator<NginxVtsTarget> {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Pattern VERSION = Pattern.compile(Patterns.VERSION);
    private static final Pattern URL_PATH = Pattern.compile(Patterns.URL_PATH);

    @Override
    public void validate(NginxVtsTarget target, ProblemReporter r) {
        NginxVtsTargetSpec spec = target.getSpec();
        CommonRules.hostName(r, SPEC.child("host"), spec.host());
        validateImage(spec.image(), r);
        validateListen(spec.listen(), r);
        if (spec.exporter().mode() == ExporterMode.SIDECAR && (spec.listen().effectivePort() == NginxConf.LOOPBACK_STATUS_PORT
                || spec.listen().effectivePort() == NginxVtsOutputs.SIDECAR_PORT)) {
            r.error(SPEC.child("listen").child("port"), spec.listen().effectivePort() + " is taken in sidecar mode (nginx-vts-exporter"
                    + " listens on " + NginxVtsOutputs.SIDECAR_PORT + " and reads nginx's status on 127.0.0.1:"
                    + NginxConf.LOOPBACK_STATUS_PORT + "); choose another port");
        }
        for (int i = 0; i < spec.includes().size(); i++) {
            LocalFileRules.relativeFile(r, SPEC.child("includes").index(i), spec.includes().get(i));
        }
        validateStatusPage(spec.status(), r);
        positiveDuration(r, SPEC.child("scrape").child("interval"), spec.scrape().interval());
        CommonRules.labels(r, SPEC.child("scrape").child("labels"), spec.scrape().labels());
        validateAlerts(spec, r);
    }

    private static void validateImage(NginxImage image, ProblemReporter r) {
        FieldPath p = SPEC.child("image");
        ImageReference.checkRepository(r, p.child("repository"), image.repository());
        ImageReference.check(r, p.child("baseImage"), image.baseImage(), true);
        if (!VERSION.matcher(image.vtsVersion()).matches()) {
            r.error(p.child("vtsVersion"), "\"" + CommonRules.printable(image.vtsVersion())
                    + "\" is not a version (such as 0.2.4)");
        }
        String source = image.vtsSource();
        if (source != null) {
            if (source.startsWith("http://") || source.startsWith("https://")) {
                CommonRules.httpUrl(r, p.child("vtsSource"), source);
            } else if (!source.startsWith("/")) {
                LocalFileRules.relativeFile(r, p.child("vtsSource"), source);
            } else if (!source.matches("^[A-Za-z0-9._/-]+$") || java.util.Arrays.asList(source.split("/")).contains("..")) {
                // An absolute path is read on the host that builds the image, so its existence is checked there.
                r.error(p.child("vtsSource"), "\"" + CommonRules.printable(source)
                        + "\" is not a plain absolute path (letters, digits, '.', '_', '-', '/'; no '..')");
            }
        }
        if (image.prebuilt() != null) {
            ImageReference.check(r, p.child("prebuilt"), image.prebuilt(), false);
        }
    }

    private static void validateListen(NginxListen listen, ProblemReporter r) {
        FieldPath p = SPEC.child("listen");
        CommonRules.port(r, p.child("port"), listen.port());
        if (listen.publish() != null) {
            PublishSpec.Result publish = PublishSpec.parse(listen.publish());
            if (publish.error() != null) {
                r.error(p.child("publish"), publish.error());
            } else {
                Integer container = publish.spec().get().containerPort();
                if (container != null && container != listen.effectivePort()) {
                    r.error(p.child("publish"), "publishes container port " + container + " but nginx listens on "
                            + listen.effectivePort() + " (listen.port)");
                }
            }
        }
        NginxTls tls = listen.tls();
        if (tls == null) {
            return;
        }
        FieldPath t = p.child("tls");
        boolean files = tls.certificateFile() != null || tls.keyFile() != null;
        if (files && tls.secretRef() != null) {
            r.error(t.child("secretRef"), "give either certificateFile and keyFile, or secretRef, not both");
        } else if (!files && tls.secretRef() == null) {
            r.error(t, "needs certificateFile and keyFile, or secretRef");
        } else if (files) {
            if (tls.certificateFile() == null) {
                r.error(t.child("certificateFile"), "required with keyFile (TLS needs both certificate and key)");
            }
            if (tls.keyFile() == null) {
                r.error(t.child("keyFile"), "required with certificateFile (TLS needs both certificate and key)");
            }
            LocalFileRules.relativeFile(r, t.child("certificateFile"), tls.certificateFile());
            LocalFileRules.relativeFile(r, t.child("keyFile"), tls.keyFile());
        } else {
            CommonRules.required(r, t.child("secretRef").child("name"), tls.secretRef().name(), "a kubernetes.io/tls Secret");
        }
    }

    private static void validateStatusPage(VtsStatusPage status, ProblemReporter r) {
        FieldPath p = SPEC.child("status");
        if (!URL_PATH.matcher(status.path()).matches() || status.path().equals("/")) {
            r.error(p.child("path"), "must be an absolute path other than / from letters, digits and ._~!&()*+,=:@%/- (such as /status)");
        }
        if (status.basicAuth() == null) {
            r.warning(p.child("basicAuth"), "the status page is served without authentication");
        }
        CommonRules.basicAuth(r, p.child("basicAuth"), status.basicAuth());
        List<Double> buckets = status.histogramBuckets();
        for (int i = 0; i < buckets.size(); i++) {
            FieldPath b = p.child("histogramBuckets").index(i);
            double v = buckets.get(i);
            if (!(v > 0) || Double.isInfinite(v)) {
                r.error(b, v + " is not a positive number of seconds");
            } else if (i > 0 && !(v > buckets.get(i - 1))) {
                r.error(b, v + " does not follow " + buckets.get(i - 1) + " (buckets must be strictly ascending)");
            }
        }
    }

    private static void validateAlerts(NginxVtsTargetSpec spec, ProblemReporter r) {
        FieldPath p = SPEC.child("alerts");
        NginxAlerts.ErrorRatio errors = spec.alerts().errorRatio();
        if (errors != null) {
            CommonRules.ratio(r, p.child("errorRatio").child("threshold"), errors.threshold());
            positiveDuration(r, p.child("errorRatio").child("for"), errors.forDuration());
        }
        NginxAlerts.LatencyP99 latency = spec.alerts().latencyP99();
        if (latency != null) {
            FieldPath l = p.child("latencyP99");
            if (!(latency.thresholdSeconds() > 0) || latency.thresholdSeconds().isInfinite()) {
                r.error(l.child("thresholdSeconds"), latency.thresholdSeconds() + " is not a positive number of seconds");
            }
            positiveDuration(r, l.child("for"), latency.forDuration());
            if (spec.exporter().mode() == ExporterMode.SIDECAR) {
                r.warning(l, "nginx-vts-exporter (sidecar mode) exports no latency histogram: this alert cannot fire; use exporter.mode native");
            } else if (spec.status().histogramBuckets().isEmpty()) {
                r.warning(l, "without status.histogramBuckets VTS exports no duration histogram and this alert cannot fire");
            }
        }
    }

    @Override
    public List<SecretUse> secretUses(NginxVtsTarget target) {
        List<SecretUse> uses = new ArrayList<>();
        var auth = target.getSpec().status().basicAuth();
        if (auth != null) {
            SecretUse.of(SPEC.child("status").child("basicAuth").child("passwordSecretRef"), auth.passwordSecretRef()).ifPresent(uses::add);
        }
        NginxTls tls = target.getSpec().listen().tls();
        if (tls != null && tls.secretRef() != null && tls.secretRef().name() != null && !tls.secretRef().name().isEmpty()) {
            uses.add(new SecretUse(SPEC.child("listen").child("tls").child("secretRef"),
                    new SecretKeyRef(tls.secretRef().name(), null), List.of("tls.crt", "tls.key")));
        }
        return uses;
    }
}
