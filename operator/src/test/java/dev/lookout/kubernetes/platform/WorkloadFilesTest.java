package dev.lookout.kubernetes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ConfigMap and Secret keys of a workload's files: valid keys, readable where they can be, never shared by two paths. */
class WorkloadFilesTest {
    private static final String KEY = "[-._a-zA-Z0-9]+";

    @Test
    void aPlainPathKeepsAReadableKey() {
        assertThat(WorkloadFiles.key("/etc/nginx/lookout/nginx.conf")).isEqualTo("etc_nginx_lookout_nginx.conf");
    }

    @Test
    void pathsThatWouldMeetInOneKeyKeepTwo() {
        String a = WorkloadFiles.key("/etc/nginx/lookout/a_b/c.conf");
        String b = WorkloadFiles.key("/etc/nginx/lookout/a/b_c.conf");
        String spaced = WorkloadFiles.key("/etc/nginx/lookout/my site.conf");
        String dashed = WorkloadFiles.key("/etc/nginx/lookout/my-site.conf");

        assertThat(a).isNotEqualTo(b).startsWith("etc_nginx_lookout_a_b_c.conf-").matches(KEY);
        assertThat(b).startsWith("etc_nginx_lookout_a_b_c.conf-").matches(KEY);
        assertThat(spaced).isNotEqualTo(dashed).matches(KEY);
        assertThat(dashed).isEqualTo("etc_nginx_lookout_my-site.conf");
        assertThat(WorkloadFiles.key("/etc/nginx/lookout/a_b/c.conf")).as("the same path, the same key").isEqualTo(a);
    }
}
