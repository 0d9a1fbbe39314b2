/**
 * The Docker platform: one client per engine in the operator config, an inventory of each engine's containers
 * kept current by its events stream (supervised, re-established with a full resync), and the ownership labels
 * that say what Lookout created.
 */
package dev.lookout.docker;
