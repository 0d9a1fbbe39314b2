/**
 * The seam between kinds and platforms (docs/architecture.md). A kind's reconciler says what it wants in these
 * terms ({@link dev.lookout.platform.Workload}, {@link dev.lookout.platform.InstanceQuery}) and reads back where
 * it stands ({@link dev.lookout.platform.WorkloadState}, {@link dev.lookout.platform.Instance}); {@code docker/}
 * implements it on Docker engines (and dry, for {@code lookout plan}), {@code kubernetes/} will on a cluster.
 * Nothing here knows a kind or a platform.
 */
package dev.lookout.platform;
