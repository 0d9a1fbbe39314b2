package dev.lookout.testing;

/** Real dcgm-exporter payloads on the test classpath: see src/test/resources/gpu/README.md. */
public final class DcgmFixture {
    private DcgmFixture() {
    }

    /** 8x A800-SXM4-80GB, MIG on gpu 0 (three 2g.20gb instances), 10 lines with the value {@code ERROR - …}. */
    public static String a800x8Mig() {
        return ClasspathText.read("/gpu/a800x8-mig-dcgm-exporter.prom");
    }
}
