package dev.lookout.config;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Not served anywhere: a wrapper that lets fabric8's CRD generator write the OpenAPI schema of
 * {@link OperatorConfig}, so that lookout.yaml is checked by the same structural walk as resources.
 */
@Group("config.lookout.dev")
@Version("v1alpha1")
@Kind("OperatorConfig")
@Plural("operatorconfigs")
public class OperatorConfigDocument extends CustomResource<OperatorConfig, Void> {
    public static final String SCHEMA_FILE = "operatorconfigs.config.lookout.dev-v1.yml";
}
