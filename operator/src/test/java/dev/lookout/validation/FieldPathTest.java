package dev.lookout.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {
    @Test
    void printsAsPeopleWriteIt() {
        FieldPath p = FieldPath.of("spec", "http").child("bodyMustMatch").index(0);
        assertThat(p).hasToString("spec.http.bodyMustMatch[0]");
        assertThat(p.pointer()).isEqualTo("/spec/http/bodyMustMatch/0");
        assertThat(p.parent()).hasToString("spec.http.bodyMustMatch");
    }

    @Test
    void quotesKeysThatAreNotIdentifiers() {
        FieldPath p = FieldPath.of("metadata", "labels", "app.kubernetes.io/name");
        assertThat(p).hasToString("metadata.labels[\"app.kubernetes.io/name\"]");
        assertThat(p.pointer()).isEqualTo("/metadata/labels/app.kubernetes.io~1name");
    }
}
