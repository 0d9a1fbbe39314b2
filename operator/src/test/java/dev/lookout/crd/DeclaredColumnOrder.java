package dev.lookout.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Puts each CRD's additionalPrinterColumns in the order its class declares its {@link AdditionalPrinterColumn}
 * annotations: Ready, Reason, the kind's own columns, Age last, which is what kubectl and a real API server
 * show, in the CRD's order.
 *
 * <p>crd-generator-api-v2 (7.4) collects the annotations in a TreeMap keyed by jsonPath, case-insensitively
 * ({@code AbstractCustomResourceHandler.handlePrinterColumns}), so left alone the CRD lists them by path:
 * {@code .metadata.creationTimestamp} (Age) first, then {@code .spec.*}, then {@code .status.conditions...reason}
 * (Reason) before {@code ...status} (Ready). The annotation has no order attribute; the generator's
 * post-processor hook, which sees the CRD before it is written, is where the declared order can be restored.
 * Columns no class annotation declares (field-level {@code @PrinterColumn}) keep the generator's order, after.
 */
final class DeclaredColumnOrder implements CRDPostProcessor {
    private final Map<String, Class<? extends HasMetadata>> classesByKind;

    DeclaredColumnOrder(Collection<Class<? extends HasMetadata>> classes) {
        this.classesByKind = classes.stream().collect(Collectors.toMap(HasMetadata::getKind, Function.identity()));
    }

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            Class<? extends HasMetadata> type = classesByKind.get(definition.getSpec().getNames().getKind());
            if (type != null) {
                List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                        .map(AdditionalPrinterColumn::jsonPath).toList();
                definition.getSpec().getVersions().forEach(version -> reorder(version, declared));
            }
        }
        return crd;
    }

    private static void reorder(CustomResourceDefinitionVersion version, List<String> declared) {
        List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
        if (columns != null) {
            Comparator<CustomResourceColumnDefinition> byDeclaration = Comparator.comparingInt(column -> {
                int at = declared.indexOf(column.getJsonPath());
                return at >= 0 ? at : declared.size();
            });
            // a stable sort: undeclared columns stay in the generator's order
            version.setAdditionalPrinterColumns(columns.stream().sorted(byDeclaration).toList());
        }
    }
}
