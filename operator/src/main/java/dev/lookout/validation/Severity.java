package dev.lookout.validation;

/** Errors reject a resource; warnings are reported and the resource is accepted. */
public enum Severity {
    ERROR, WARNING
}
