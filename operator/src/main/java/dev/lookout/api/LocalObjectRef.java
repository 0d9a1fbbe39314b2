package dev.lookout.api;

/** Names another object in the resource's own namespace. */
public record LocalObjectRef(String name) {
}
