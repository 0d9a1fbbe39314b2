package dev.lookout.http;

/**
 * One of a CRD's additionalPrinterColumns, as {@code kubectl get} would show it.
 *
 * @param type OpenAPI type: {@code string}, {@code integer}, {@code number}, {@code boolean} or {@code date}
 * @param priority 0 for the default table, higher only with {@code -o wide}
 */
public record PrinterColumn(String name, String type, String jsonPath, int priority) {
}
